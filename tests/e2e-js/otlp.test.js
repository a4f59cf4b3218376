// Traces over OTLP: a gateway started with the standard OTEL_* variables exports its request and attempt spans, with
// the GenAI attributes, to a collector (here a stub on 127.0.0.1 that keeps what it receives). OTLP/HTTP carries
// protobuf, whose strings are plain UTF-8 in the payload: the attribute names and values are looked for there.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { client, freePort, startStack, stopStack } from './harness.js';

let stack;
let collector;
const received = [];

before(async () => {
  const port = await freePort();
  collector = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((r) => collector.listen(port, '127.0.0.1', r));
  stack = await startStack({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_SERVICE_NAME: 'tollgate-e2e',
    },
  });
});

after(async () => {
  await stopStack(stack);
  await new Promise((r) => collector.close(r));
});

test('otlp_OneChatCall_RequestAndAttemptSpansWithGenAiAttributesReachTheCollector', async () => {
  const openai = client(stack);
  const { data, response } = await openai.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'trace-me-secret-words' }] })
    .withResponse();
  assert.ok(data.choices[0].message.content.length > 0);
  assert.ok(response.headers.get('x-tollgate-request-id'));

  const wanted = ['chat openai/gpt-4o-mini', 'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.provider.name',
    'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'tollgate.cost.usd', 'tollgate.attempt', 'tollgate-e2e'];
  let text = '';
  // The exporter sends a batch every 200 ms here: wait a bounded 10 s for the spans.
  for (let i = 0; i < 100 && !wanted.every((w) => text.includes(w)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    text = received.filter((r) => r.path === '/v1/traces').map((r) => r.body.toString('latin1')).join('\n');
  }
  const traces = received.filter((r) => r.path === '/v1/traces');
  assert.ok(traces.length > 0, `no export reached /v1/traces (paths: ${received.map((r) => r.path).join(', ')})`);
  assert.equal(traces[0].type, 'application/x-protobuf');
  for (const w of wanted) assert.ok(text.includes(w), `the export carries ${w}`);
  assert.ok(text.includes(String(data.usage.cost)), 'the span carries the request\'s cost as decimal text');
  assert.ok(!text.includes('trace-me-secret-words'), 'no prompt content in the spans');
});
