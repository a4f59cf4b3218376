// Starts a gateway and measures its start-up time: from spawning the process to the first
// successful (HTTP 200) chat completion, polled every few milliseconds.
//   node start.mjs --url URL --body FILE [--header "Name: value"]... [--log FILE] [--timeout-s N] -- CMD ARGS...
// The gateway is started in its own process group and left running; prints one JSON line
// {"pid":N,"startup_ms":X}. On failure it kills the group, prints the log tail and exits 1.
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import http from "node:http";

const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
if (sep < 0 || sep === argv.length - 1) throw new Error("usage: start.mjs [options] -- CMD ARGS...");
const opts = { headers: {}, timeoutS: 120, pollMs: 5 };
for (let i = 0; i < sep; i += 2) {
  const [k, v] = [argv[i], argv[i + 1]];
  if (k === "--url") opts.url = v;
  else if (k === "--body") opts.body = readFileSync(v, "utf8").trim();
  else if (k === "--model") opts.model = v;
  else if (k === "--log") opts.log = v;
  else if (k === "--timeout-s") opts.timeoutS = Number(v);
  else if (k === "--header") {
    const at = v.indexOf(":");
    opts.headers[v.slice(0, at).trim()] = v.slice(at + 1).trim();
  } else throw new Error(`unknown option ${k}`);
}
if (opts.model) opts.body = opts.body.replace(/"model":"[^"]*"/, `"model":"${opts.model}"`);
const [cmd, ...args] = argv.slice(sep + 1);

const out = opts.log ? openSync(opts.log, "a") : "ignore";
const t0 = process.hrtime.bigint();
const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out], env: process.env });
let exited = null;
child.on("exit", (code, signal) => { exited = { code, signal }; });
child.on("error", (err) => { exited = { error: String(err) }; });

function attempt() {
  return new Promise((resolve) => {
    const req = http.request(opts.url, {
      method: "POST",
      agent: false,
      timeout: 1000,
      headers: { "Content-Type": "application/json", ...opts.headers, "Content-Length": Buffer.byteLength(opts.body) },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
      res.on("error", () => resolve(0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end(opts.body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const deadline = Date.now() + opts.timeoutS * 1000;
let lastStatus = 0;
for (;;) {
  lastStatus = await attempt();
  if (lastStatus === 200) break;
  if (exited || Date.now() > deadline) {
    try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
    let tail = "";
    if (opts.log) { try { tail = readFileSync(opts.log, "utf8").split("\n").slice(-30).join("\n"); } catch { /* no log */ } }
    console.error(`start.mjs: gateway did not serve a 200 (last status ${lastStatus}, exit ${JSON.stringify(exited)}). Log tail:\n${tail}`);
    process.exit(1);
  }
  await sleep(opts.pollMs);
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
child.unref();
console.log(JSON.stringify({ pid: child.pid, startup_ms: Math.round(ms * 10) / 10 }));
process.exit(0);
