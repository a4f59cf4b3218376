// The Codex CLI (@openai/codex, `codex exec`) against a real gateway in front of the emulator, through a custom model
// provider with wire_api = "responses": the emulator answers Codex's first request with a call of Codex's own
// exec_command tool, Codex runs it in its sandbox and sends the output back, and the emulator's text answer ends the
// turn. Once to OpenAI itself (passthrough) and translated to groq and anthropic. Each run is bounded and its process
// killed by pid on timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MASTER_KEY, PROVIDER_SECRETS, getJson, startStack, stopStack } from './harness.js';

const CODEX = join(import.meta.dirname, 'node_modules', '@openai', 'codex-linux-x64', 'vendor', 'x86_64-unknown-linux-musl', 'bin', 'codex');
const RUN_TIMEOUT_MS = 90_000;

// USD per 1M tokens, from the catalog.
const PRICES = {
  'openai/gpt-4o': { input: 2.5, cached: 1.25, output: 10 },
  'groq/llama-3.3-70b-versatile': { input: 0.59, cached: 0.59, output: 0.79 },
  'anthropic/claude-sonnet-4-5': { input: 3, cached: 0.3, output: 15 },
};

let stack;
const dirs = [];

before(async () => {
  stack = await startStack({ anthropicAndGemini: true });
});

after(async () => {
  await stopStack(stack);
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `codex exec --json` with a CODEX_HOME whose config points at the gateway; resolves with its JSONL events. */
function codexExec(model, prompt) {
  const home = mkdtempSync(join(tmpdir(), 'tollgate-codex-home-'));
  const work = mkdtempSync(join(tmpdir(), 'tollgate-codex-work-'));
  dirs.push(home, work);
  writeFileSync(join(work, 'tollgate-marker.txt'), 'hello\n');
  // web_search is one of OpenAI's built-in tools, which Tollgate refuses for providers that cannot run it.
  writeFileSync(join(home, 'config.toml'), [
    `model = "${model}"`,
    'model_provider = "tollgate"',
    'web_search = "disabled"',
    '',
    '[model_providers.tollgate]',
    'name = "Tollgate"',
    `base_url = "${stack.baseURL}"`,
    'env_key = "TOLLGATE_API_KEY"',
    'wire_api = "responses"',
    '',
  ].join('\n'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_(API_KEY|BASE_URL)$/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(CODEX, ['exec', '--json', '--skip-git-repo-check', '-C', work, prompt], {
      env: { ...env, CODEX_HOME: home, TOLLGATE_API_KEY: MASTER_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => {
      process.kill(child.pid, 'SIGKILL');
      reject(new Error(`codex exec did not finish within ${RUN_TIMEOUT_MS} ms:\n${out}\n${err}`));
    }, RUN_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`codex exec exited ${code}:\n${out}\n${err}`));
        return;
      }
      resolve({ events: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)), log: out + err });
    });
  });
}

for (const model of Object.keys(PRICES)) {
  test(`codex_Exec_${model.split('/')[0]}_RunsItsShellToolThroughTollgateAndFinishes`, async () => {
    const before = (await getJson(stack, '/v1/requests?limit=1000')).body.data.length;
    const { events, log } = await codexExec(model, 'List the files in this directory.\n#emulator tool=exec_command tool_args={"cmd":"ls"}');

    const command = events.find((e) => e.type === 'item.completed' && e.item.type === 'command_execution');
    assert.ok(command, log);
    assert.equal(command.item.exit_code, 0, log);
    assert.match(command.item.aggregated_output, /tollgate-marker\.txt/);
    const message = events.find((e) => e.type === 'item.completed' && e.item.type === 'agent_message');
    // The emulator echoes the last user turn; in Anthropic's dialect that is the tool result, which has no text.
    assert.equal(message?.item.text, model.startsWith('anthropic/') ? 'Echo.' : 'Echo: List the files in this directory.', log);
    const turn = events.find((e) => e.type === 'turn.completed');
    assert.ok(turn, log);
    for (const secret of PROVIDER_SECRETS) {
      assert.ok(!log.includes(secret));
    }

    // Two Responses calls (the tool call, then the answer to its output), each priced from its own usage, and
    // together the tokens Codex counted for the turn.
    const entries = (await getJson(stack, '/v1/requests?limit=1000')).body.data.slice(0, -before || undefined)
      .filter((e) => e.model === model);
    assert.equal(entries.length, 2, JSON.stringify(entries));
    const price = PRICES[model];
    for (const e of entries) {
      assert.equal(e.endpoint, 'responses');
      assert.equal(e.status, 200);
      assert.equal(e.stream, true);
      const expected = (e.usage.input_tokens * price.input + e.usage.cache_read_tokens * price.cached + e.usage.output_tokens * price.output) / 1e6;
      assert.equal(Number(e.cost.toFixed(12)), Number(expected.toFixed(12)));
    }
    assert.equal(entries.reduce((s, e) => s + e.usage.input_tokens + e.usage.cache_read_tokens, 0), turn.usage.input_tokens);
    assert.equal(entries.reduce((s, e) => s + e.usage.output_tokens, 0), turn.usage.output_tokens);
  });
}
