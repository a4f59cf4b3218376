// The official `@google/genai` SDK (`new GoogleGenAI({ apiKey, httpOptions: { baseUrl } })`) against the gateway's
// Gemini-native endpoints (/v1/models/{model}:generateContent and the rest; the SDK's default apiVersion is v1),
// reaching three upstream dialects on the emulator: gemini (passthrough), openai and anthropic (translated through
// OpenAI's chat shape). Token counts come from the emulator's knobs, sent as an `#emulator` line of the last user
// turn, the one form that survives translation into every dialect.
// Costs are computed by hand from src/Tollgate.Core/Catalog/catalog.json (USD per 1M tokens):
//   gemini/gemini-2.5-flash      input 0.3, cached_input 0.03, output 2.5
//   openai/gpt-4o                input 2.50, cached_input 1.25, output 10.00
//   anthropic/claude-haiku-4-5   input 1, cached_input 0.1, output 5
//   openai/text-embedding-3-small input 0.02
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiError, GoogleGenAI } from '@google/genai';
import { MASTER_KEY, PROVIDER_SECRETS, Recorder, ledgerEntries, startStack, stopStack } from './harness.js';

let stack;
const seen = new Recorder();
let ai;
// Gateway request id -> what its ledger entry must carry.
const expectedLedger = new Map();

/** A Gemini SDK client for the gateway; every response is recorded (ids for the ledger, bodies for the key check). */
function genai(apiKey = MASTER_KEY, apiVersion) {
  return new GoogleGenAI({
    apiKey,
    httpOptions: {
      baseUrl: stack.rootURL,
      ...(apiVersion ? { apiVersion } : {}),
      // One request per call: no retries.
      retryOptions: { attempts: 1 },
    },
  });
}

/** The gateway request id of the last response the recorder saw. */
const lastId = () => seen.ids.at(-1);

before(async () => {
  stack = await startStack({ anthropicAndGemini: true });
  // The SDK has no fetch hook: record through a wrapper of the global fetch, for this file's process only.
  const plain = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const res = await plain(url, init);
    if (String(url).startsWith(stack.rootURL)) {
      seen.record(res);
    }
    return res;
  };
  ai = genai();
});

after(async () => {
  await stopStack(stack);
});

/** The three paths: passthrough to gemini, translation to openai and anthropic. */
const TARGETS = [
  { model: 'gemini/gemini-2.5-flash', provider: 'gemini' },
  { model: 'openai/gpt-4o', provider: 'openai' },
  { model: 'anthropic/claude-haiku-4-5', provider: 'anthropic' },
];

// 1000 prompt tokens of which 400 cached, 50 output.
const TEXT_COSTS = {
  // 600 * 0.3 + 400 * 0.03 + 50 * 2.5 = 180 + 12 + 125 = 317 per 1M
  'gemini/gemini-2.5-flash': 0.000317,
  // 600 * 2.50 + 400 * 1.25 + 50 * 10 = 1500 + 500 + 500 = 2500 per 1M
  'openai/gpt-4o': 0.0025,
  // 600 * 1 + 400 * 0.1 + 50 * 5 = 600 + 40 + 250 = 890 per 1M
  'anthropic/claude-haiku-4-5': 0.00089,
};

const weatherDeclaration = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: {
    type: 'OBJECT',
    properties: { city: { type: 'STRING' }, unit: { type: 'STRING', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};

/** Runs `call`, expects it to throw, and returns the error. */
const failure = (call) => call().then(() => assert.fail('expected the call to fail'), (err) => err);

test('generateContent_ToEachDialect_TextUsageMetadataAndHandComputedCost', async () => {
  for (const { model, provider } of TARGETS) {
    const response = await ai.models.generateContent({
      model,
      contents: 'Hello Gemini-shaped world\n#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=50',
      config: { systemInstruction: 'Answer briefly.', maxOutputTokens: 200, temperature: 0.5 },
    });
    assert.equal(response.text, 'Echo: Hello Gemini-shaped world', model);
    assert.equal(response.candidates[0].finishReason, 'STOP', model);
    assert.equal(response.candidates[0].content.role, 'model', model);
    assert.equal(response.usageMetadata.promptTokenCount, 1000, model);
    assert.equal(response.usageMetadata.cachedContentTokenCount, 400, model);
    assert.equal(response.usageMetadata.candidatesTokenCount, 50, model);
    assert.equal(response.usageMetadata.totalTokenCount, 1050, model);
    assert.equal(response.sdkHttpResponse.headers['x-tollgate-provider'], provider, model);
    expectedLedger.set(lastId(), { cost: TEXT_COSTS[model], stream: false, provider, endpoint: 'generate_content' });
  }
});

test('generateContent_RawRest_CarriesTheCostInATopLevelTollgateMember', async () => {
  // REST callers see the cost; the SDK drops the member it does not know (checked above: the call still parses).
  for (const { model } of TARGETS) {
    const res = await fetch(`${stack.rootURL}/v1beta/models/${encodeURIComponent(model)}:generateContent?key=${MASTER_KEY}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'raw\n#emulator prompt_tokens=1000 cached_tokens=400 completion_tokens=50' }] }],
        generationConfig: { maxOutputTokens: 100 },
      }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.tollgate.cost, TEXT_COSTS[model], model);
  }
});

test('generateContentStream_ToEachDialect_TextArrivesInPiecesAndTheLastCarriesUsage', async () => {
  // 3000 prompt tokens, 1000 cached, 70 output.
  const costs = {
    // 2000 * 0.3 + 1000 * 0.03 + 70 * 2.5 = 600 + 30 + 175 = 805 per 1M
    'gemini/gemini-2.5-flash': 0.000805,
    // 2000 * 2.50 + 1000 * 1.25 + 70 * 10 = 5000 + 1250 + 700 = 6950 per 1M
    'openai/gpt-4o': 0.00695,
    // 2000 * 1 + 1000 * 0.1 + 70 * 5 = 2000 + 100 + 350 = 2450 per 1M
    'anthropic/claude-haiku-4-5': 0.00245,
  };
  for (const { model, provider } of TARGETS) {
    const stream = await ai.models.generateContentStream({
      model,
      contents: 'stream these five words\n#emulator prompt_tokens=3000 cached_tokens=1000 completion_tokens=70',
      config: { maxOutputTokens: 100 },
    });
    let text = '';
    let chunks = 0;
    let last;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.text ?? '';
      last = chunk;
    }
    const id = lastId();
    assert.equal(text, 'Echo: stream these five words', model);
    assert.ok(chunks > 1, `${model}: ${chunks} chunks`);
    assert.equal(last.candidates[0].finishReason, 'STOP', model);
    assert.equal(last.usageMetadata.promptTokenCount, 3000, model);
    assert.equal(last.usageMetadata.cachedContentTokenCount, 1000, model);
    assert.equal(last.usageMetadata.candidatesTokenCount, 70, model);
    expectedLedger.set(id, { cost: costs[model], stream: true, provider, endpoint: 'generate_content' });
  }
});

test('streamGenerateContent_WithoutAltSse_IsOneJsonArray', async () => {
  for (const { model } of TARGETS) {
    const res = await fetch(`${stack.rootURL}/v1beta/models/${model}:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': MASTER_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'array please' }] }], generationConfig: { maxOutputTokens: 50 } }),
    });
    assert.equal(res.status, 200, model);
    assert.match(res.headers.get('content-type'), /application\/json/, model);
    const responses = JSON.parse(await res.text());
    assert.ok(Array.isArray(responses) && responses.length > 1, model);
    const text = responses.map((r) => r.candidates[0].content.parts.map((p) => p.text ?? '').join('')).join('');
    assert.equal(text, 'Echo: array please', model);
    assert.equal(responses.at(-1).candidates[0].finishReason, 'STOP', model);
    assert.ok(responses.at(-1).usageMetadata.totalTokenCount > 0, model);
  }
});

test('functionCalling_RoundTripToEachDialect_CallThenAnswer', async () => {
  for (const { model, provider } of TARGETS) {
    const tools = [{ functionDeclarations: [weatherDeclaration] }];
    const question = { role: 'user', parts: [{ text: 'Weather in Paris?\n#emulator tool=get_weather prompt_tokens=100 completion_tokens=10' }] };
    const first = await ai.models.generateContent({ model, contents: [question], config: { tools, maxOutputTokens: 100 } });
    expectedLedger.set(lastId(), { stream: false, provider, endpoint: 'generate_content' });
    const calls = first.functionCalls;
    assert.equal(calls?.length, 1, `${model}: ${JSON.stringify(first.candidates)}`);
    assert.equal(calls[0].name, 'get_weather', model);
    assert.equal(calls[0].args.city, 'test', model);

    const second = await ai.models.generateContent({
      model,
      contents: [
        question,
        first.candidates[0].content,
        { role: 'user', parts: [{ functionResponse: { id: calls[0].id, name: 'get_weather', response: { temperature: 21 } } }] },
      ],
      config: { tools, maxOutputTokens: 100 },
    });
    expectedLedger.set(lastId(), { stream: false, provider, endpoint: 'generate_content' });
    assert.equal(second.functionCalls, undefined, model);
    assert.ok(second.text.length > 0, model);
    assert.equal(second.candidates[0].finishReason, 'STOP', model);
  }
});

test('functionCalling_Streamed_TheCallArrivesWhole', async () => {
  for (const { model } of TARGETS) {
    const stream = await ai.models.generateContentStream({
      model,
      contents: 'Weather in Oslo?\n#emulator tool=get_weather',
      config: { tools: [{ functionDeclarations: [weatherDeclaration] }], maxOutputTokens: 100 },
    });
    const calls = [];
    for await (const chunk of stream) {
      calls.push(...(chunk.functionCalls ?? []));
    }
    assert.equal(calls.length, 1, model);
    assert.equal(calls[0].name, 'get_weather', model);
    assert.deepEqual(calls[0].args, { city: 'test' }, model);
  }
});

test('thinking_AnthropicWithTools_ThoughtSignatureBringsTheThinkingBlockBack', async () => {
  // The emulator checks, as Anthropic does, that a tool-using assistant turn sent back starts with its thinking block
  // and an unchanged signature: the block travels as a thought part whose thoughtSignature is the block's signature.
  const model = 'anthropic/claude-sonnet-4-5';
  const config = { tools: [{ functionDeclarations: [weatherDeclaration] }], maxOutputTokens: 2000, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } };
  const question = { role: 'user', parts: [{ text: 'Weather in Oslo?\n#emulator tool=get_weather' }] };
  for (const streamed of [false, true]) {
    let turn;
    if (streamed) {
      // As a chat loop keeps a stream's turn: every part of every chunk, in order.
      const parts = [];
      for await (const chunk of await ai.models.generateContentStream({ model, contents: [question], config })) {
        parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      }
      turn = { role: 'model', parts };
    } else {
      turn = (await ai.models.generateContent({ model, contents: [question], config })).candidates[0].content;
    }
    const thoughts = turn.parts.filter((p) => p.thought);
    assert.equal(thoughts.map((p) => p.text).join(''), 'Considering the request.', `streamed=${streamed}`);
    assert.ok(thoughts.some((p) => p.thoughtSignature?.length > 0), `streamed=${streamed}`);
    const call = turn.parts.find((p) => p.functionCall).functionCall;

    const answer = { role: 'user', parts: [{ functionResponse: { id: call.id, name: call.name, response: { sky: 'sunny' } } }] };
    const second = await ai.models.generateContent({ model, contents: [question, turn, answer], config });
    assert.equal(second.candidates[0].finishReason, 'STOP', `streamed=${streamed}`);
    assert.ok(second.text.length > 0, `streamed=${streamed}`);

    // Without its thinking block the upstream refuses the turn, and the refusal is the SDK's 400.
    const bare = { role: 'model', parts: turn.parts.filter((p) => !p.thought) };
    const refused = await failure(() => ai.models.generateContent({ model, contents: [question, bare, answer], config }));
    assert.ok(refused instanceof ApiError, refused.constructor.name);
    assert.equal(refused.status, 400, `streamed=${streamed}`);
  }
});

test('countTokens_ToGemini_IsTheProvidersCountAndFree', async () => {
  const counted = await ai.models.countTokens({ model: 'gemini/gemini-2.5-flash', contents: 'count me\n#emulator prompt_tokens=1234' });
  assert.equal(counted.totalTokens, 1234);
  expectedLedger.set(lastId(), { cost: null, stream: false, provider: 'gemini', endpoint: 'gemini_count_tokens' });
});

test('countTokens_TranslatedTargets_AnswerTheGatewaysEstimate', async () => {
  for (const model of ['openai/gpt-4o', 'anthropic/claude-haiku-4-5']) {
    const counted = await ai.models.countTokens({ model, contents: 'How many tokens are in this sentence, roughly?' });
    assert.ok(counted.totalTokens > 5 && counted.totalTokens < 40, `${model}: ${counted.totalTokens}`);
    expectedLedger.set(lastId(), { cost: null, stream: false, endpoint: 'gemini_count_tokens' });
  }
});

test('embedContent_ToAnOpenAIDialectDeployment_IsTranslatedAndPriced', async () => {
  const response = await ai.models.embedContent({
    model: 'openai/text-embedding-3-small',
    contents: ['first text to embed', 'second text'],
    config: { outputDimensionality: 8 },
  });
  assert.equal(response.embeddings.length, 2);
  assert.equal(response.embeddings[0].values.length, 8);
  assert.ok(response.embeddings[0].values.every((v) => typeof v === 'number'));
  assert.notDeepEqual(response.embeddings[0].values, response.embeddings[1].values);
  expectedLedger.set(lastId(), { stream: false, provider: 'openai', endpoint: 'batch_embed_contents', embedding: true });
});

test('embedContent_ToGemini_IsPassedThrough', async () => {
  const response = await ai.models.embedContent({
    model: 'gemini/gemini-embedding-001',
    contents: ['first text to embed', 'second text'],
    config: { outputDimensionality: 16 },
  });
  assert.equal(response.embeddings.length, 2);
  assert.equal(response.embeddings[1].values.length, 16);
  assert.equal(response.sdkHttpResponse.headers['x-tollgate-provider'], 'gemini');
  // Gemini reports no usage for embeddings: the ledger prices the gateway's estimate of the texts.
  expectedLedger.set(lastId(), { stream: false, provider: 'gemini', endpoint: 'batch_embed_contents', estimated: true });
});

test('models_ListAndGet_InGeminiShape', async () => {
  const pager = await ai.models.list();
  const names = [];
  for await (const m of pager) {
    names.push(m.name);
  }
  assert.ok(names.includes('models/gemini/gemini-2.5-flash'), names.slice(0, 5).join(','));
  const one = await ai.models.get({ model: 'gemini/gemini-2.5-flash' });
  assert.equal(one.name, 'models/gemini/gemini-2.5-flash');
  assert.equal(one.inputTokenLimit, 1048576);
  assert.ok(one.supportedActions.includes('generateContent'), JSON.stringify(one));
});

test('v1beta_ApiVersionAndBareModelName_ReachGemini', async () => {
  const beta = genai(MASTER_KEY, 'v1beta');
  const response = await beta.models.generateContent({ model: 'gemini-2.5-flash', contents: 'bare name' });
  assert.equal(response.text, 'Echo: bare name');
  assert.equal(response.sdkHttpResponse.headers['x-tollgate-provider'], 'gemini');
});

test('errors_BadKeyUnknownModelAndSpentBudget_AreTheSdksApiErrors', async () => {
  const bad = await failure(() => genai('tg-not-a-key').models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'hi' }));
  assert.ok(bad instanceof ApiError, bad.constructor.name);
  assert.equal(bad.status, 401);
  assert.match(bad.message, /UNAUTHENTICATED/);

  const unknown = await failure(() => ai.models.generateContent({ model: 'no-such-model-anywhere', contents: 'hi' }));
  assert.ok(unknown instanceof ApiError);
  assert.equal(unknown.status, 404);
  assert.match(unknown.message, /NOT_FOUND/);

  // A budget of $0.001: the first request fits its worst case, but the provider reports 1000 prompt and 100
  // output tokens on gpt-4o: 1000 * 2.5 + 100 * 10 = 3500 per 1M = $0.0035, past the budget.
  const created = await fetch(`${stack.rootURL}/v1/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'gemini-tiny', limit: { retention: 'day', threshold: 0.001 } }),
  });
  const key = (await created.json()).data.key;
  const budgeted = genai(key);
  const spent = await budgeted.models.generateContent({
    model: 'openai/gpt-4o',
    contents: 'spend it\n#emulator prompt_tokens=1000 completion_tokens=100',
    config: { maxOutputTokens: 20 },
  });
  assert.equal(spent.text, 'Echo: spend it');
  expectedLedger.set(lastId(), { cost: 0.0035, stream: false, provider: 'openai', endpoint: 'generate_content' });
  for (const model of ['openai/gpt-4o', 'gemini/gemini-2.5-flash']) {
    const refused = await failure(() => budgeted.models.generateContent({ model, contents: 'more', config: { maxOutputTokens: 10 } }));
    assert.ok(refused instanceof ApiError, refused.constructor.name);
    assert.equal(refused.status, 429, model);
    assert.match(refused.message, /RESOURCE_EXHAUSTED/, model);
    assert.match(refused.message, /budget/, model);
  }
});

test('streams_CutHalfWay_EndInAnErrorTheSdkRaises', async () => {
  for (const { model } of TARGETS) {
    const stream = await ai.models.generateContentStream({ model, contents: 'one two three four five six\n#emulator fault=cut', config: { maxOutputTokens: 50 } });
    let text = '';
    const err = await failure(async () => {
      for await (const chunk of stream) {
        text += chunk.text ?? '';
      }
    });
    assert.ok(err instanceof ApiError, `${model}: ${err}`);
    assert.equal(err.status, 502, model);
    assert.match(err.message, /UNAVAILABLE/, model);
    assert.ok(text.length > 0 && text.length < 'Echo: one two three four five six'.length, `${model}: ${text}`);
  }
});

test('keys_ScopesDecideWhichGeminiMethodsAKeyMayCall', async () => {
  const create = async (fields) => {
    const res = await fetch(`${stack.rootURL}/v1/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(fields),
    });
    return (await res.json()).data.key;
  };
  const embedOnly = genai(await create({ name: 'embed-only', scopes: ['model:embedding'] }));
  const refused = await failure(() => embedOnly.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'hi' }));
  assert.ok(refused instanceof ApiError, refused.constructor.name);
  assert.equal(refused.status, 403);
  assert.match(refused.message, /PERMISSION_DENIED/);
  assert.match(refused.message, /model:chat/);
  const vectors = await embedOnly.models.embedContent({ model: 'openai/text-embedding-3-small', contents: ['scoped'] });
  assert.equal(vectors.embeddings.length, 1);

  const chatOnly = genai(await create({ name: 'chat-only', scopes: ['model:chat'] }));
  assert.equal((await chatOnly.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'scoped' })).text, 'Echo: scoped');
  assert.ok((await chatOnly.models.countTokens({ model: 'openai/gpt-4o', contents: 'scoped' })).totalTokens > 0);
  const noEmbed = await failure(() => chatOnly.models.embedContent({ model: 'openai/text-embedding-3-small', contents: ['x'] }));
  assert.equal(noEmbed.status, 403);
});

test('errors_UnknownMethodAndPath_AreGeminiShaped404s', async () => {
  for (const path of ['/v1beta/models/gemini-2.5-flash:predictLongRunning', '/v1beta/cachedContents']) {
    const res = await fetch(stack.rootURL + path, { method: 'POST', headers: { 'x-goog-api-key': MASTER_KEY }, body: '{}' });
    assert.equal(res.status, 404, path);
    const body = await res.json();
    assert.equal(body.error.code, 404, path);
    assert.equal(body.error.status, 'NOT_FOUND', path);
  }
  // A repeated member the gateway reads is refused, not guessed at.
  const res = await fetch(`${stack.rootURL}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: 'POST',
    headers: { 'x-goog-api-key': MASTER_KEY, 'Content-Type': 'application/json' },
    body: '{"contents":[{"parts":[{"text":"a"}]}],"generationConfig":{"maxOutputTokens":5},"generationConfig":{"maxOutputTokens":500000}}',
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.status, 'INVALID_ARGUMENT');
  assert.match(body.error.message, /more than once/);
});

test('requests_AfterTheCalls_LedgerHasEachWithItsEndpointAndCost', async () => {
  const entries = await ledgerEntries(stack, [...expectedLedger.keys()]);
  for (const [id, want] of expectedLedger) {
    const entry = entries.get(id);
    assert.equal(entry.status, 200, `${id} status`);
    assert.equal(entry.endpoint, want.endpoint, `${id} endpoint`);
    assert.equal(entry.stream, want.stream, `${id} stream`);
    if (want.provider) {
      assert.equal(entry.provider, want.provider, `${id} provider`);
    }
    if (want.embedding) {
      // Embeddings bill their input only: the emulator counts 4 + 4 tokens for the two texts, 8 * 0.02 per 1M.
      assert.equal(entry.usage.input_tokens, 8, JSON.stringify(entry));
      assert.equal(entry.cost, 1.6e-7, `${id} cost`);
    } else if (want.estimated) {
      // The gateway's tokenizer count of the two texts only ("first text to embed", "second text"): 4 + 2 tokens,
      // 6 * 0.15 per 1M for gemini-embedding-001.
      assert.equal(entry.estimated, true, `${id} estimated`);
      assert.equal(entry.usage.input_tokens, 6, JSON.stringify(entry));
      assert.equal(entry.cost, 9e-7, `${id} cost`);
    } else if ('cost' in want) {
      assert.equal(entry.cost, want.cost, `${id} cost`);
    } else {
      assert.ok(entry.cost > 0, `${id} cost`);
    }
  }
});

test('secrets_NoProviderKeyInAnyResponseOrTheGatewayLog', async () => {
  const texts = await seen.texts();
  assert.ok(texts.length > 10);
  for (const secret of PROVIDER_SECRETS) {
    for (const t of texts) {
      assert.ok(!t.includes(secret), `a response carries ${secret}`);
    }
    assert.ok(!stack.gateway.log.includes(secret), `the gateway log carries ${secret}`);
  }
  assert.ok(!stack.gateway.log.includes(MASTER_KEY), 'the gateway log carries the key sent as ?key=');
});
