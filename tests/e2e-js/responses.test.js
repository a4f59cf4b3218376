// OpenAI's Responses API (/v1/responses) through a real gateway in front of the emulator: the `openai` npm client's
// responses.create / responses.stream (text, streaming, a function tool round trip, previous_response_id, stored
// responses) to OpenAI itself (passthrough) and translated to groq (OpenAI-compatible chat), anthropic and gemini;
// the OpenAI Agents SDK with its default (Responses) model; the AI SDK's Responses model with a tool and
// generateObject with a zod schema. Costs are computed by hand from the catalog's USD-per-1M prices:
//   openai/gpt-4o                 input 2.50, cached_input 1.25, output 10.00
//   groq/llama-3.3-70b-versatile  input 0.59, output 0.79
//   anthropic/claude-sonnet-4-5   input 3, cached_input 0.3, output 15
//   gemini/gemini-2.5-flash       input 0.3, cached_input 0.03, output 2.5
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool as agentTool } from '@openai/agents';
import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, isStepCount, tool as aiTool } from 'ai';
import { z } from 'zod';
import { MASTER_KEY, PROVIDER_SECRETS, Recorder, client, getJson, ledgerEntries, startStack, stopStack } from './harness.js';

let stack;
const seen = new Recorder();
let openai;
// Gateway request id -> the cost its ledger entry must carry.
const expectedLedger = new Map();

// 1000 prompt tokens, 200 of them cached where the dialect reports cache reads, 300 output tokens.
const TARGETS = [
  { model: 'openai/gpt-4o', provider: 'openai', path: 'passthrough', cost: (1000 - 200) * 2.5e-6 + 200 * 1.25e-6 + 300 * 10e-6, cached: 200 },
  { model: 'groq/llama-3.3-70b-versatile', provider: 'groq', path: 'translated', cost: 1000 * 0.59e-6 + 300 * 0.79e-6, cached: 0 },
  { model: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', path: 'translated', cost: (1000 - 200) * 3e-6 + 200 * 0.3e-6 + 300 * 15e-6, cached: 200 },
  { model: 'gemini/gemini-2.5-flash', provider: 'gemini', path: 'translated', cost: (1000 - 200) * 0.3e-6 + 200 * 0.03e-6 + 300 * 2.5e-6, cached: 200 },
];

const round = (x) => Number(x.toFixed(12));

// Knobs travel as a directive line of the user's text, which every dialect keeps (docs/EMULATOR.md).
const knobs = (t, extra = '') => `\n#emulator prompt_tokens=1000 ${t.cached ? `cached_tokens=${t.cached} ` : ''}completion_tokens=300 ${extra}`;

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

before(async () => {
  stack = await startStack({ anthropicAndGemini: true });
  openai = client(stack, { seen });
});

after(async () => {
  try {
    const entries = await ledgerEntries(stack, [...expectedLedger.keys()]);
    for (const [id, cost] of expectedLedger) {
      const entry = entries.get(id);
      assert.equal(entry.endpoint, 'responses', id);
      assert.equal(entry.status, 200, id);
      assert.equal(round(entry.cost), round(cost), id);
    }
    const texts = (await seen.texts()).join('\n') + stack.gateway.log;
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!texts.includes(secret), 'a provider key reached a client or the log');
    }
  } finally {
    await stopStack(stack);
  }
});

for (const t of TARGETS) {
  test(`responses_Create_${t.provider}_${t.path}_TextUsageAndHandComputedCost`, async () => {
    const { data, response } = await openai.responses.create({
      model: t.model,
      instructions: 'Answer briefly.',
      input: 'Hello Tollgate' + knobs(t),
    }).withResponse();

    assert.equal(data.object, 'response');
    assert.equal(data.status, 'completed');
    assert.match(data.id, /^resp_/);
    assert.equal(data.output_text, 'Echo: Hello Tollgate');
    assert.equal(data.usage.input_tokens, 1000);
    assert.equal(data.usage.input_tokens_details.cached_tokens, t.cached);
    assert.equal(data.usage.output_tokens, 300);
    assert.equal(data.usage.total_tokens, 1300);
    assert.equal(round(data.usage.cost), round(t.cost));
    assert.equal(response.headers.get('x-tollgate-provider'), t.provider);
    expectedLedger.set(response.headers.get('x-tollgate-request-id'), t.cost);
  });

  test(`responses_Stream_${t.provider}_${t.path}_EventsInOrderAndCompletedWithCost`, async () => {
    const stream = openai.responses.stream({ model: t.model, input: 'Stream this please' + knobs(t) });
    const types = [];
    const numbers = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      numbers.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
      }
    }
    const final = await stream.finalResponse();

    assert.deepEqual(numbers, numbers.map((_, i) => i));
    assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress']);
    assert.equal(types.at(-1), 'response.completed');
    for (const type of ['response.output_item.added', 'response.content_part.added', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done']) {
      assert.equal(types.filter((x) => x === type).length, 1, type);
    }
    assert.equal(text, 'Echo: Stream this please');
    assert.equal(final.output_text, 'Echo: Stream this please');
    assert.equal(final.usage.input_tokens, 1000);
    assert.equal(final.usage.output_tokens, 300);
    assert.equal(round(final.usage.cost), round(t.cost));
  });

  test(`responses_FunctionToolRoundTrip_${t.provider}_${t.path}_CallThenAnswer`, async () => {
    const input = [{ role: 'user', content: 'Weather in Oslo?\n#emulator tool=get_weather' }];
    const first = await openai.responses.create({ model: t.model, input, tools: [weatherTool] });
    const call = first.output.find((i) => i.type === 'function_call');
    assert.ok(call, JSON.stringify(first.output));
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'test' });

    // The stream of a tool call: its arguments as deltas, then done.
    const stream = openai.responses.stream({ model: t.model, input, tools: [weatherTool] });
    const argumentDeltas = [];
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') {
        argumentDeltas.push(event.delta);
      }
    }
    const streamed = (await stream.finalResponse()).output.find((i) => i.type === 'function_call');
    assert.equal(argumentDeltas.join(''), streamed.arguments);

    const second = await openai.responses.create({
      model: t.model,
      tools: [weatherTool],
      input: [...input, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: '{"temperature":21}' }],
    });
    assert.equal(second.status, 'completed');
    // The emulator echoes the last user turn; in Anthropic's dialect the tool result is that turn, and has no text.
    assert.equal(second.output_text, t.provider === 'anthropic' ? 'Echo.' : 'Echo: Weather in Oslo?');
    assert.equal(second.output.some((i) => i.type === 'function_call'), false);
  });

  test(`responses_PreviousResponseId_${t.provider}_${t.path}_ChainBilledAsInputAndStored`, async () => {
    const first = await openai.responses.create({ model: t.model, input: 'My name is Bob.' });
    const alone = await openai.responses.create({ model: t.model, input: 'What is my name?', store: false });
    const chained = await openai.responses.create({ model: t.model, input: 'What is my name?', previous_response_id: first.id });

    assert.equal(chained.previous_response_id, first.id);
    assert.equal(chained.output_text, 'Echo: What is my name?');
    // The earlier turn (its input and answer) reached the provider as part of the prompt.
    assert.ok(chained.usage.input_tokens > alone.usage.input_tokens, `${chained.usage.input_tokens} > ${alone.usage.input_tokens}`);

    const retrieved = await openai.responses.retrieve(first.id);
    assert.equal(retrieved.id, first.id);
    assert.equal(retrieved.output_text, 'Echo: My name is Bob.');
    const items = await openai.responses.inputItems.list(first.id);
    assert.equal(items.data.length, 1);
    assert.equal(items.data[0].content[0].text, 'My name is Bob.');

    await openai.responses.delete(first.id);
    await assert.rejects(openai.responses.retrieve(first.id), (e) => e instanceof OpenAI.NotFoundError);
    // store: false kept nothing.
    await assert.rejects(openai.responses.retrieve(alone.id), (e) => e instanceof OpenAI.NotFoundError);
  });
}

test('responses_InputTokens_CountedByOpenAIEstimatedElsewhere', async () => {
  const counted = await openai.responses.inputTokens.count({ model: 'openai/gpt-4o', input: 'Count me', emulator: { prompt_tokens: 1234 } });
  assert.equal(counted.object, 'response.input_tokens');
  assert.equal(counted.input_tokens, 1234);
  const estimated = await openai.responses.inputTokens.count({ model: 'anthropic/claude-sonnet-4-5', instructions: 'Be brief.', input: 'Count me too, please.' });
  assert.equal(estimated.object, 'response.input_tokens');
  assert.ok(estimated.input_tokens > 5 && estimated.input_tokens < 40, String(estimated.input_tokens));
});

test('responses_UnknownPreviousResponse_IsNotFound', async () => {
  await assert.rejects(
    openai.responses.create({ model: 'groq/llama-3.3-70b-versatile', input: 'x', previous_response_id: 'resp_nope' }),
    (e) => e instanceof OpenAI.NotFoundError && /resp_nope/.test(e.message));
});

test('responses_BuiltInToolOnAChatProvider_IsAClearBadRequest', async () => {
  await assert.rejects(
    openai.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: 'x', tools: [{ type: 'web_search' }] }),
    (e) => e instanceof OpenAI.BadRequestError && /built-in/.test(e.message) && e.param === 'tools');
});

test('responses_StoredResponseOfAnotherKey_IsNotFound', async () => {
  const first = await openai.responses.create({ model: 'groq/llama-3.3-70b-versatile', input: 'mine' });
  const created = await fetch(`${stack.baseURL}/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'other', scopes: ['model:responses'] }),
  }).then((r) => r.json());
  const other = client(stack, { apiKey: created.data.key, seen });
  await assert.rejects(other.responses.retrieve(first.id), (e) => e instanceof OpenAI.NotFoundError);
  await assert.rejects(
    other.responses.create({ model: 'groq/llama-3.3-70b-versatile', input: 'x', previous_response_id: first.id }),
    (e) => e instanceof OpenAI.NotFoundError);

  // A key without the scope may not call the endpoint.
  const chatOnly = await fetch(`${stack.baseURL}/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'chat-only', scopes: ['model:chat'] }),
  }).then((r) => r.json());
  await assert.rejects(
    client(stack, { apiKey: chatOnly.data.key, seen }).responses.create({ model: 'groq/llama-3.3-70b-versatile', input: 'x' }),
    (e) => e instanceof OpenAI.PermissionDeniedError);
});

test('agents_DefaultResponsesModel_RunsAToolAndAnswers', async () => {
  setTracingDisabled(true);
  setDefaultOpenAIClient(new OpenAI({ baseURL: stack.baseURL, apiKey: MASTER_KEY, maxRetries: 0 }));
  const calls = [];
  const getWeather = agentTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return `Sunny in ${city}`;
    },
  });
  for (const model of ['groq/llama-3.3-70b-versatile', 'anthropic/claude-sonnet-4-5', 'openai/gpt-4o']) {
    calls.length = 0;
    const agent = new Agent({ name: 'Weather', instructions: 'Use the tool.', model, tools: [getWeather] });
    const result = await run(agent, 'Weather in Oslo?\n#emulator tool=get_weather');
    assert.deepEqual(calls, ['test'], model);
    // In Anthropic's dialect the tool result is the last user turn the emulator echoes, and it has no text.
    assert.equal(result.finalOutput, model.startsWith('anthropic/') ? 'Echo.' : 'Echo: Weather in Oslo?', model);
  }
});

test('aiSdk_ResponsesModel_ToolLoopAndGenerateObject', async () => {
  const provider = createOpenAI({ baseURL: stack.baseURL, apiKey: MASTER_KEY });
  const seenCities = [];
  for (const model of ['gemini/gemini-2.5-flash', 'openai/gpt-4o']) {
    seenCities.length = 0;
    const result = await generateText({
      model: provider.responses(model),
      prompt: 'Weather in Oslo?\n#emulator tool=get_weather',
      tools: {
        get_weather: aiTool({
          description: 'Weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => {
            seenCities.push(city);
            return { temperature: 21 };
          },
        }),
      },
      stopWhen: isStepCount(3),
    });
    assert.deepEqual(seenCities, ['test'], model);
    assert.equal(result.text, 'Echo: Weather in Oslo?', model);
    assert.ok(result.totalUsage.inputTokens > 0, model);

    const { object } = await generateObject({
      model: provider(model),
      schema: z.object({ name: z.string(), age: z.number(), tags: z.array(z.string()), kind: z.enum(['cat', 'dog']) }),
      prompt: 'Describe a pet.',
    });
    // The emulator answers a json_schema format with JSON built from the schema.
    assert.deepEqual(object, { name: 'test', age: 1, tags: [], kind: 'cat' }, model);
  }
});
