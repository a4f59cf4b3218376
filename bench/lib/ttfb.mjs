// Streaming latency client: sends streaming chat completions at a fixed rate over keep-alive
// connections and measures, per request, the time from writing the request to (a) the
// response headers, (b) the first body byte (the first SSE chunk: "time to first byte"),
// (c) the end of the stream. wrk cannot do this: it only sees whole responses.
//   node ttfb.mjs --url URL --body FILE [--model M] [--header "Name: value"]... --rate R --duration-s D
// Prints one line "BENCH_RESULT key=value ..." (microseconds), like wrk/chat.lua.
import http from "node:http";
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
const opts = { headers: {}, rate: 200, durationS: 15, maxSockets: 64 };
for (let i = 0; i < argv.length; i += 2) {
  const [k, v] = [argv[i], argv[i + 1]];
  if (k === "--url") opts.url = v;
  else if (k === "--body") opts.body = readFileSync(v, "utf8").trim();
  else if (k === "--model") opts.model = v;
  else if (k === "--rate") opts.rate = Number(v);
  else if (k === "--duration-s") opts.durationS = Number(v);
  else if (k === "--header") {
    const at = v.indexOf(":");
    opts.headers[v.slice(0, at).trim()] = v.slice(at + 1).trim();
  } else throw new Error(`unknown option ${k}`);
}
if (opts.model) opts.body = opts.body.replace(/"model":"[^"]*"/, `"model":"${opts.model}"`);
const body = Buffer.from(opts.body);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
const headers = { "Content-Type": "application/json", ...opts.headers, "Content-Length": body.length };

const hdr = [], first = [], total = [];
let errors = 0, sent = 0, inflight = 0;
const now = () => process.hrtime.bigint();
const us = (a, b) => Number(b - a) / 1000;

function one() {
  sent++; inflight++;
  const t0 = now();
  let tHdr = 0n, tFirst = 0n, tail = "";
  const req = http.request(opts.url, { method: "POST", agent, headers }, (res) => {
    tHdr = now();
    res.on("data", (chunk) => {
      if (tFirst === 0n) tFirst = now();
      tail = (tail + chunk.toString("latin1")).slice(-64);
    });
    res.on("end", () => {
      const tEnd = now();
      inflight--;
      // A stream counts only if it succeeded and ended with the [DONE] sentinel.
      if (res.statusCode !== 200 || !tail.includes("[DONE]") || tFirst === 0n) { errors++; return; }
      hdr.push(us(t0, tHdr)); first.push(us(t0, tFirst)); total.push(us(t0, tEnd));
    });
    res.on("error", () => { inflight--; errors++; });
  });
  req.on("error", () => { inflight--; errors++; });
  req.end(body);
}

const interval = 1000 / opts.rate;
const start = performance.now();
const stopAt = start + opts.durationS * 1000;
let slot = 0;
await new Promise((resolve) => {
  const tick = () => {
    const t = performance.now();
    // Send every slot that is due (absolute schedule, so timer jitter does not lower the rate).
    while (start + slot * interval <= t && start + slot * interval < stopAt) { one(); slot++; }
    if (t >= stopAt) return resolve();
    setTimeout(tick, Math.max(0, start + slot * interval - performance.now()));
  };
  tick();
});
// Let requests in flight finish (bounded).
const drainUntil = performance.now() + 5000;
while (inflight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
agent.destroy();

const pct = (arr, p) => {
  if (arr.length === 0) return 0;
  const s = Float64Array.from(arr).sort();
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
};
const secs = opts.durationS;
console.log(
  `BENCH_RESULT requests=${first.length} sent=${sent} duration_s=${secs} rps=${(first.length / secs).toFixed(1)} ` +
  `hdr_p50_us=${pct(hdr, 50)} p50_us=${pct(first, 50)} p90_us=${pct(first, 90)} p99_us=${pct(first, 99)} ` +
  `max_us=${pct(first, 100)} total_p50_us=${pct(total, 50)} total_p99_us=${pct(total, 99)} err_status=${errors} unfinished=${inflight}`);
process.exit(0);
