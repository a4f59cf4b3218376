// Starts a real emulator and a real gateway (the `tollgate` CLI) on free 127.0.0.1 ports for one test file,
// and stops both when the file's tests end, whether they passed or not.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MASTER_KEY = 'tg-e2e-master-key-0123456789';
export const PROVIDER_KEY = 'sk-test-provider-secret-123';
/** The provider credentials the stack configures; none may ever reach a client or a log. */
export const PROVIDER_SECRETS = [PROVIDER_KEY, 'gsk-test-groq-secret-456', 'sk-test-deepseek-secret-789', 'test-mistral-secret-000',
  'sk-ant-test-anthropic-secret-321', 'test-gemini-secret-654'];

const HEALTH_TIMEOUT_MS = 90_000;
const children = new Set();

// A crashed or interrupted test process must not leave servers behind.
process.on('exit', () => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
});

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs the built CLI (.build/tollgate/tollgate, the Native AOT executable `./tollgate` builds and runs). The test
 * files run in parallel, so they must not each start a build: `npm test` (or ../../test.sh) builds once before the tests.
 */
function startCli(args, env, name, cwd) {
  const exe = join(repoRoot, '.build', 'tollgate', 'tollgate');
  if (!existsSync(exe)) {
    throw new Error(`${exe} is missing: run ./tollgate --version (or npm test) first to build the CLI.`);
  }
  // Only this stack's providers: drop any provider or Tollgate setting the calling shell has.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => !/_(API_KEY|BASE_URL)$/.test(k) && !k.startsWith('TOLLGATE_')));
  const child = spawn(exe, args, {
    // A temporary directory, so no tollgate.json lying in the repository is picked up.
    cwd,
    env: { ...inherited, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // log: stdout and stderr as they came; stdout: stdout alone.
  const proc = { name, child, log: '', stdout: '', exited: null };
  child.stdout.on('data', (d) => { proc.log += d; proc.stdout += d; });
  child.stderr.on('data', (d) => { proc.log += d; });
  child.on('exit', (code, signal) => {
    proc.exited = { code, signal };
    children.delete(child);
  });
  children.add(child);
  return proc;
}

async function waitForHealth(proc, url) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exited) {
      throw new Error(`${proc.name} exited early (${JSON.stringify(proc.exited)}):\n${proc.log}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${proc.name} did not answer ${url} within ${HEALTH_TIMEOUT_MS} ms:\n${proc.log}`);
}

async function stop(proc) {
  if (proc.exited) {
    return;
  }
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the emulator and a gateway in front of it. openai, groq and deepseek point at the emulator;
 * mistral points at a closed port (127.0.0.1:1), so it is configured but unreachable.
 * `config` (optional) is written as tollgate.json and passed with --config; `localCatalog` (optional, a list of
 * catalog entries) is written where `tollgate catalog import` keeps its merged catalog. With `anthropicAndGemini`,
 * the anthropic and gemini providers point at the emulator too (its Messages and generateContent endpoints). `env`
 * (optional) adds variables to the gateway's environment (OTEL_* for the trace export test).
 */
export async function startStack({ config, localCatalog, anthropicAndGemini = false, env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-js-'));
  const stack = { dataDir, procs: [] };
  try {
    const emulatorPort = await freePort();
    const emulator = startCli(['emulate', '--port', String(emulatorPort)], {}, 'emulator', dataDir);
    stack.procs.push(emulator);

    const gatewayPort = await freePort();
    const upstream = `http://127.0.0.1:${emulatorPort}/v1`;
    const args = ['serve', '--port', String(gatewayPort)];
    if (config) {
      const path = join(dataDir, 'tollgate.json');
      writeFileSync(path, JSON.stringify(config));
      args.push('--config', path);
    }
    mkdirSync(join(dataDir, 'data'));
    if (localCatalog) {
      writeFileSync(join(dataDir, 'data', 'catalog.local.json'), JSON.stringify({ models: localCatalog }));
    }
    const gateway = startCli(args, {
      TOLLGATE_DATA_DIR: join(dataDir, 'data'),
      TOLLGATE_MASTER_KEY: MASTER_KEY,
      OPENAI_API_KEY: PROVIDER_KEY,
      OPENAI_BASE_URL: upstream,
      GROQ_API_KEY: PROVIDER_SECRETS[1],
      GROQ_BASE_URL: upstream,
      DEEPSEEK_API_KEY: PROVIDER_SECRETS[2],
      DEEPSEEK_BASE_URL: upstream,
      MISTRAL_API_KEY: PROVIDER_SECRETS[3],
      MISTRAL_BASE_URL: 'http://127.0.0.1:1/v1',
      // Both append their own paths (/v1/messages, /v1beta/models/...) to the emulator's root.
      ...(anthropicAndGemini ? {
        ANTHROPIC_API_KEY: PROVIDER_SECRETS[4],
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${emulatorPort}`,
        GEMINI_API_KEY: PROVIDER_SECRETS[5],
        GEMINI_BASE_URL: `http://127.0.0.1:${emulatorPort}`,
      } : {}),
      ...env,
    }, 'gateway', dataDir);
    stack.procs.push(gateway);

    await Promise.all([
      waitForHealth(emulator, `${upstream}/models`),
      waitForHealth(gateway, `http://127.0.0.1:${gatewayPort}/health`),
    ]);
    stack.emulator = emulator;
    stack.gateway = gateway;
    stack.baseURL = `http://127.0.0.1:${gatewayPort}/v1`;
    stack.rootURL = `http://127.0.0.1:${gatewayPort}`;
    stack.upstream = upstream;
    return stack;
  } catch (err) {
    await stopStack(stack);
    throw err;
  }
}

/** Stops both servers and removes the data directory. */
export async function stopStack(stack) {
  if (!stack) {
    return;
  }
  await Promise.all(stack.procs.map(stop));
  rmSync(stack.dataDir, { recursive: true, force: true });
}

/**
 * An official OpenAI client for the gateway. No retries, so each call is one request. When `seen` is given
 * (a Recorder), every response's request id, headers and body are kept so a test can check the ledger and
 * that no provider key ever reaches a client.
 */
export function client(stack, { apiKey = MASTER_KEY, seen } = {}) {
  return new OpenAI({
    baseURL: stack.baseURL,
    apiKey,
    maxRetries: 0,
    timeout: 30_000,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      seen?.record(res);
      return res;
    },
  });
}

/**
 * An official Anthropic client for the gateway's /v1/messages (the SDK appends /v1/messages to the root URL). It
 * sends the key as `x-api-key`, or as `Authorization: Bearer` with `bearer: true`. No retries; `seen` as for `client`.
 */
export function anthropicClient(stack, { apiKey = MASTER_KEY, bearer = false, seen } = {}) {
  return new Anthropic({
    baseURL: stack.rootURL,
    ...(bearer ? { apiKey: null, authToken: apiKey } : { apiKey }),
    maxRetries: 0,
    timeout: 30_000,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      seen?.record(res);
      return res;
    },
  });
}

/** What a test file's clients received: gateway request ids and the full text of every response. */
export class Recorder {
  ids = [];
  #texts = [];

  record(res) {
    const id = res.headers.get('x-tollgate-request-id');
    if (id) {
      this.ids.push(id);
    }
    const headers = JSON.stringify([...res.headers]);
    this.#texts.push(res.clone().text().then((body) => headers + body, (e) => headers + String(e)));
  }

  /** Every response so far (headers and body) as text. */
  async texts() {
    return Promise.all(this.#texts);
  }
}

/** GET with the master key (or another), parsed as JSON. */
export async function getJson(stack, path, apiKey = MASTER_KEY) {
  const res = await fetch(stack.baseURL.replace(/\/v1$/, '') + path, { headers: { Authorization: `Bearer ${apiKey}` } });
  return { status: res.status, body: await res.json() };
}

/**
 * The ledger entries (GET /v1/requests) for the given gateway request ids. Ledger writes are batched off the
 * request path, so this polls (bounded) until every id is there.
 */
export async function ledgerEntries(stack, ids, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await getJson(stack, '/v1/requests?limit=1000');
    if (status !== 200) {
      throw new Error(`GET /v1/requests answered ${status}: ${JSON.stringify(body)}`);
    }
    const byId = new Map(body.data.map((e) => [e.id, e]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length === 0) {
      return byId;
    }
    if (Date.now() > deadline) {
      throw new Error(`Ledger entries missing after ${timeoutMs} ms: ${missing.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
