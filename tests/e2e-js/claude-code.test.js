// Claude Code (`@anthropic-ai/claude-code`, its native binary, `claude -p`) against a real gateway in front of the
// emulator, configured as a user would: tollgate.json maps Claude Code's own model names to deployments with prices.
// Every call Claude Code makes goes through a recording proxy, so the test knows (and checks) what it calls.
// Token counts come from the emulator's knobs, an `#emulator` line of the prompt (the last user text, which every
// dialect keeps). Costs by hand (USD per 1M tokens):
//   claude-opus-5-5 (tollgate.json prices, anthropic deployment): input 5, output 25
//   openai/gpt-4o (catalog):                                    input 2.50, output 10
// The official SDKs' retry of a budget refusal is checked here too: `x-should-retry: false` must stop them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { MASTER_KEY, PROVIDER_SECRETS, getJson, ledgerEntries, repoRoot, startStack, stopStack } from './harness.js';

const CLAUDE_VERSION = '2.1.328';
// npm did not run the wrapper's postinstall: the platform package's native binary is started directly.
const CLAUDE_BIN = join(repoRoot, 'tests', 'e2e-js', 'node_modules', '@anthropic-ai', 'claude-code-linux-x64', 'claude');
const CLAUDE_TIMEOUT_MS = 120_000;
const running = new Set();

process.on('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

let stack;
let proxy;
// Every request Claude Code sent: method, path (with query), status.
const calls = [];

/** A pass-through HTTP proxy on 127.0.0.1 in front of the gateway that records each request. */
function startProxy(target) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      calls.push({ method: req.method, path: req.url, status: up.statusCode, headers: up.headers });
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    forward.on('error', (err) => {
      calls.push({ method: req.method, path: req.url, status: 0, error: String(err) });
      res.destroy(err);
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

before(async () => {
  stack = await startStack({
    anthropicAndGemini: true,
    config: {
      models: {
        // Claude Code's default names, newer than the catalog: a user maps them with their prices.
        'claude-opus-5-5': {
          deployments: [{ provider: 'anthropic', model: 'claude-opus-5-5' }],
          prices: { input: 5, output: 25 },
          max_output: 128000,
        },
        'claude-haiku-5-5': {
          deployments: [{ provider: 'anthropic', model: 'claude-haiku-5-5' }],
          prices: { input: 1, output: 5 },
        },
      },
    },
  });
  proxy = await startProxy(stack.rootURL);
});

after(async () => {
  await new Promise((r) => proxy?.server.close(r) ?? r());
  await stopStack(stack);
});

/**
 * Runs `claude -p prompt --output-format json` in `cwd` with a temporary HOME, only 127.0.0.1 reachable (the
 * proxy), no telemetry, updater or other non-essential traffic; killed by its pid after a bounded time.
 */
function runClaude({ prompt, model, apiKey = MASTER_KEY, authToken = false, cwd, args = [] }) {
  const home = mkdtempSync(join(tmpdir(), 'tollgate-claude-home-'));
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(CLAUDE_BIN, ['-p', prompt, '--output-format', 'json', '--model', model, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        LANG: 'C.UTF-8',
        HOME: home,
        CLAUDE_CONFIG_DIR: join(home, '.claude'),
        ANTHROPIC_BASE_URL: proxy.url,
        // ANTHROPIC_API_KEY is sent as x-api-key, ANTHROPIC_AUTH_TOKEN as Authorization: Bearer; the gateway takes both.
        ...(authToken ? { ANTHROPIC_AUTH_TOKEN: apiKey } : { ANTHROPIC_API_KEY: apiKey }),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
        CLAUDE_CODE_ENABLE_TELEMETRY: '0',
        // Never a proxy or a cloud provider from the calling shell.
        NO_PROXY: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), CLAUDE_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      rmSync(home, { recursive: true, force: true });
      let result = null;
      try {
        result = JSON.parse(stdout);
      } catch {
        // Not JSON: the assertions show stdout and stderr.
      }
      resolve({ code, signal, stdout, stderr, result, ms: Date.now() - started });
    });
  });
}

/** The ledger entries of the calls Claude Code made since call number `from`. */
async function entriesSince(from) {
  const ids = calls.slice(from).map((c) => c.headers?.['x-tollgate-request-id']).filter(Boolean);
  const entries = await ledgerEntries(stack, ids);
  return ids.map((id) => entries.get(id));
}

async function createKey(fields) {
  const res = await fetch(`${stack.rootURL}/v1/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.data;
}

test('claudeCode_version_IsThePinnedOne', async () => {
  assert.ok(existsSync(CLAUDE_BIN), `${CLAUDE_BIN} is missing: run npm ci`);
  const out = await new Promise((resolve) => {
    const child = spawn(CLAUDE_BIN, ['--version'], { env: { PATH: process.env.PATH, HOME: tmpdir(), DISABLE_AUTOUPDATER: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('exit', () => resolve(text));
  });
  assert.match(out, new RegExp(CLAUDE_VERSION.replaceAll('.', '\\.')));
});

test('claudeCode_DefaultModelNameMappedInTollgateJson_AnswersWithHandComputedCost', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tollgate-claude-cwd-'));
  const from = calls.length;
  try {
    const run = await runClaude({ prompt: 'Say hello.\n#emulator prompt_tokens=1200 completion_tokens=30', model: 'claude-opus-5-5', cwd });

    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.result.is_error, false, run.stdout);
    // The emulator echoes the last user turn: Claude Code's reminders, then the prompt (the knob line removed).
    assert.match(run.result.result, /^Echo: [\s\S]*Say hello\.$/);
    // Claude Code's own accounting reads the usage the gateway relayed.
    assert.equal(run.result.usage.input_tokens, 1200, run.stdout);
    assert.equal(run.result.usage.output_tokens, 30, run.stdout);

    const mine = calls.slice(from);
    assert.ok(mine.length >= 1, 'Claude Code called the gateway');
    for (const call of mine) {
      assert.equal(call.status, 200, `${call.method} ${call.path}`);
    }
    const messages = (await entriesSince(from)).filter((e) => e.endpoint === 'messages');
    assert.equal(messages.length, 1, JSON.stringify(messages));
    // 1200 * $5/M + 30 * $25/M
    assert.equal(messages[0].cost, 0.00675);
    assert.equal(messages[0].provider, 'anthropic');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('claudeCode_NonAnthropicModelWithToolTurn_WritesTheFileThenAnswers', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tollgate-claude-cwd-'));
  const target = join(cwd, 'out.txt');
  const from = calls.length;
  try {
    const args = JSON.stringify({ file_path: target, content: 'written-through-tollgate' });
    const run = await runClaude({
      prompt: `Write the file.\n#emulator tool=Write tool_args=${args} prompt_tokens=1200 completion_tokens=30`,
      model: 'openai/gpt-4o',
      cwd,
      args: ['--allowedTools', 'Write', '--max-turns', '4'],
    });

    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.result.is_error, false, run.stdout);
    // The emulator (OpenAI dialect, reached through the translation) called Write; Claude Code ran it.
    assert.equal(readFileSync(target, 'utf8'), 'written-through-tollgate');
    assert.match(run.result.result, /^Echo: [\s\S]*Write the file\.$/);

    const mine = calls.slice(from);
    for (const call of mine) {
      assert.equal(call.status, 200, `${call.method} ${call.path}`);
    }
    const messages = (await entriesSince(from)).filter((e) => e.endpoint === 'messages');
    // The tool call, then the answer to its result; each 1200 * $2.50/M + 30 * $10/M.
    assert.equal(messages.length, 2, JSON.stringify(messages));
    for (const entry of messages) {
      assert.equal(entry.provider, 'openai');
      assert.equal(entry.cost, 0.0033);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('claudeCode_BudgetSpent_ExitsPromptlyWithTheBudgetMessageAfterOneRequest', async (t) => {
  const key = await createKey({ name: 'claude-code-budget', limit: { retention: 'day', threshold: 0.01 } });
  // Spend the budget: 1990 * $5/M + 10 * $25/M = $0.0102, admitted on a small prompt estimate, settled past $0.01.
  const sdk = new Anthropic({ baseURL: stack.rootURL, apiKey: key.key, maxRetries: 0 });
  await sdk.messages.create({ model: 'claude-opus-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'spend\n#emulator prompt_tokens=1990 completion_tokens=10' }] });

  const cwd = mkdtempSync(join(tmpdir(), 'tollgate-claude-cwd-'));
  const from = calls.length;
  try {
    const run = await runClaude({ prompt: 'Say hello.', model: 'claude-opus-5-5', apiKey: key.key, authToken: true, cwd });

    assert.notEqual(run.code, 0, run.stdout);
    assert.equal(run.result?.is_error, true, `${run.stdout}\n${run.stderr}`);
    assert.match(run.result.result, /budget of \$0\.01 per UTC day/, run.stdout);
    // Not retried for minutes: one refused request, and Claude Code is done in seconds.
    const mine = calls.slice(from).filter((c) => c.path.startsWith('/v1/messages'));
    assert.equal(mine.length, 1, JSON.stringify(mine.map((c) => [c.path, c.status])));
    assert.equal(mine[0].status, 402);
    assert.equal(mine[0].headers['x-should-retry'], 'false');
    assert.ok(run.ms < 30_000, `${run.ms} ms`);
    t.diagnostic(`Claude Code exited ${run.ms} ms after it started, after one refused request`);
    const [refused] = await entriesSince(from);
    assert.equal(refused.status, 402);
    assert.equal(refused.key, key.prefix);
    assert.equal(refused.cost, null);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('sdks_BudgetRefusal_NotRetriedByTheOfficialClients', async () => {
  const key = await createKey({ name: 'sdk-budget', limit: { retention: 'day', threshold: 0.000001 } });
  let attempts = 0;
  const counting = async (url, init) => {
    attempts++;
    return fetch(url, init);
  };
  // Default retry settings (2 retries): the header must stop both.
  const anthropic = new Anthropic({ baseURL: stack.rootURL, apiKey: key.key, fetch: counting });
  const openai = new OpenAI({ baseURL: stack.baseURL, apiKey: key.key, fetch: counting });

  const a = await anthropic.messages.create({ model: 'claude-opus-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
  assert.equal(a.status, 402);
  assert.equal(a.error?.error?.type, 'billing_error');
  assert.equal(attempts, 1);

  const o = await openai.chat.completions.create({ model: 'claude-opus-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
  assert.equal(o.status, 429);
  assert.equal(o.code, 'insufficient_quota');
  assert.equal(attempts, 2);
});

test('claudeCode_Calls_OnlyEndpointsTheGatewayServes', async () => {
  // What Claude Code called in the tests above (with non-essential traffic off): /v1/messages?beta=true only.
  assert.ok(calls.length >= 4, `${calls.length} calls`);
  for (const call of calls) {
    assert.match(call.path, /^\/v1\/messages(\/count_tokens)?\?beta=true$/, `${call.method} ${call.path}`);
    assert.equal(call.method, 'POST');
  }
  const { body } = await getJson(stack, '/v1/requests?limit=1000');
  assert.ok(!JSON.stringify(body).includes(PROVIDER_SECRETS[4]));
  for (const secret of PROVIDER_SECRETS) {
    assert.ok(!stack.gateway.log.includes(secret), 'a provider key reached the gateway log');
  }
});
