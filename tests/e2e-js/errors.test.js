// Errors through the official `openai` npm client: each gateway status maps to the SDK's error class, upstream
// errors pass on with the provider's message, and failed requests are in the ledger too. Also GET /v1/models.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { MASTER_KEY, PROVIDER_SECRETS, Recorder, client, getJson, ledgerEntries, startStack, stopStack } from './harness.js';

// A short upstream timeout so the 504 test is quick; a small body limit so the 413 test needs no huge body.
const CONFIG = { upstream_timeout_seconds: 2, max_request_body_bytes: 65536 };

let stack;
const seen = new Recorder();
let openai;
// Gateway request id -> the status and error type its ledger entry must carry.
const expectedLedger = new Map();

before(async () => {
  stack = await startStack({ config: CONFIG });
  openai = client(stack, { seen });
});

after(async () => {
  await stopStack(stack);
});

const hi = [{ role: 'user', content: 'hi' }];

/** The newest ledger entry for a stream not among `known` ids; polls, since ledger writes are batched. */
async function newestStreamEntry(known) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { body } = await getJson(stack, '/v1/requests?limit=5');
    const entry = body.data.find((e) => e.stream && !known.has(e.id));
    if (entry || Date.now() > deadline) {
      assert.ok(entry, 'the cut stream has a ledger entry');
      return entry;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs `call`, expects it to throw, and returns the error. */
async function failure(call) {
  try {
    await call();
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

test('auth_WrongKey_IsAuthenticationError401', async () => {
  const bad = client(stack, { apiKey: 'tg-not-the-master-key', seen });
  const err = await failure(() => bad.chat.completions.create({ model: 'openai/gpt-4o', messages: hi }));
  assert.ok(err instanceof OpenAI.AuthenticationError, err.constructor.name);
  assert.equal(err.status, 401);
  assert.equal(err.code, 'invalid_api_key');
  assert.equal(err.type, 'invalid_request_error');

  const models = await failure(() => bad.models.list());
  assert.ok(models instanceof OpenAI.AuthenticationError);
});

test('route_UnknownBareModel_IsNotFoundError404', async () => {
  const err = await failure(() => openai.chat.completions.create({ model: 'no-such-model-e2e', messages: hi }));
  assert.ok(err instanceof OpenAI.NotFoundError, err.constructor.name);
  assert.equal(err.status, 404);
  assert.equal(err.param, 'model');
  assert.match(err.message, /no-such-model-e2e/);
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 404 });
});

test('route_UnknownOrUnconfiguredProvider_IsNotFoundError404', async () => {
  for (const model of ['nosuchprovider/some-model', 'moonshot/kimi-k2-0905-preview']) {
    const err = await failure(() => openai.chat.completions.create({ model, messages: hi }));
    assert.ok(err instanceof OpenAI.NotFoundError, `${model}: ${err.constructor.name}`);
    assert.equal(err.status, 404);
  }
});

test('validation_MissingMessages_IsBadRequestError400', async () => {
  const err = await failure(() => openai.chat.completions.create({ model: 'openai/gpt-4o' }));
  assert.ok(err instanceof OpenAI.BadRequestError, err.constructor.name);
  assert.equal(err.status, 400);
  assert.equal(err.param, 'messages');
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 400 });
});

test('validation_EmbeddingsWithoutInput_IsBadRequestError400', async () => {
  const err = await failure(() => openai.embeddings.create({ model: 'openai/text-embedding-3-small' }));
  assert.ok(err instanceof OpenAI.BadRequestError, err.constructor.name);
  assert.equal(err.status, 400);
  assert.equal(err.param, 'input');
});

test('route_EndpointTheGatewayDoesNotServe_IsNotFoundError404', async () => {
  // The legacy completions endpoint is not part of the gateway.
  const err = await failure(() => openai.completions.create({ model: 'openai/gpt-4o', prompt: 'hi' }));
  assert.ok(err instanceof OpenAI.NotFoundError, err.constructor.name);
  assert.equal(err.status, 404);
  assert.equal(err.code, 'unknown_endpoint');
});

test('validation_MalformedJson_Is400InTheOpenAIErrorShape', async () => {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
    body: '{"model": "openai/gpt-4o", "messages": [',
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.type, 'invalid_request_error');
  assert.equal(typeof body.error.message, 'string');
  assert.ok('param' in body.error && 'code' in body.error);
});

test('upstream400_UnknownEmulatorKnob_IsBadRequestErrorWithTheProviderMessage', async () => {
  const err = await failure(() => openai.chat.completions.create({ model: 'openai/gpt-4o', messages: hi, emulator: { no_such_knob: 1 } }));
  assert.ok(err instanceof OpenAI.BadRequestError, err.constructor.name);
  assert.equal(err.status, 400);
  // The emulator (the provider here) names the knob; the gateway passes its error on.
  assert.equal(err.param, 'emulator.no_such_knob');
  assert.match(err.message, /no_such_knob/);
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 400, error_type: 'upstream_400' });
});

test('upstream429_StatusKnob_IsRateLimitErrorWithProviderMessageAndRetryAfter', async () => {
  const err = await failure(() => openai.chat.completions.create({
    model: 'groq/llama-3.3-70b-versatile',
    messages: hi,
    emulator: { status: 429, retry_after: 7 },
  }));
  assert.ok(err instanceof OpenAI.RateLimitError, err.constructor.name);
  assert.equal(err.status, 429);
  assert.equal(err.code, 'rate_limit_exceeded');
  assert.equal(err.type, 'requests');
  assert.match(err.message, /Rate limit reached for requests/);
  assert.equal(err.headers.get('retry-after'), '7');
  assert.equal(err.headers.get('x-tollgate-provider'), 'groq');
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 429, error_type: 'upstream_429' });
});

test('upstream503_StatusKnobOnAStream_IsInternalServerError503', async () => {
  const err = await failure(async () => {
    const stream = await openai.chat.completions.create({ model: 'openai/gpt-4o', stream: true, messages: hi, emulator: { status: 503 } });
    for await (const _ of stream) {
      // drain
    }
  });
  assert.ok(err instanceof OpenAI.InternalServerError, err.constructor.name);
  assert.equal(err.status, 503);
});

test('upstreamStreamCut_HalfWay_ClientSeesAnErrorAndTheLedgerEstimatesUsage', async () => {
  const before = new Set(seen.ids);
  let text = '';
  let sawFinish = false;
  const err = await failure(async () => {
    const stream = await openai.chat.completions.create({
      model: 'openai/gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }],
      emulator: { fault: 'cut' },
    });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      sawFinish ||= chunk.choices[0]?.finish_reason != null;
    }
  });
  // The gateway passes the break on: the client must not take a cut stream for a complete one. (On a loaded
  // machine the cut can come before the first byte, so the error may come from the call or from the loop.)
  assert.ok(err instanceof Error, String(err));
  assert.ok(!sawFinish, 'no finish chunk after a cut');
  assert.ok(!text.includes('ten'), `the reply stopped early: ${text}`);

  // The request id is in the response headers when they arrived; else it is the ledger's newest entry.
  const id = seen.ids.find((i) => !before.has(i));
  const entry = id ? (await ledgerEntries(stack, [id])).get(id) : await newestStreamEntry(before);
  assert.equal(entry.stream, true);
  assert.equal(entry.status, 502);
  assert.equal(entry.estimated, true);
  // Counted with the tokenizer, so some prompt tokens and a priced (estimated) cost.
  assert.ok(entry.usage.input_tokens > 0);
  assert.ok(entry.cost > 0, `cost ${entry.cost}`);
});

test('upstreamUnreachable_ClosedPort_IsAPIError502', async () => {
  const err = await failure(() => openai.chat.completions.create({ model: 'mistral/mistral-large-latest', messages: hi }));
  assert.ok(err instanceof OpenAI.APIError, err.constructor.name);
  assert.equal(err.status, 502);
  assert.equal(err.code, 'upstream_unreachable');
  assert.match(err.message, /mistral/);
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 502 });
});

test('upstreamTimeout_SlowerThanTheLimit_IsAPIError504', async () => {
  const started = Date.now();
  // The emulator waits 6 s before answering; the gateway gives up after the configured 2 s.
  const err = await failure(() => openai.chat.completions.create({ model: 'openai/gpt-4o', messages: hi, emulator: { latency_ms: 6000 } }));
  const elapsed = Date.now() - started;
  assert.ok(err instanceof OpenAI.APIError, err.constructor.name);
  assert.equal(err.status, 504);
  assert.equal(err.code, 'upstream_timeout');
  assert.ok(elapsed >= 1900 && elapsed < 5500, `answered after ${elapsed} ms`);
  expectedLedger.set(err.headers.get('x-tollgate-request-id'), { status: 504 });
});

test('bodyLimit_BodyOverTheConfiguredLimit_IsAPIError413', async () => {
  const big = 'x'.repeat(70_000);
  const err = await failure(() => openai.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: big }] }));
  assert.ok(err instanceof OpenAI.APIError, err.constructor.name);
  assert.equal(err.status, 413);
});

test('models_List_HasTheOpenAIShapeWithPricesForEnabledProvidersOnly', async () => {
  const page = await openai.models.list();
  assert.ok(page.data.length >= 1);
  const enabled = new Set(['openai', 'groq', 'deepseek', 'mistral']);
  for (const m of page.data) {
    assert.equal(m.object, 'model');
    assert.equal(typeof m.created, 'number');
    assert.ok(enabled.has(m.owned_by), `${m.id} is served by ${m.owned_by}, which is not configured`);
    assert.ok(m.id.startsWith(`${m.owned_by}/`), m.id);
    assert.equal(typeof m.pricing.input, 'number');
    assert.equal(typeof m.pricing.cached_input, 'number');
    assert.equal(typeof m.pricing.output, 'number');
    assert.ok('context_length' in m && 'max_output_tokens' in m);
  }
  // The catalog's gpt-4o: 2.50 / 1.25 / 10.00 USD per 1M, batch at half, priority 4.25 / 2.125 / 17; 128K context, 16K output.
  const gpt4o = page.data.find((m) => m.id === 'openai/gpt-4o');
  assert.ok(gpt4o, 'openai/gpt-4o is listed');
  assert.deepEqual(gpt4o.pricing, {
    input: 2.5, cached_input: 1.25, output: 10,
    batch: { input: 1.25, output: 5 }, priority: { input: 4.25, cached_input: 2.125, output: 17 },
  });
  assert.equal(gpt4o.source.file, '000_8b2dea290987c8e8.txt');
  assert.equal(gpt4o.context_length, 128000);
  assert.equal(gpt4o.max_output_tokens, 16384);
  // No demo provider once a real one is configured.
  assert.ok(!page.data.some((m) => m.id.startsWith('demo/')));
});

test('models_RetrieveProviderSlashModel_ReturnsTheEntry', async () => {
  const model = await openai.models.retrieve('openai/gpt-4o');
  assert.equal(model.id, 'openai/gpt-4o');
  assert.equal(model.object, 'model');
  assert.equal(model.owned_by, 'openai');

  // An id whose model part holds a slash (the SDK sends groq%2Fopenai%2Fgpt-oss-120b).
  const nested = await openai.models.retrieve('groq/openai/gpt-oss-120b');
  assert.equal(nested.id, 'groq/openai/gpt-oss-120b');
  assert.equal(nested.owned_by, 'groq');

  const err = await failure(() => openai.models.retrieve('openai/no-such-model-e2e'));
  assert.ok(err instanceof OpenAI.NotFoundError, err.constructor.name);
});

test('requests_AfterTheFailures_LedgerHasEachFailedRequestWithNoCost', async () => {
  assert.ok(expectedLedger.size >= 6);
  const entries = await ledgerEntries(stack, [...expectedLedger.keys()]);
  for (const [id, want] of expectedLedger) {
    const entry = entries.get(id);
    assert.equal(entry.status, want.status, `${id} status`);
    assert.notEqual(entry.error_type, null, `${id} error_type`);
    if (want.error_type) {
      assert.equal(entry.error_type, want.error_type, `${id} error_type`);
    }
    assert.equal(entry.cost, null, `${id} cost`);
  }

  const forbidden = await getJson(stack, '/v1/requests', 'tg-not-the-master-key');
  assert.equal(forbidden.status, 401);
});

test('secrets_AfterTheFailures_NoProviderKeyInAnyResponseOrLog', async () => {
  const texts = await seen.texts();
  assert.ok(texts.length >= 10);
  for (const text of texts) {
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!text.includes(secret), 'a provider key reached a client');
    }
  }
  for (const secret of PROVIDER_SECRETS) {
    assert.ok(!stack.gateway.log.includes(secret), 'a provider key reached the gateway log');
  }
});
