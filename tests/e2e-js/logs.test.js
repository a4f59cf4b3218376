// `log_format: "json"` and `log_requests: true`: the gateway's stdout is one JSON object per line, with one line per
// request carrying the ledger's facts (id, key id, model, provider, status, cost) and never a prompt or a key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MASTER_KEY, PROVIDER_SECRETS, client, ledgerEntries, startStack, stopStack } from './harness.js';

let stack;
before(async () => { stack = await startStack({ config: { log_format: 'json', log_requests: true } }); });
after(async () => { await stopStack(stack); });

/** The gateway's stdout lines so far, each parsed (a line that is not JSON fails the test; the banner goes to stderr). */
function logLines() {
  const out = stack.gateway.stdout;
  // Only whole lines: the last one may still be arriving.
  return out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      assert.fail(`a stdout line is not JSON: ${l}`);
    }
  });
}

test('jsonLogs_OneChatCall_OneRequestLineWithTheLedgersFacts', async () => {
  const openai = client(stack);
  const { data, response } = await openai.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'log-me-secret-words' }] })
    .withResponse();
  assert.ok(data.choices[0].message.content.length > 0);
  const id = response.headers.get('x-tollgate-request-id');
  assert.ok(id);

  let line;
  for (let i = 0; i < 50 && !line; i++) {
    line = logLines().find((l) => l.Category === 'Tollgate.Requests' && l.State?.RequestId === id);
    if (!line) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(line, 'the request has its JSON log line');
  assert.equal(line.LogLevel, 'Information');
  assert.equal(line.State.Model, 'openai/gpt-4o-mini');
  assert.equal(line.State.Provider, 'openai');
  assert.equal(line.State.Status, 200);
  assert.equal(line.State.KeyId, 'master');

  const entry = (await ledgerEntries(stack, [id])).get(id);
  assert.equal(Number(line.State.Cost), entry.cost);
  assert.equal(data.usage.cost, entry.cost);

  const all = stack.gateway.log;
  assert.ok(!all.includes('log-me-secret-words'), 'no prompt in the logs');
  assert.ok(!all.includes(MASTER_KEY), 'no key in the logs');
  for (const secret of PROVIDER_SECRETS) assert.ok(!all.includes(secret), 'no provider key in the logs');
});
