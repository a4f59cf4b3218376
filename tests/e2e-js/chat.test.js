// The official `openai` npm client against a real gateway in front of the emulator: chat, streaming,
// tools, embeddings, cost, and the ledger. Costs are computed by hand from the catalog's USD-per-1M prices.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Recorder, PROVIDER_SECRETS, client, ledgerEntries, startStack, stopStack } from './harness.js';

// Prices (USD per 1M tokens) from src/Tollgate.Core/Catalog/catalog.json:
//   openai/gpt-4o                  input 2.50, cached_input 1.25, output 10.00
//   openai/text-embedding-3-small  input 0.02
//   groq/llama-3.3-70b-versatile   input 0.59, output 0.79
//   groq/openai/gpt-oss-120b       input 0.15, cached_input 0.075, output 0.60
//   deepseek/deepseek-chat         input 0.28, cached_input 0.028, output 0.42
// One more model comes from a local catalog (the file `tollgate catalog import` writes in the data directory):
//   openai/tollgate-e2e-local-model input 3.00, output 7.00
const LOCAL_CATALOG = [
  { provider: 'openai', model: 'tollgate-e2e-local-model', mode: 'chat', prices: { input: 3, output: 7 } },
];

let stack;
const seen = new Recorder();
let openai;
// Gateway request id -> the cost each test expects its ledger entry to carry.
const expectedLedger = new Map();

before(async () => {
  stack = await startStack({ localCatalog: LOCAL_CATALOG });
  openai = client(stack, { seen });
});

after(async () => {
  await stopStack(stack);
});

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        note: { type: 'string' },
      },
      required: ['city', 'days', 'unit'],
    },
  },
};

test('chat_NonStreamingBareModelName_ReturnsContentUsageAndHandComputedCost', async () => {
  const { data, response } = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hello Tollgate' }],
    // The emulator's usage knobs, passed through as an extra body field.
    emulator: { prompt_tokens: 1234, cached_tokens: 512, completion_tokens: 321, reasoning_tokens: 100 },
  }).withResponse();

  assert.equal(data.object, 'chat.completion');
  assert.equal(data.model, 'gpt-4o');
  assert.equal(data.choices.length, 1);
  assert.equal(data.choices[0].message.role, 'assistant');
  assert.equal(data.choices[0].message.content, 'Echo: Hello Tollgate');
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.equal(data.usage.prompt_tokens, 1234);
  assert.equal(data.usage.completion_tokens, 321);
  assert.equal(data.usage.total_tokens, 1555);
  assert.equal(data.usage.prompt_tokens_details.cached_tokens, 512);
  assert.equal(data.usage.completion_tokens_details.reasoning_tokens, 100);
  // (1234 - 512) uncached * 2.50 + 512 cached * 1.25 + 321 output (reasoning already inside) * 10.00
  // = 1805 + 640 + 3210 = 5655 USD per 1M -> 0.005655
  assert.equal(data.usage.cost, 0.005655);
  assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: 0.005655, stream: false, provider: 'openai', model: 'openai/gpt-4o' });
});

test('chat_ProviderPrefixedModels_ReachTheirProviderWithTheUpstreamNameAndCatalogCost', async () => {
  // Each: 1000 prompt tokens of which 400 cached, 500 completion tokens.
  const cases = [
    // 1000 * 0.59 + 500 * 0.79 = 590 + 395 = 985 per 1M (no cached price: cached tokens cost the input rate)
    ['groq/llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile', 0.000985],
    // The model part holds a slash itself. 600 * 0.15 + 400 * 0.075 + 500 * 0.60 = 90 + 30 + 300 = 420 per 1M
    ['groq/openai/gpt-oss-120b', 'groq', 'openai/gpt-oss-120b', 0.00042],
    // 600 * 0.28 + 400 * 0.028 + 500 * 0.42 = 168 + 11.2 + 210 = 389.2 per 1M
    ['deepseek/deepseek-chat', 'deepseek', 'deepseek-chat', 0.0003892],
    // From the local catalog: 1000 * 3.00 + 500 * 7.00 = 3000 + 3500 = 6500 per 1M
    ['openai/tollgate-e2e-local-model', 'openai', 'tollgate-e2e-local-model', 0.0065],
  ];
  for (const [model, provider, upstreamModel, cost] of cases) {
    const { data, response } = await openai.chat.completions.create({
      model,
      messages: [{ role: 'user', content: `to ${provider}` }],
      emulator: { prompt_tokens: 1000, cached_tokens: 400, completion_tokens: 500 },
    }).withResponse();
    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    // The emulator answers with the model name it received.
    assert.equal(data.model, upstreamModel, model);
    assert.equal(data.choices[0].message.content, `Echo: to ${provider}`);
    assert.equal(data.usage.cost, cost, model);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost, stream: false, provider, model });
  }
});

test('chat_ModelTheCatalogDoesNotKnow_IsForwardedWithNullCostAndMarkedUnpriced', async () => {
  const { data, response } = await openai.chat.completions.create({
    model: 'openai/tollgate-e2e-unlisted-model',
    messages: [{ role: 'user', content: 'new model' }],
    emulator: { prompt_tokens: 10, completion_tokens: 2 },
  }).withResponse();

  assert.equal(data.model, 'tollgate-e2e-unlisted-model');
  assert.equal(data.usage.prompt_tokens, 10);
  assert.ok('cost' in data.usage, 'usage.cost is present');
  assert.equal(data.usage.cost, null);
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: null, unpriced: true, stream: false, provider: 'openai', model: 'openai/tollgate-e2e-unlisted-model' });
});

test('chatStream_WithIncludeUsage_ReassemblesTextAndEndsWithAUsageChunkWithCost', async () => {
  const { data: stream, response } = await openai.chat.completions.create({
    model: 'openai/gpt-4o',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'stream these five words' }],
    emulator: { prompt_tokens: 2000, cached_tokens: 0, completion_tokens: 150 },
  }).withResponse();

  let text = '';
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta?.content ?? '';
  }

  assert.equal(text, 'Echo: stream these five words');
  assert.ok(chunks.length >= 4, `expected several chunks, got ${chunks.length}`);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.prompt_tokens, 2000);
  assert.equal(last.usage.completion_tokens, 150);
  // 2000 input * 2.50 + 150 output * 10.00 = 5000 + 1500 = 6500 USD per 1M -> 0.0065
  assert.equal(last.usage.cost, 0.0065);
  // Only the final chunk carries usage.
  assert.ok(chunks.slice(0, -1).every((c) => c.usage == null));
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: 0.0065, stream: true, provider: 'openai', model: 'openai/gpt-4o' });
});

test('chatStream_WithoutIncludeUsage_SendsNoUsageChunkButTheLedgerStillHasTheCost', async () => {
  const { data: stream, response } = await openai.chat.completions.create({
    model: 'openai/gpt-4o',
    stream: true,
    messages: [{ role: 'user', content: 'no usage for me' }],
    emulator: { prompt_tokens: 300, cached_tokens: 100, completion_tokens: 40 },
  }).withResponse();

  let text = '';
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta?.content ?? '';
  }

  assert.equal(text, 'Echo: no usage for me');
  // The gateway asked the upstream for usage (for accounting) but the client did not: no usage reaches it.
  for (const chunk of chunks) {
    assert.equal(chunk.choices.length, 1, 'no choice-less usage chunk');
    assert.ok(chunk.usage == null, `unexpected usage ${JSON.stringify(chunk.usage)}`);
  }
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  // (300 - 100) * 2.50 + 100 * 1.25 + 40 * 10.00 = 500 + 125 + 400 = 1025 USD per 1M -> 0.001025
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: 0.001025, stream: true, provider: 'openai', model: 'openai/gpt-4o' });
});

test('chatTools_NonStreaming_ReturnsAToolCallWithParsableArgumentsAndCost', async () => {
  const { data, response } = await openai.chat.completions.create({
    model: 'openai/gpt-4o',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    tools: [weatherTool],
    tool_choice: 'auto',
    emulator: { tool: 'get_weather', prompt_tokens: 500, completion_tokens: 20 },
  }).withResponse();

  const choice = data.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, null);
  assert.equal(choice.message.tool_calls.length, 1);
  const call = choice.message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.match(call.id, /^call_/);
  assert.equal(call.function.name, 'get_weather');
  // Required properties only, filled from the schema by the emulator.
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'test', days: 1, unit: 'celsius' });
  // 500 * 2.50 + 20 * 10.00 = 1250 + 200 = 1450 USD per 1M -> 0.00145
  assert.equal(data.usage.cost, 0.00145);
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: 0.00145, stream: false, provider: 'openai', model: 'openai/gpt-4o' });
});

test('chatTools_Streaming_ToolCallDeltasReassembleIntoTheCall', async () => {
  const request = {
    model: 'openai/gpt-4o',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Weather, please.' }],
    tools: [weatherTool],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    emulator: { chunks: 4, prompt_tokens: 80, completion_tokens: 12 },
  };

  // By hand, from the raw deltas.
  const calls = [];
  let finish = null;
  let usage = null;
  let argumentFragments = 0;
  for await (const chunk of await openai.chat.completions.create(request)) {
    usage = chunk.usage ?? usage;
    const choice = chunk.choices[0];
    if (!choice) {
      continue;
    }
    finish = choice.finish_reason ?? finish;
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      call.id += delta.id ?? '';
      call.name += delta.function?.name ?? '';
      if (delta.function?.arguments) {
        call.arguments += delta.function.arguments;
        argumentFragments++;
      }
    }
  }

  assert.equal(finish, 'tool_calls');
  assert.equal(calls.length, 1);
  assert.match(calls[0].id, /^call_/);
  assert.equal(calls[0].name, 'get_weather');
  assert.equal(argumentFragments, 4, 'the arguments arrived in the 4 fragments asked for');
  assert.deepEqual(JSON.parse(calls[0].arguments), { city: 'test', days: 1, unit: 'celsius' });
  // 80 * 2.50 + 12 * 10.00 = 200 + 120 = 320 USD per 1M -> 0.00032
  assert.equal(usage.cost, 0.00032);

  // And with the SDK's own stream helper, which accumulates the deltas itself.
  const helperStream = openai.chat.completions.stream(request);
  const final = await helperStream.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  assert.equal(call.id, calls[0].id);
  assert.equal(call.function.name, 'get_weather');
  assert.equal(call.function.arguments, calls[0].arguments);
});

test('embeddings_TwoInputs_ReturnVectorsUsageAndCost', async () => {
  const { data, response } = await openai.embeddings.create({
    model: 'openai/text-embedding-3-small',
    input: ['alpha', 'beta'],
    dimensions: 8,
    emulator: { prompt_tokens: 42 },
  }).withResponse();

  assert.equal(data.object, 'list');
  assert.equal(data.model, 'text-embedding-3-small');
  assert.equal(data.data.length, 2);
  for (const [i, item] of data.data.entries()) {
    assert.equal(item.index, i);
    assert.equal(item.embedding.length, 8);
    assert.ok(item.embedding.every((x) => typeof x === 'number' && Number.isFinite(x)));
    // The emulator's vectors are unit vectors; the SDK asked for base64 and decoded it.
    const norm = Math.sqrt(item.embedding.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  }
  assert.notDeepEqual(data.data[0].embedding, data.data[1].embedding);
  assert.equal(data.usage.prompt_tokens, 42);
  // 42 input * 0.02 = 0.84 USD per 1M -> 0.00000084
  assert.equal(data.usage.cost, 0.00000084);
  expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: 0.00000084, stream: false, provider: 'openai', model: 'openai/text-embedding-3-small' });
});

test('chat_SixteenConcurrentCallsHalfStreamed_EachGetsItsOwnReplyAndCost', async () => {
  const calls = Array.from({ length: 16 }, async (_, i) => {
    const k = i + 1;
    const request = {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: `call ${k}` }],
      emulator: { prompt_tokens: 100 * k, completion_tokens: 10 * k },
    };
    // 100k * 2.50 + 10k * 10.00 = 250k + 100k = 350k USD per 1M
    const cost = (350 * k) / 1e6;
    let text;
    let usage;
    let response;
    if (k % 2 === 0) {
      const result = await openai.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }).withResponse();
      response = result.response;
      text = '';
      for await (const chunk of result.data) {
        text += chunk.choices[0]?.delta?.content ?? '';
        usage = chunk.usage ?? usage;
      }
    } else {
      const result = await openai.chat.completions.create(request).withResponse();
      response = result.response;
      text = result.data.choices[0].message.content;
      usage = result.data.usage;
    }
    assert.equal(text, `Echo: call ${k}`);
    assert.equal(usage.prompt_tokens, 100 * k);
    assert.equal(usage.cost, cost, `call ${k}`);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost, stream: k % 2 === 0, provider: 'openai', model: 'openai/gpt-4o' });
  });
  await Promise.all(calls);
});

test('requests_AfterTheCalls_LedgerListsEveryRequestWithItsCost', async () => {
  assert.ok(expectedLedger.size >= 10, 'the earlier tests recorded their requests');
  const entries = await ledgerEntries(stack, seen.ids);

  // Every request this suite made is in the ledger (the stream helper's too).
  for (const id of seen.ids) {
    const entry = entries.get(id);
    assert.equal(entry.status, 200, id);
    assert.equal(entry.error_type, null, id);
  }

  for (const [id, want] of expectedLedger) {
    const entry = entries.get(id);
    assert.equal(entry.cost, want.cost, `${id} cost`);
    assert.equal(entry.provider, want.provider, `${id} provider`);
    assert.equal(entry.model, want.model, `${id} model`);
    assert.equal(entry.stream, want.stream, `${id} stream`);
    assert.equal(entry.unpriced, want.unpriced ?? false, `${id} unpriced`);
    assert.equal(entry.estimated, false, `${id} estimated`);
    assert.equal(typeof entry.latency_ms, 'number');
    if (want.stream) {
      // Time to first token is taken at the first forwarded event, so it is within the request's latency.
      assert.ok(entry.ttft_ms > 0 && entry.ttft_ms <= entry.latency_ms, `${id} ttft ${entry.ttft_ms} latency ${entry.latency_ms}`);
    }
  }

  // Usage by kind, as normalized from the first chat call: 1234 prompt of which 512 cached, 321 output of which 100 reasoning.
  const first = entries.get([...expectedLedger.keys()][0]);
  assert.equal(first.usage.input_tokens + first.usage.cache_read_tokens, 1234);
  assert.equal(first.usage.cache_read_tokens, 512);
  assert.equal(first.usage.output_tokens, 321);
  assert.equal(first.usage.reasoning_tokens, 100);
});

test('secrets_AfterTheCalls_NoProviderKeyInAnyResponseOrLog', async () => {
  const texts = await seen.texts();
  assert.ok(texts.length >= 10);
  for (const text of texts) {
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!text.includes(secret), 'a provider key reached a client');
    }
  }
  for (const proc of [stack.gateway]) {
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!proc.log.includes(secret), 'a provider key reached the gateway log');
    }
  }
});
