// Turns the raw result lines written by bench/run.sh into the markdown results table.
//   node report.mjs RAW_FILE HEADER_FILE > results.md
import { readFileSync } from "node:fs";

const [rawPath, headerPath] = process.argv.slice(2);
const lines = readFileSync(rawPath, "utf8").split("\n").filter(Boolean);
const results = []; // {kind, target, case, run, ...numbers}
const skips = [];
for (const line of lines) {
  const [kind, ...rest] = line.split(" ");
  const text = rest.join(" ");
  if (kind === "SKIP") {
    const m = text.match(/^target=(\S+) reason=(.*)$/);
    if (m) skips.push({ target: m[1], reason: m[2] });
    continue;
  }
  const rec = { kind };
  for (const kv of rest) {
    const at = kv.indexOf("=");
    if (at < 0) continue;
    const k = kv.slice(0, at), v = kv.slice(at + 1);
    rec[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  results.push(rec);
}

const TARGETS = ["direct", "tollgate", "portkey"];
const targetsSeen = TARGETS.filter((t) => results.some((r) => r.target === t));
const runsOf = (kind, target, c) =>
  results.filter((r) => r.kind === kind && r.target === target && r.case === c && r.requests !== undefined)
    .sort((a, b) => a.run - b.run);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const fmtMs = (us) => {
  if (us === undefined || Number.isNaN(us)) return "–";
  const ms = us / 1000;
  const a = Math.abs(ms);
  return ms.toFixed(a < 10 ? 3 : a < 100 ? 2 : 1);
};
const fmtNum = (x) => (x === undefined || Number.isNaN(x) ? "–" : Math.round(x).toLocaleString("en-US"));
const fmtRatio = (x) => (!Number.isFinite(x) ? "–" : x >= 10 ? `${x.toFixed(1)}×` : x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toPrecision(2)}×`);
const cells = (runs, f) => (runs.length ? runs.map(f).join(" / ") : "–");
const errs = (r) => (r.err_connect ?? 0) + (r.err_read ?? 0) + (r.err_write ?? 0) + (r.err_status ?? 0) + (r.err_timeout ?? 0) + (r.unfinished ?? 0);
// The baseline for a gateway's added latency: direct measured just before it ("direct@gateway"),
// or, if the run has none, the direct target's own runs.
const baseline = (t, c) => {
  const adjacent = runsOf("RESULT", `direct@${t}`, c);
  return adjacent.length ? adjacent : runsOf("RESULT", "direct", c);
};
// Added latency: target run i minus baseline run i.
const added = (runs, direct, key) =>
  runs.length && direct.length ? runs.map((r, i) => fmtMs(r[key] - direct[Math.min(i, direct.length - 1)][key])).join(" / ") : "–";

const out = [];
out.push(readFileSync(headerPath, "utf8").trimEnd(), "");
for (const s of skips) out.push(`> **${s.target} skipped:** ${s.reason}`, "");

// 1. Fixed rate, non-streaming.
out.push("## Non-streaming, fixed rate", "",
  "Latency is per request, measured by wrk while requests are spaced evenly at the given total rate (16 connections). " +
  "Each cell shows run 1 / run 2. *Added* = the target's percentile minus that of direct measured just before it " +
  "(the *direct, just before* row; the first direct row is the direct target's own run). " +
  "If *achieved* falls below the rate, the target could not hold it and its latencies are those of a saturated server.", "",
  "| target | rate (req/s) | achieved (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | added p50 (ms) | added p90 (ms) | added p99 (ms) | errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const c of ["fixed500", "fixed1000"]) {
  const rate = Number(c.replace("fixed", ""));
  for (const t of targetsSeen.flatMap((x) => (x === "direct" ? [x] : [`direct@${x}`, x]))) {
    const runs = runsOf("RESULT", t, c);
    if (!runs.length) continue;
    const isDirect = t.startsWith("direct");
    const direct = baseline(t, c);
    const label = t.startsWith("direct@") ? `direct, just before ${t.slice(7)}` : t;
    out.push(`| ${label} | ${fmtNum(rate)} | ${cells(runs, (r) => fmtNum(r.rps) + (r.rps < 0.95 * rate ? " ⚠" : ""))} | ` +
      `${cells(runs, (r) => fmtMs(r.p50_us))} | ${cells(runs, (r) => fmtMs(r.p90_us))} | ${cells(runs, (r) => fmtMs(r.p99_us))} | ` +
      `${isDirect ? "0" : added(runs, direct, "p50_us")} | ${isDirect ? "0" : added(runs, direct, "p90_us")} | ` +
      `${isDirect ? "0" : added(runs, direct, "p99_us")} | ${cells(runs, (r) => fmtNum(errs(r)))} |`);
  }
}
out.push("", "⚠ = the achieved rate was below 95% of the requested rate.", "");

// 2. Saturation.
out.push("## Saturation (throughput)", "",
  "wrk with 2 threads and 16 or 64 connections sending as fast as responses come back. Each cell shows run 1 / run 2; " +
  "the ratios use the mean of the two runs.", "",
  "| target | mode | connections | req/s | p50 (ms) | p99 (ms) | vs direct | vs Portkey | errors |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|");
for (const [c, mode, conns] of [["sat16", "non-streaming", 16], ["sat64", "non-streaming", 64], ["ssat16", "streaming", 16], ["ssat64", "streaming", 64]]) {
  const d = mean(runsOf("RESULT", "direct", c).map((r) => r.rps));
  const p = mean(runsOf("RESULT", "portkey", c).map((r) => r.rps));
  for (const t of targetsSeen) {
    const runs = runsOf("RESULT", t, c);
    if (!runs.length) continue;
    const m = mean(runs.map((r) => r.rps));
    out.push(`| ${t} | ${mode} | ${conns} | ${cells(runs, (r) => fmtNum(r.rps))} | ${cells(runs, (r) => fmtMs(r.p50_us))} | ` +
      `${cells(runs, (r) => fmtMs(r.p99_us))} | ${fmtRatio(m / d)} | ${t === "portkey" ? "1×" : fmtRatio(m / p)} | ${cells(runs, (r) => fmtNum(errs(r)))} |`);
  }
}
out.push("");

// 3. Streaming time to first byte.
const ttfbRate = results.find((r) => r.case === "ttfb")?.rate;
out.push("## Streaming: time to first byte", "",
  `bench/lib/ttfb.mjs sends streaming requests at a fixed ${ttfbRate ?? "?"} req/s and times each one from writing the request to ` +
  "the response headers, to the first body byte (the first SSE chunk) and to the end of the stream. Each cell shows run 1 / run 2. " +
  "*Added* is against direct measured just before the target.", "",
  "| target | headers p50 (ms) | first byte p50 (ms) | p90 (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | whole stream p50 (ms) | streams | errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
{
  for (const t of targetsSeen.flatMap((x) => (x === "direct" ? [x] : [`direct@${x}`, x]))) {
    const runs = runsOf("RESULT", t, "ttfb");
    if (!runs.length) continue;
    const isDirect = t.startsWith("direct");
    const direct = baseline(t, "ttfb");
    const label = t.startsWith("direct@") ? `direct, just before ${t.slice(7)}` : t;
    out.push(`| ${label} | ${cells(runs, (r) => fmtMs(r.hdr_p50_us))} | ${cells(runs, (r) => fmtMs(r.p50_us))} | ${cells(runs, (r) => fmtMs(r.p90_us))} | ` +
      `${cells(runs, (r) => fmtMs(r.p99_us))} | ${isDirect ? "0" : added(runs, direct, "p50_us")} | ${isDirect ? "0" : added(runs, direct, "p99_us")} | ` +
      `${cells(runs, (r) => fmtMs(r.total_p50_us))} | ${cells(runs, (r) => fmtNum(r.requests))} | ${cells(runs, (r) => fmtNum(errs(r)))} |`);
  }
}
out.push("");

// 4. Gateway process.
const gw = (t, kind) => results.filter((r) => r.kind === kind && r.target === t);
const mb = (kb) => (kb === undefined ? "–" : (kb / 1024).toFixed(0));
out.push("## Gateway process", "",
  "Start-up: from spawning the process to its first HTTP 200 on /v1/chat/completions (polled every 5 ms), for two fresh starts. " +
  "Memory: resident set (VmRSS, summed over the gateway's process group) after the non-streaming saturation runs and at the end " +
  "(after streaming), and the peak (VmHWM).", "",
  "| target | start-up (ms) | RSS after saturation (MB) | RSS at end (MB) | peak RSS (MB) |",
  "|---|---:|---:|---:|---:|");
for (const t of targetsSeen.filter((x) => x !== "direct")) {
  const starts = gw(t, "START").filter((r) => r.measured === 1);
  const sat = gw(t, "MEM").find((r) => r.phase === "saturation");
  const end = gw(t, "MEM").find((r) => r.phase === "end");
  out.push(`| ${t} | ${cells(starts, (r) => fmtNum(r.startup_ms))} | ${mb(sat?.rss_kb)} | ${mb(end?.rss_kb)} | ${mb(end?.hwm_kb ?? sat?.hwm_kb)} |`);
}
out.push("");

// 5. Tollgate against the targets of issue 5.
if (targetsSeen.includes("tollgate")) {
  const addedMean = (c, key) => {
    const t = runsOf("RESULT", "tollgate", c), d = baseline("tollgate", c);
    if (!t.length || !d.length) return NaN;
    return mean(t.map((r, i) => r[key] - d[Math.min(i, d.length - 1)][key])) / 1000;
  };
  const rps = (t, c) => mean(runsOf("RESULT", t, c).map((r) => r.rps));
  const rows = [];
  const check = (name, value, limit, unit, ok) => {
    const digits = unit === "ms" && Math.abs(value) < 10 ? 3 : unit === "×" ? 1 : 0;
    rows.push(`| ${name} | ${Number.isFinite(value) ? value.toFixed(digits) + " " + unit : "–"} | ${limit} | ` +
      `${Number.isFinite(value) ? (ok ? "met" : "**missed**") : "not measured"} |`);
  };
  const a50 = addedMean("fixed1000", "p50_us"), a99 = addedMean("fixed1000", "p99_us");
  check("added p50 at 1,000 req/s", a50, "≤ 0.3 ms", "ms", a50 <= 0.3);
  check("added p99 at 1,000 req/s", a99, "≤ 1 ms", "ms", a99 <= 1);
  for (const c of ["sat16", "sat64"]) {
    const r = rps("tollgate", c) / rps("portkey", c);
    check(`throughput vs Portkey, ${c.slice(3)} connections`, r, "≥ 10×", "×", r >= 10);
  }
  const t99 = addedMean("ttfb", "p99_us");
  check("streaming first byte, added p99", t99, "≤ 1 ms", "ms", t99 <= 1);
  const sat = gw("tollgate", "MEM").find((r) => r.phase === "saturation");
  const rssMb = sat ? sat.rss_kb / 1024 : NaN;
  check("RSS after saturation", rssMb, "≤ 150 MB", "MB", rssMb <= 150);
  const st = Math.max(...gw("tollgate", "START").filter((r) => r.measured === 1).map((r) => r.startup_ms));
  check("start-up (worst of two)", st, "≤ 1,000 ms", "ms", st <= 1000);
  out.push("## Tollgate against the targets (issue 5)", "",
    "Means of the two runs. A negative added latency means the machine's noise between the direct and the Tollgate " +
    "runs was larger than Tollgate's cost: rerun on a quieter machine before trusting a *met*.", "", "| target | measured | limit | |", "|---|---:|---|---|", ...rows, "");
}
process.stdout.write(out.join("\n") + "\n");
