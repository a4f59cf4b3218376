// The official `@anthropic-ai/sdk` against the gateway's Anthropic-compatible /v1/messages, and the official `openai`
// client against /v1/chat/completions, reaching three upstream dialects on the emulator: anthropic (Messages API),
// openai (chat completions) and gemini (generateContent). Token counts come from the emulator's knobs, sent as an
// `#emulator` line of the last user message, the one form that survives translation into every dialect.
// Costs are computed by hand from src/Tollgate.Core/Catalog/catalog.json (USD per 1M tokens):
//   anthropic/claude-haiku-4-5   input 1, cached_input 0.1, cache_write_5m 1.25, cache_write_1h 2, output 5
//   anthropic/claude-sonnet-4-5  input 3, cached_input 0.3, cache_write_5m 3.75, cache_write_1h 6, output 15;
//                                over 200K input (uncached + writes + reads), the whole request at input 6,
//                                cached_input 0.6, cache_write_5m 7.5, cache_write_1h 12, output 22.5
//   openai/gpt-4o                input 2.50, cached_input 1.25, output 10.00
//   gemini/gemini-2.5-flash      input 0.3, cached_input 0.03, output 2.5
//   gemini/gemini-2.5-pro        input 1.25, cached_input 0.125, output 10; prompt over 200K: input 2.5,
//                                cached_input 0.25, output 15
// The emulator reports Anthropic usage as input_tokens = prompt - cached - cache writes, and Gemini's
// candidatesTokenCount = completion - reasoning with thoughtsTokenCount = reasoning (billed as output).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { MASTER_KEY, PROVIDER_SECRETS, Recorder, anthropicClient, client, getJson, ledgerEntries, startStack, stopStack } from './harness.js';

let stack;
const seen = new Recorder();
let anthropic;
let openai;
// Gateway request id -> what its ledger entry must carry.
const expectedLedger = new Map();

before(async () => {
  stack = await startStack({ anthropicAndGemini: true });
  anthropic = anthropicClient(stack, { seen });
  openai = client(stack, { seen });
});

after(async () => {
  await stopStack(stack);
});

/** The three paths through /v1/messages: passthrough, and translation to the two other dialects. */
const MESSAGES_TARGETS = [
  { model: 'anthropic/claude-haiku-4-5', provider: 'anthropic', path: 'passthrough' },
  { model: 'openai/gpt-4o', provider: 'openai', path: 'translated' },
  { model: 'gemini/gemini-2.5-flash', provider: 'gemini', path: 'translated' },
];

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      note: { type: 'string' },
    },
    required: ['city', 'days', 'unit'],
  },
};

const openAIWeatherTool = {
  type: 'function',
  function: { name: weatherTool.name, description: weatherTool.description, parameters: weatherTool.input_schema },
};

/** Runs `call`, expects it to throw, and returns the error. */
async function failure(call) {
  try {
    await call();
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

/** POST with the master key (or another) to a gateway path, parsed as JSON. */
async function postJson(path, body, apiKey = MASTER_KEY) {
  const res = await fetch(stack.rootURL + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A new virtual key made through the management API; returns the full key. */
async function createKey(fields) {
  const { status, body } = await postJson('/v1/keys', fields);
  assert.equal(status, 200, JSON.stringify(body));
  assert.match(body.data.key, /^tg-/);
  return body.data.key;
}

test('messages_TextToEachDialect_ReturnsAnthropicMessageWithHandComputedCost', async () => {
  // Each: 1000 prompt tokens of which 400 cached (read), 50 output tokens.
  const costs = {
    // 600 * 1 + 400 * 0.1 + 50 * 5 = 600 + 40 + 250 = 890 per 1M
    'anthropic/claude-haiku-4-5': 0.00089,
    // 600 * 2.50 + 400 * 1.25 + 50 * 10 = 1500 + 500 + 500 = 2500 per 1M
    'openai/gpt-4o': 0.0025,
    // 600 * 0.3 + 400 * 0.03 + 50 * 2.5 = 180 + 12 + 125 = 317 per 1M
    'gemini/gemini-2.5-flash': 0.000317,
  };
  for (const { model, provider, path } of MESSAGES_TARGETS) {
    const { data, response } = await anthropic.messages.create({
      model,
      max_tokens: 200,
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'Hello Claude-shaped world\n#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=50' }],
    }).withResponse();

    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    assert.equal(data.type, 'message', model);
    assert.equal(data.role, 'assistant', model);
    assert.equal(data.stop_reason, 'end_turn', model);
    assert.deepEqual(data.content, [{ type: 'text', text: 'Echo: Hello Claude-shaped world' }], model);
    // A passthrough answers with the upstream's model name; a translation with the name the client sent.
    assert.equal(data.model, path === 'passthrough' ? 'claude-haiku-4-5' : model, model);
    assert.equal(data.usage.input_tokens, 600, model);
    assert.equal(data.usage.cache_read_input_tokens, 400, model);
    assert.equal(data.usage.cache_creation_input_tokens, 0, model);
    assert.equal(data.usage.output_tokens, 50, model);
    assert.equal(data.usage.cost, costs[model], model);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: costs[model], stream: false, provider, endpoint: 'messages' });
  }
});

test('messages_BearerAuthAndBareModelName_ReachTheAnthropicUpstream', async () => {
  // Tools built on the SDK may authenticate with Authorization: Bearer (the SDK's authToken) instead of x-api-key.
  const bearer = anthropicClient(stack, { bearer: true, seen });
  const { data, response } = await bearer.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 50,
    messages: [{ role: 'user', content: 'bare name' }],
  }).withResponse();
  assert.equal(response.headers.get('x-tollgate-provider'), 'anthropic');
  assert.equal(data.content[0].text, 'Echo: bare name');
});

test('messages_CacheWritesAndLongContext_ArePricedAtTheirOwnRates', async () => {
  // 3000 prompt tokens: 1000 cache reads, 500 5-minute writes, 200 1-hour writes, so 1300 uncached; 70 output.
  // 1300 * 3 + 500 * 3.75 + 200 * 6 + 1000 * 0.3 + 70 * 15 = 3900 + 1875 + 1200 + 300 + 1050 = 8325 per 1M
  const short = await anthropic.messages.create({
    model: 'anthropic/claude-sonnet-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'cache me\n#emulator prompt_tokens=3000 cached_tokens=1000 cache_write_5m_tokens=500 cache_write_1h_tokens=200 completion_tokens=70' }],
  });
  assert.equal(short.usage.input_tokens, 1300);
  assert.equal(short.usage.cache_creation_input_tokens, 700);
  assert.deepEqual(short.usage.cache_creation, { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 200 });
  assert.equal(short.usage.cache_read_input_tokens, 1000);
  assert.equal(short.usage.cost, 0.008325);

  // 210000 input in all (150000 uncached + 10000 5m writes + 50000 reads) passes 200K: all at the long rates.
  // 150000 * 6 + 10000 * 7.5 + 50000 * 0.6 + 1000 * 22.5 = 900000 + 75000 + 30000 + 22500 = 1027500 per 1M
  const long = await anthropic.messages.create({
    model: 'anthropic/claude-sonnet-4-5',
    max_tokens: 2000,
    messages: [{ role: 'user', content: 'long\n#emulator prompt_tokens=210000 cached_tokens=50000 cache_write_5m_tokens=10000 completion_tokens=1000' }],
  });
  assert.equal(long.usage.input_tokens, 150000);
  assert.equal(long.usage.cost, 1.0275);

  // Gemini's tier is chosen by prompt size: 250000 > 200K, so input 2.5, cached 0.25, output 15.
  // 200000 * 2.5 + 50000 * 0.25 + 1000 * 15 = 500000 + 12500 + 15000 = 527500 per 1M
  const gemini = await anthropic.messages.create({
    model: 'gemini/gemini-2.5-pro',
    max_tokens: 2000,
    messages: [{ role: 'user', content: 'long\n#emulator prompt_tokens=250000 cached_tokens=50000 completion_tokens=1000' }],
  });
  assert.equal(gemini.usage.input_tokens, 200000);
  assert.equal(gemini.usage.cache_read_input_tokens, 50000);
  assert.equal(gemini.usage.cost, 0.5275);
});

test('messagesStream_ToEachDialect_FinalMessageHasTextUsageAndCostInTheLastDelta', async () => {
  // 3000 prompt tokens, 1000 cached, 70 output; the cache-write knobs exist in the Anthropic dialect only.
  const cases = {
    // 1300 * 1 + 500 * 1.25 + 200 * 2 + 1000 * 0.1 + 70 * 5 = 1300 + 625 + 400 + 100 + 350 = 2775 per 1M
    'anthropic/claude-haiku-4-5': { cost: 0.002775, input: 1300, writes: 700 },
    // 2000 * 2.50 + 1000 * 1.25 + 70 * 10 = 5000 + 1250 + 700 = 6950 per 1M
    'openai/gpt-4o': { cost: 0.00695, input: 2000, writes: 0 },
    // 2000 * 0.3 + 1000 * 0.03 + 70 * 2.5 = 600 + 30 + 175 = 805 per 1M
    'gemini/gemini-2.5-flash': { cost: 0.000805, input: 2000, writes: 0 },
  };
  for (const { model, provider } of MESSAGES_TARGETS) {
    const want = cases[model];
    const stream = anthropic.messages.stream({
      model,
      max_tokens: 100,
      messages: [{ role: 'user', content: 'stream these five words\n#emulator prompt_tokens=3000 cached_tokens=1000 cache_write_5m_tokens=500 cache_write_1h_tokens=200 completion_tokens=70' }],
    });
    const types = [];
    let deltaText = '';
    let lastDelta;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        deltaText += event.delta.text;
      }
      if (event.type === 'message_delta') {
        lastDelta = event;
      }
    }
    const final = await stream.finalMessage();
    const { response } = await stream.withResponse();

    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    assert.equal(types[0], 'message_start', model);
    assert.equal(types.at(-1), 'message_stop', model);
    assert.ok(types.filter((t) => t === 'content_block_delta').length >= 3, `${model}: ${types}`);
    assert.equal(deltaText, 'Echo: stream these five words', model);
    assert.equal(final.content.length, 1, model);
    assert.equal(final.content[0].text, 'Echo: stream these five words', model);
    assert.equal(final.stop_reason, 'end_turn', model);
    // The SDK folds message_delta's whole-message counts into the final message.
    assert.equal(final.usage.input_tokens, want.input, model);
    assert.equal(final.usage.cache_creation_input_tokens, want.writes, model);
    assert.equal(final.usage.cache_read_input_tokens, 1000, model);
    assert.equal(final.usage.output_tokens, 70, model);
    // The cost rides on the final message_delta's usage.
    assert.equal(lastDelta.usage.cost, want.cost, model);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost: want.cost, stream: true, provider, endpoint: 'messages' });
  }
});

test('messagesTools_ToEachDialect_ToolUseBlockWithParsedInputThenAnswerToTheResult', async () => {
  // gemini-3 models sign their function calls and refuse a replayed call without its signature: the signature
  // has to survive the Anthropic shape, which has no field for it.
  const targets = [...MESSAGES_TARGETS, { model: 'gemini/gemini-3-flash-preview', provider: 'gemini' }];
  for (const { model, provider } of targets) {
    const question = { role: 'user', content: 'What is the weather in Oslo?' };
    const { data: first, response } = await anthropic.messages.create({
      model,
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [question],
    }).withResponse();

    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    assert.equal(first.stop_reason, 'tool_use', model);
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse, `${model}: ${JSON.stringify(first.content)}`);
    assert.equal(toolUse.name, 'get_weather', model);
    assert.equal(typeof toolUse.id, 'string', model);
    assert.ok(toolUse.id.length > 0, model);
    // Every required property, as the emulator fills them from the schema; the optional one left out.
    assert.deepEqual(toolUse.input, { city: 'test', days: 1, unit: 'celsius' }, model);

    // Second turn: the tool result goes back (with the assistant turn as received); the model answers in text.
    const second = await anthropic.messages.create({
      model,
      max_tokens: 200,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny, 21 C' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn', model);
    assert.equal(second.content[0].type, 'text', model);
    assert.ok(second.content[0].text.length > 0, model);
  }
});

test('messagesThinking_AnthropicWithTools_ThinkingBlockAndSignatureSurviveTheSecondTurn', async () => {
  // The emulator checks, as Anthropic does, that a tool-using assistant turn sent back starts with its thinking
  // block and that the block's signature is unchanged; so this passes only if the passthrough keeps both.
  const question = { role: 'user', content: 'Weather in Oslo?\n#emulator tool=get_weather' };
  const params = { model: 'anthropic/claude-sonnet-4-5', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [weatherTool] };
  const stream = anthropic.messages.stream({ ...params, messages: [question] });
  const first = await stream.finalMessage();
  assert.equal(first.stop_reason, 'tool_use');
  assert.deepEqual(first.content.map((b) => b.type), ['thinking', 'tool_use']);
  assert.equal(first.content[0].thinking, 'Considering the request.');
  assert.ok(first.content[0].signature.length > 0);

  const toolUse = first.content[1];
  const second = await anthropic.messages.create({
    ...params,
    messages: [
      question,
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny' }] },
    ],
  });
  assert.equal(second.stop_reason, 'end_turn');
  assert.equal(second.content.at(-1).type, 'text');

  // A tampered signature is refused by the upstream, and the refusal reaches the client as Anthropic's 400.
  const tampered = [{ ...first.content[0], signature: 'AAAA' + first.content[0].signature.slice(4) }, toolUse];
  const err = await failure(() => anthropic.messages.create({
    ...params,
    messages: [question, { role: 'assistant', content: tampered }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny' }] }],
  }));
  assert.ok(err instanceof Anthropic.BadRequestError, err.constructor.name);
});

test('chatThinking_OpenAIClientToAnthropicWithTools_ThinkingBlocksRoundTrip', async () => {
  // reasoning_effort becomes Anthropic's thinking; the reply carries thinking_blocks with their signatures, which
  // the client sends back inside the assistant message, as it received them.
  const messages = [{ role: 'user', content: 'Weather in Oslo?\n#emulator tool=get_weather' }];
  const params = { model: 'anthropic/claude-sonnet-4-5', reasoning_effort: 'low', tools: [openAIWeatherTool] };
  const first = await openai.chat.completions.create({ ...params, messages });
  const message = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(message.reasoning_content, 'Considering the request.');
  assert.equal(message.thinking_blocks.length, 1);
  assert.ok(message.thinking_blocks[0].signature.length > 0);
  assert.deepEqual(JSON.parse(message.tool_calls[0].function.arguments), { city: 'test', days: 1, unit: 'celsius' });

  messages.push(message, { role: 'tool', tool_call_id: message.tool_calls[0].id, content: 'Sunny' });
  const second = await openai.chat.completions.create({ ...params, messages });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.equal(typeof second.choices[0].message.content, 'string');

  // Without the thinking blocks, the upstream refuses the tool-using turn (as Anthropic does with thinking on).
  const { thinking_blocks: _dropped, ...bare } = message;
  const err = await failure(() => openai.chat.completions.create({ ...params, messages: [messages[0], bare, messages[2]] }));
  assert.ok(err instanceof OpenAI.BadRequestError, err.constructor.name);
});

test('messagesToolsStream_ToEachDialect_InputJsonDeltasReassembleIntoTheInput', async () => {
  for (const { model } of MESSAGES_TARGETS) {
    const stream = anthropic.messages.stream({
      model,
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'weather please' }],
    });
    let partial = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        partial += event.delta.partial_json;
      }
    }
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use', model);
    assert.equal(final.content.length, 1, model);
    assert.equal(final.content[0].type, 'tool_use', model);
    assert.equal(final.content[0].name, 'get_weather', model);
    assert.deepEqual(final.content[0].input, { city: 'test', days: 1, unit: 'celsius' }, model);
    assert.deepEqual(JSON.parse(partial), final.content[0].input, model);
  }
});

test('messagesErrors_WrongKey_IsAuthenticationError401InAnthropicShape', async () => {
  const bad = anthropicClient(stack, { apiKey: 'tg-not-the-master-key', seen });
  const err = await failure(() => bad.messages.create({ model: 'anthropic/claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
  assert.ok(err instanceof Anthropic.AuthenticationError, err.constructor.name);
  assert.equal(err.status, 401);
  assert.equal(err.error.type, 'error');
  assert.equal(err.error.error.type, 'authentication_error');
});

test('messagesErrors_UnknownModel_IsNotFoundError404InAnthropicShape', async () => {
  const err = await failure(() => anthropic.messages.create({ model: 'no-such-model-e2e', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
  assert.ok(err instanceof Anthropic.NotFoundError, err.constructor.name);
  assert.equal(err.status, 404);
  assert.equal(err.error.error.type, 'not_found_error');
  assert.match(err.error.error.message, /no-such-model-e2e/);
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 404 });
});

test('messagesErrors_MissingMaxTokens_IsBadRequestError400OnEveryPath', async () => {
  for (const { model, provider } of MESSAGES_TARGETS) {
    // The SDK's types require max_tokens; a client that leaves it out gets Anthropic's own 400.
    const err = await failure(() => anthropic.messages.create({ model, messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof Anthropic.BadRequestError, `${model}: ${err.constructor.name}`);
    assert.equal(err.status, 400, model);
    assert.equal(err.error.error.type, 'invalid_request_error', model);
    assert.match(err.error.error.message, /max_tokens/, model);
    assert.equal(err.headers.get('x-tollgate-provider'), provider, model);
    expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 400 });
  }
});

test('messagesErrors_UpstreamStatus_MapsToTheSdkErrorClassPerDialect', async () => {
  // The emulator answers 429 in each upstream's own shape; each comes back in Anthropic's.
  for (const { model } of MESSAGES_TARGETS) {
    const err = await failure(() => anthropic.messages.create({
      model,
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi\n#emulator status=429 retry_after=7' }],
    }));
    assert.ok(err instanceof Anthropic.RateLimitError, `${model}: ${err.constructor.name}`);
    assert.equal(err.status, 429, model);
    assert.equal(err.error.error.type, 'rate_limit_error', model);
    assert.equal(err.headers.get('retry-after'), '7', model);
  }
});

test('messagesStream_UpstreamCutHalfWay_SdkRaisesAnAPIErrorAndTheLedgerHas502', async () => {
  for (const { model, provider } of MESSAGES_TARGETS) {
    const before = new Set(seen.ids);
    let text = '';
    let stopped = false;
    const err = await failure(async () => {
      const stream = anthropic.messages.stream({
        model,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten\n#emulator cut' }],
      });
      for await (const event of stream) {
        if (event.type === 'content_block_delta') {
          text += event.delta.text;
        }
        stopped ||= event.type === 'message_stop';
      }
    });
    // The break arrives as Anthropic's `error` event, which the SDK raises as an APIError (or, when the cut
    // overtakes the upstream's headers, as the gateway's 502): never a bare connection error, never a whole answer.
    assert.ok(err instanceof Anthropic.APIError, `${model}: ${err.constructor.name}: ${err.message}`);
    assert.ok(!stopped, `${model}: no message_stop after a cut`);
    assert.ok(!text.includes('ten'), `${model}: the reply stopped early: ${text}`);

    const id = seen.ids.find((i) => !before.has(i));
    assert.ok(id, `${model}: the response headers arrived`);
    const entry = (await ledgerEntries(stack, [id])).get(id);
    assert.equal(entry.status, 502, model);
    assert.equal(entry.provider, provider, model);
    assert.equal(entry.stream, true, model);
  }
});

test('countTokens_AnthropicAndTranslatedModels_ReturnInputTokens', async () => {
  const messages = [{ role: 'user', content: 'How many tokens is this sentence, roughly?' }];
  // Anthropic upstream: its own count_tokens, whose count the prompt_tokens knob fixes.
  const exact = await anthropic.messages.countTokens({
    model: 'anthropic/claude-haiku-4-5',
    messages: [{ role: 'user', content: 'count me\n#emulator prompt_tokens=4321' }],
  });
  assert.deepEqual(exact, { input_tokens: 4321 });

  // Others: the gateway's own estimate, which grows with the prompt.
  for (const model of ['openai/gpt-4o', 'gemini/gemini-2.5-flash']) {
    const small = await anthropic.messages.countTokens({ model, messages });
    assert.equal(typeof small.input_tokens, 'number', model);
    assert.ok(small.input_tokens > 0, model);
    const bigger = await anthropic.messages.countTokens({
      model,
      system: 'You are a meticulous assistant who counts every single word of every sentence it is given.',
      messages,
    });
    assert.ok(bigger.input_tokens > small.input_tokens, `${model}: ${bigger.input_tokens} <= ${small.input_tokens}`);
  }
});

test('chat_OpenAIClientToAnthropicAndGemini_ReturnsChatCompletionWithHandComputedCost', async () => {
  // 1000 prompt tokens of which 400 cached, 50 completion tokens of which 20 reasoning (Gemini reports them
  // as thoughtsTokenCount; the Anthropic dialect has no separate count).
  const cases = [
    // 600 * 1 + 400 * 0.1 + 50 * 5 = 600 + 40 + 250 = 890 per 1M
    ['anthropic/claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5', 0.00089, 0],
    // 600 * 1.25 + 400 * 0.125 + (30 + 20 thoughts) * 10 = 750 + 50 + 500 = 1300 per 1M
    ['gemini/gemini-2.5-pro', 'gemini', 'gemini-2.5-pro', 0.0013, 20],
  ];
  for (const [model, provider, upstreamModel, cost, reasoning] of cases) {
    const { data, response } = await openai.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello from openai\n#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=50 reasoning_tokens=20' },
      ],
    }).withResponse();
    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    assert.equal(data.object, 'chat.completion', model);
    assert.equal(data.model, upstreamModel, model);
    assert.equal(data.choices[0].message.role, 'assistant', model);
    assert.equal(data.choices[0].message.content, 'Echo: Hello from openai', model);
    assert.equal(data.choices[0].finish_reason, 'stop', model);
    assert.equal(data.usage.prompt_tokens, 1000, model);
    assert.equal(data.usage.completion_tokens, 50, model);
    assert.equal(data.usage.total_tokens, 1050, model);
    assert.equal(data.usage.prompt_tokens_details.cached_tokens, 400, model);
    assert.equal(data.usage.completion_tokens_details.reasoning_tokens, reasoning, model);
    assert.equal(data.usage.cost, cost, model);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost, stream: false, provider, endpoint: 'chat' });
  }
});

test('cost_EveryTranslatedPath_IsWrittenWithoutTrailingZeros', async () => {
  // Costs print as 0.0013, not 0.00130 (the decimal's scale from the price arithmetic), on every path, as the
  // OpenAI passthrough prints them. 600 * 1.25 + 400 * 0.125 + 50 * 10 = 750 + 50 + 500 = 1300 per 1M = 0.0013
  const content = 'zeros\n#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=50';
  const calls = [
    ['/v1/chat/completions', { model: 'gemini/gemini-2.5-pro', messages: [{ role: 'user', content }] }],
    ['/v1/chat/completions', { model: 'gemini/gemini-2.5-pro', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }] }],
    ['/v1/messages', { model: 'gemini/gemini-2.5-pro', max_tokens: 100, messages: [{ role: 'user', content }] }],
    ['/v1/messages', { model: 'gemini/gemini-2.5-pro', max_tokens: 100, stream: true, messages: [{ role: 'user', content }] }],
  ];
  for (const [path, body] of calls) {
    const res = await fetch(stack.rootURL + path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const costs = [...text.matchAll(/"cost":([0-9.]+)/g)].map((m) => m[1]);
    assert.deepEqual(costs, ['0.0013'], `${path} stream=${!!body.stream}: ${costs}`);
  }
});

test('chatStream_OpenAIClientToAnthropicAndGemini_UsageChunkCarriesHandComputedCost', async () => {
  const cases = [
    // prompt_tokens is every input kind: 1300 uncached + 700 writes + 1000 reads = 3000.
    // 1300 * 3 + 500 * 3.75 + 200 * 6 + 1000 * 0.3 + 70 * 15 = 3900 + 1875 + 1200 + 300 + 1050 = 8325 per 1M
    ['anthropic/claude-sonnet-4-5', 'anthropic', 0.008325],
    // 2000 * 1.25 + 1000 * 0.125 + 70 * 10 = 2500 + 125 + 700 = 3325 per 1M
    ['gemini/gemini-2.5-pro', 'gemini', 0.003325],
  ];
  for (const [model, provider, cost] of cases) {
    const { data: stream, response } = await openai.chat.completions.create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream these five words\n#emulator prompt_tokens=3000 cached_tokens=1000 cache_write_5m_tokens=500 cache_write_1h_tokens=200 completion_tokens=70' }],
    }).withResponse();
    const chunks = [];
    let text = '';
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    assert.equal(response.headers.get('x-tollgate-provider'), provider, model);
    assert.equal(text, 'Echo: stream these five words', model);
    assert.ok(chunks.length >= 5, `${model}: ${chunks.length} chunks`);
    assert.equal(chunks[0].object, 'chat.completion.chunk', model);
    assert.equal(chunks[0].choices[0].delta.role, 'assistant', model);
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop', model);
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, [], model);
    assert.equal(last.usage.prompt_tokens, 3000, model);
    assert.equal(last.usage.prompt_tokens_details.cached_tokens, 1000, model);
    assert.equal(last.usage.completion_tokens, 70, model);
    assert.equal(last.usage.cost, cost, model);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), { cost, stream: true, provider, endpoint: 'chat' });
  }
});

test('chatTools_OpenAIClientToAnthropicAndGemini_ToolCallsOverTwoTurns', async () => {
  // gemini-3 models sign their function calls; the signature must survive the round trip through the client.
  for (const model of ['anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash', 'gemini/gemini-3-flash-preview']) {
    const messages = [{ role: 'user', content: 'What is the weather in Oslo?' }];
    const first = await openai.chat.completions.create({ model, messages, tools: [openAIWeatherTool], tool_choice: 'required' });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls', model);
    assert.equal(choice.message.tool_calls.length, 1, model);
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function', model);
    assert.equal(call.function.name, 'get_weather', model);
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'test', days: 1, unit: 'celsius' }, model);

    // Back with the assistant message as received and the tool's result: a text answer.
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 C' });
    const second = await openai.chat.completions.create({ model, messages, tools: [openAIWeatherTool] });
    assert.equal(second.choices[0].finish_reason, 'stop', model);
    assert.equal(typeof second.choices[0].message.content, 'string', model);
    assert.ok(second.choices[0].message.content.length > 0, model);
  }
});

test('chatToolsStream_OpenAIClientToAnthropicAndGemini_ArgumentDeltasReassemble', async () => {
  for (const model of ['anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash']) {
    const stream = await openai.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [openAIWeatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const calls = new Map();
    let finish = null;
    for await (const chunk of stream) {
      for (const d of chunk.choices[0]?.delta?.tool_calls ?? []) {
        const c = calls.get(d.index) ?? { id: '', name: '', args: '' };
        c.id ||= d.id ?? '';
        c.name += d.function?.name ?? '';
        c.args += d.function?.arguments ?? '';
        calls.set(d.index, c);
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, 'tool_calls', model);
    assert.equal(calls.size, 1, model);
    const call = calls.get(0);
    assert.ok(call.id.length > 0, model);
    assert.equal(call.name, 'get_weather', model);
    assert.deepEqual(JSON.parse(call.args), { city: 'test', days: 1, unit: 'celsius' }, model);
  }
});

test('keys_ScopesWithoutMessages_Are403OnMessagesButChatStillWorks', async () => {
  const key = await createKey({ name: 'chat-only', scopes: ['model:chat'] });
  const scoped = anthropicClient(stack, { apiKey: key, seen });
  for (const model of ['anthropic/claude-haiku-4-5', 'openai/gpt-4o']) {
    const err = await failure(() => scoped.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof Anthropic.PermissionDeniedError, `${model}: ${err.constructor.name}`);
    assert.equal(err.status, 403, model);
    assert.equal(err.error.error.type, 'permission_error', model);
  }
  // Streams are refused before anything is sent.
  const streamErr = await failure(async () => {
    const stream = scoped.messages.stream({ model: 'anthropic/claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await stream.finalMessage();
  });
  assert.ok(streamErr instanceof Anthropic.PermissionDeniedError, streamErr.constructor.name);

  // Counting tokens is part of the Messages API: it needs the same scope, although it costs nothing.
  const countErr = await failure(() => scoped.messages.countTokens({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }));
  assert.ok(countErr instanceof Anthropic.PermissionDeniedError, countErr.constructor.name);
  assert.equal(countErr.error.error.type, 'permission_error');

  // The same key may use the chat endpoint, to the same upstream.
  const chat = client(stack, { apiKey: key, seen });
  const ok = await chat.chat.completions.create({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'in scope' }] });
  assert.equal(ok.choices[0].message.content, 'Echo: in scope');

  // A key with model:messages in its scopes may call /v1/messages.
  const messagesKey = await createKey({ name: 'messages', scopes: ['model:messages'] });
  const allowed = await anthropicClient(stack, { apiKey: messagesKey, seen }).messages.create({
    model: 'gemini/gemini-2.5-flash', max_tokens: 10, messages: [{ role: 'user', content: 'allowed' }],
  });
  assert.equal(allowed.content[0].text, 'Echo: allowed');
});

test('keys_AllowedModels_AppliesToMessagesAndCountTokens', async () => {
  const key = await createKey({ name: 'gemini-only', allowed_models: ['gemini/*'] });
  const limited = anthropicClient(stack, { apiKey: key, seen });
  const messages = [{ role: 'user', content: 'hi' }];
  for (const call of [
    () => limited.messages.create({ model: 'anthropic/claude-haiku-4-5', max_tokens: 10, messages }),
    // count_tokens reaches the Anthropic upstream with the gateway's provider key, so it is refused too.
    () => limited.messages.countTokens({ model: 'anthropic/claude-haiku-4-5', messages }),
    () => limited.messages.countTokens({ model: 'openai/gpt-4o', messages }),
  ]) {
    const err = await failure(call);
    assert.ok(err instanceof Anthropic.PermissionDeniedError, err.constructor.name);
    assert.match(err.error.error.message, /allowed_models \(gemini\/\*\)/);
  }
  const counted = await limited.messages.countTokens({ model: 'gemini/gemini-2.5-flash', messages });
  assert.ok(counted.input_tokens > 0);
});

test('keys_BudgetedKeyWithoutMaxTokens_IsBadRequestError400NotABudgetRefusal', async () => {
  // Without max_tokens the worst case would be the model's whole max output, far past this budget; but the
  // request is invalid on every path, and a 429 would make the SDK retry a request that can never succeed.
  const key = await createKey({ name: 'budget-no-max', limit: { retention: 'day', threshold: 0.01 } });
  const budgeted = anthropicClient(stack, { apiKey: key, seen });
  for (const { model } of MESSAGES_TARGETS) {
    for (const maxTokens of [undefined, 0]) {
      const err = await failure(() => budgeted.messages.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }));
      assert.ok(err instanceof Anthropic.BadRequestError, `${model} max_tokens ${maxTokens}: ${err.constructor.name} ${err.message}`);
      assert.equal(err.error.error.type, 'invalid_request_error', model);
      assert.match(err.error.error.message, /max_tokens/, model);
    }
  }
  // Nothing was spent or left reserved.
  const detail = await getJson(stack, '/v2/billing/detail', key);
  assert.equal(detail.body.spent, 0);
  assert.equal(detail.body.reserved, 0);
});

test('keys_TinyBudget_IsRefusedOnceSpentAcrossDialects', async () => {
  // A budget of $0.001. The first request's worst case (a short prompt, max_tokens 20) fits, but the provider
  // reports 1000 prompt and 100 output tokens: 1000 * 1 + 100 * 5 = 1500 per 1M = $0.0015, past the budget.
  const key = await createKey({ name: 'tiny', limit: { retention: 'day', threshold: 0.001 } });
  const budgeted = anthropicClient(stack, { apiKey: key, seen });
  const stream = budgeted.messages.stream({
    model: 'anthropic/claude-haiku-4-5',
    max_tokens: 20,
    messages: [{ role: 'user', content: 'spend it\n#emulator prompt_tokens=1000 completion_tokens=100' }],
  });
  const spent = await stream.finalMessage();
  assert.equal(spent.content[0].text, 'Echo: spend it');

  const detail = await getJson(stack, '/v2/billing/detail', key);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.spent, 0.0015);
  assert.equal(detail.body.reserved, 0);

  // Spent: every further request is refused, whichever endpoint or dialect, with nothing sent upstream.
  for (const model of ['anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash']) {
    const err = await failure(() => budgeted.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'more' }] }));
    assert.ok(err instanceof Anthropic.APIError, `${model}: ${err.constructor.name}`);
    assert.equal(err.status, 402, model);
    assert.equal(err.error.error.type, 'billing_error', model);
    assert.match(err.error.error.message, /budget/, model);
  }
  const chatErr = await failure(() => client(stack, { apiKey: key, seen }).chat.completions.create({
    model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'more' }],
  }));
  assert.ok(chatErr instanceof OpenAI.RateLimitError, chatErr.constructor.name);
  assert.equal(chatErr.code, 'insufficient_quota');
});

test('requests_AfterTheCalls_LedgerHasEachWithItsProviderAndCost', async () => {
  assert.ok(expectedLedger.size >= 14, `${expectedLedger.size} entries expected`);
  const entries = await ledgerEntries(stack, [...expectedLedger.keys()]);
  for (const [id, want] of expectedLedger) {
    const entry = entries.get(id);
    if (want.status) {
      assert.equal(entry.status, want.status, `${id} status`);
      assert.equal(entry.cost, null, `${id} cost`);
      continue;
    }
    assert.equal(entry.status, 200, `${id} status`);
    assert.equal(entry.cost, want.cost, `${id} cost`);
    assert.equal(entry.stream, want.stream, `${id} stream`);
    assert.equal(entry.provider, want.provider, `${id} provider`);
  }
});

test('secrets_AfterAllCalls_NoProviderKeyInAnyResponseOrLog', async () => {
  const texts = await seen.texts();
  assert.ok(texts.length >= 30, `${texts.length} responses`);
  for (const text of texts) {
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!text.includes(secret), 'a provider key reached a client');
    }
  }
  for (const secret of PROVIDER_SECRETS) {
    assert.ok(!stack.gateway.log.includes(secret), 'a provider key reached the gateway log');
  }
});
