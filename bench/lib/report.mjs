// Turns the raw result lines written by bench/run.sh into the markdown results, ending with every target of
// issue 14 beside its limit.
//   node report.mjs RAW_FILE HEADER_FILE > results.md
import { readFileSync } from "node:fs";

const [rawPath, headerPath] = process.argv.slice(2);
const lines = readFileSync(rawPath, "utf8").split("\n").filter(Boolean);
const results = []; // {kind, target, case, run, ...numbers}
const skips = [];
for (const line of lines) {
  const [kind, ...rest] = line.split(" ");
  if (kind === "SKIP") {
    const m = rest.join(" ").match(/^target=(\S+) reason=(.*)$/);
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

const NAMES = {
  direct: "direct",
  tollgate: "tollgate, virtual key",
  "tollgate-master": "tollgate, master key",
  "tollgate-shared": "tollgate, virtual key, PostgreSQL + Redis",
  portkey: "portkey",
};
const GATEWAYS = ["tollgate", "tollgate-master", "tollgate-shared", "portkey"];
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
// Added latency per run: target run i minus baseline run i (microseconds).
const addedRuns = (t, c, key) => {
  const runs = runsOf("RESULT", t, c), d = baseline(t, c);
  return runs.length && d.length ? runs.map((r, i) => r[key] - d[Math.min(i, d.length - 1)][key]) : [];
};
const addedCells = (t, c, key) => { const a = addedRuns(t, c, key); return a.length ? a.map(fmtMs).join(" / ") : "–"; };
// Mean added latency over the runs, in ms.
const addedMean = (t, c, key) => mean(addedRuns(t, c, key)) / 1000;
const rps = (t, c) => mean(runsOf("RESULT", t, c).map((r) => r.rps));

const out = [];
out.push(readFileSync(headerPath, "utf8").trimEnd(), "");
for (const s of skips) out.push(`> **${s.target} skipped:** ${s.reason}`, "");
const runsNote = "Each cell shows run 1 / run 2 / ….";

// fixedTable(rows): rows of [case, target, label?]; each gateway row is preceded by its direct-just-before row.
const fixedHeader = [
  "| target | case | rate (req/s) | achieved (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | added p50 (ms) | added p90 (ms) | added p99 (ms) | errors |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"];
const fixedRow = (t, c, caseLabel, directLabel) => {
  const runs = runsOf("RESULT", t, c);
  if (!runs.length) return [];
  const isDirect = t.startsWith("direct");
  const label = t.startsWith("direct@") ? `${directLabel ?? "direct"}, just before ${NAMES[t.slice(7)] ?? t.slice(7)}` : NAMES[t] ?? t;
  const rate = runs[0].rate;
  return [`| ${label} | ${caseLabel} | ${fmtNum(rate)} | ${cells(runs, (r) => fmtNum(r.rps) + (r.rps < 0.95 * rate ? " ⚠" : ""))} | ` +
    `${cells(runs, (r) => fmtMs(r.p50_us))} | ${cells(runs, (r) => fmtMs(r.p90_us))} | ${cells(runs, (r) => fmtMs(r.p99_us))} | ` +
    `${isDirect ? "0" : addedCells(t, c, "p50_us")} | ${isDirect ? "0" : addedCells(t, c, "p90_us")} | ` +
    `${isDirect ? "0" : addedCells(t, c, "p99_us")} | ${cells(runs, (r) => fmtNum(errs(r)))} |`];
};
const withBaseline = (t, c, caseLabel, directLabel) =>
  t === "direct" ? fixedRow(t, c, caseLabel) : [...fixedRow(`direct@${t}`, c, caseLabel, directLabel), ...fixedRow(t, c, caseLabel)];

// 1. Fixed rate, non-streaming.
out.push("## Non-streaming, fixed rate", "",
  "Latency is per request, measured by wrk while requests are spaced evenly at the given total rate (16 connections). " +
  `${runsNote} *Added* = the target's percentile minus that of direct measured just before it ` +
  "(the *direct, just before* row; the first direct row is the direct target's own run). " +
  "If *achieved* falls below the rate, the target could not hold it and its latencies are those of a saturated server.", "",
  ...fixedHeader);
for (const c of ["fixed500", "fixed1000"]) {
  for (const t of ["direct", ...GATEWAYS]) out.push(...withBaseline(t, c, c.replace("fixed", "") + " req/s"));
}
out.push("", "⚠ = the achieved rate was below 95% of the requested rate.", "");

// 2. Request body size.
const bodyCases = [...new Set(results.filter((r) => /^body\d+k$/.test(r.case ?? "")).map((r) => r.case))]
  .sort((a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4)));
const bytesOf = (c) => runsOf("RESULT", "tollgate", c)[0]?.body_bytes;
// Added latency per extra 100 KB of request body: the slope between the smallest and the largest body.
const perHundredKb = (t, key) => {
  if (bodyCases.length < 2) return NaN;
  const [lo, hi] = [bodyCases[0], bodyCases.at(-1)];
  return (addedMean(t, hi, key) - addedMean(t, lo, key)) / ((bytesOf(hi) - bytesOf(lo)) / 102400);
};
if (bodyCases.length) {
  const r0 = runsOf("RESULT", "tollgate", bodyCases[0])[0];
  out.push("## Request body size (non-streaming)", "",
    `The same chat request with its user message padded to a body of ${bodyCases.map((c) => c.slice(4).replace("k", " KB")).join(", ")}, ` +
    `at a fixed ${fmtNum(r0?.rate)} req/s, with the virtual key and with the master key (the difference is what admission ` +
    `costs per byte: the prompt's token estimate for the budget and the TPM limit); direct gets the same body. ${runsNote}`, "", ...fixedHeader);
  for (const c of bodyCases) {
    for (const t of ["tollgate", "tollgate-master"]) out.push(...withBaseline(t, c, `${c.slice(4).replace("k", " KB")} body`));
  }
  const slope = (t, key) => { const v = perHundredKb(t, key); return Number.isFinite(v) ? `${v.toFixed(3)} ms` : "–"; };
  out.push("", `Added latency per extra 100 KB of request body (from ${bodyCases[0].slice(4).replace("k", " KB")} to ` +
    `${bodyCases.at(-1).slice(4).replace("k", " KB")}, means of the runs): virtual key p50 ${slope("tollgate", "p50_us")}, ` +
    `p99 ${slope("tollgate", "p99_us")}; master key p50 ${slope("tollgate-master", "p50_us")}, p99 ${slope("tollgate-master", "p99_us")}.`, "");
}

// 3. The translated path.
if (runsOf("RESULT", "tollgate", "xlate").length || runsOf("RESULT", "tollgate", "xlate-stream").length) {
  out.push("## Translated path: OpenAI client -> Tollgate -> Anthropic upstream", "",
    "An OpenAI chat request to Tollgate, which sends it as a Messages request to an Anthropic-dialect upstream " +
    "(nginx answering a fixed Messages response, or a fixed Messages event stream) and translates the answer back; " +
    "virtual key. The baseline is a Messages request sent straight to the same upstream. For streaming, wrk's latency " +
    `is the whole stream. ${runsNote}`, "", ...fixedHeader);
  out.push(...withBaseline("tollgate", "xlate", "non-streaming", "direct to the Anthropic upstream"));
  out.push(...withBaseline("tollgate", "xlate-stream", "streaming", "direct to the Anthropic upstream"));
  out.push("");
}

// 4. Saturation.
const seen = (c) => ["direct", ...GATEWAYS].filter((t) => runsOf("RESULT", t, c).length);
out.push("## Saturation (throughput)", "",
  `wrk with 2 threads and 16 or 64 connections sending as fast as responses come back. ${runsNote} ` +
  "The ratios use the mean of the runs; *vs master* is the virtual key's throughput over the master key's.", "",
  "| target | mode | connections | req/s | p50 (ms) | p99 (ms) | vs direct | vs Portkey | vs master | errors |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const [c, mode, conns] of [["sat16", "non-streaming", 16], ["sat64", "non-streaming", 64], ["ssat16", "streaming", 16], ["ssat64", "streaming", 64]]) {
  const d = rps("direct", c), p = rps("portkey", c), m = rps("tollgate-master", c);
  for (const t of seen(c)) {
    const runs = runsOf("RESULT", t, c), x = rps(t, c);
    out.push(`| ${NAMES[t] ?? t} | ${mode} | ${conns} | ${cells(runs, (r) => fmtNum(r.rps))} | ${cells(runs, (r) => fmtMs(r.p50_us))} | ` +
      `${cells(runs, (r) => fmtMs(r.p99_us))} | ${fmtRatio(x / d)} | ${t === "portkey" ? "1×" : fmtRatio(x / p)} | ` +
      `${t === "tollgate" ? fmtRatio(x / m) : "–"} | ${cells(runs, (r) => fmtNum(errs(r)))} |`);
  }
}
out.push("");

// 5. Streaming time to first byte.
const ttfbRate = results.find((r) => r.case === "ttfb")?.rate;
out.push("## Streaming: time to first byte", "",
  `bench/lib/ttfb.mjs sends streaming requests at a fixed ${ttfbRate ?? "?"} req/s and times each one from writing the request to ` +
  `the response headers, to the first body byte (the first SSE chunk) and to the end of the stream. ${runsNote} ` +
  "*Added* is against direct measured just before the target.", "",
  "| target | headers p50 (ms) | first byte p50 (ms) | p90 (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) | whole stream p50 (ms) | streams | errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const t of ["direct", ...GATEWAYS].flatMap((x) => (x === "direct" ? [x] : [`direct@${x}`, x]))) {
  const runs = runsOf("RESULT", t, "ttfb");
  if (!runs.length) continue;
  const isDirect = t.startsWith("direct");
  const label = t.startsWith("direct@") ? `direct, just before ${NAMES[t.slice(7)] ?? t.slice(7)}` : NAMES[t] ?? t;
  out.push(`| ${label} | ${cells(runs, (r) => fmtMs(r.hdr_p50_us))} | ${cells(runs, (r) => fmtMs(r.p50_us))} | ${cells(runs, (r) => fmtMs(r.p90_us))} | ` +
    `${cells(runs, (r) => fmtMs(r.p99_us))} | ${isDirect ? "0" : addedCells(t, "ttfb", "p50_us")} | ${isDirect ? "0" : addedCells(t, "ttfb", "p99_us")} | ` +
    `${cells(runs, (r) => fmtMs(r.total_p50_us))} | ${cells(runs, (r) => fmtNum(r.requests))} | ${cells(runs, (r) => fmtNum(errs(r)))} |`);
}
out.push("");

// 6. Gateway process.
const gw = (t, kind) => results.filter((r) => r.kind === kind && r.target === t);
const memOf = (t, phase) => gw(t, "MEM").find((r) => r.phase === phase);
const mb = (kb) => (kb === undefined ? "–" : (kb / 1024).toFixed(0));
out.push("## Gateway process", "",
  "Start-up: from spawning the process to its first HTTP 200 on /v1/chat/completions (polled every 5 ms), for two fresh starts. " +
  "Memory: resident set (VmRSS, summed over the gateway's process group) after the non-streaming saturation runs, " +
  "after the body-size and translated cases (Tollgate), and at the end (after streaming), and the peak (VmHWM).", "",
  "| target | start-up (ms) | RSS after saturation (MB) | RSS after bodies (MB) | RSS at end (MB) | peak RSS (MB) |",
  "|---|---:|---:|---:|---:|---:|");
for (const t of GATEWAYS.filter((x) => gw(x, "MEM").length || gw(x, "START").length)) {
  const starts = gw(t, "START").filter((r) => r.measured === 1);
  const peak = Math.max(...gw(t, "MEM").map((r) => r.hwm_kb));
  out.push(`| ${NAMES[t]} | ${cells(starts, (r) => fmtNum(r.startup_ms))} | ${mb(memOf(t, "saturation")?.rss_kb)} | ` +
    `${mb(memOf(t, "after-bodies")?.rss_kb)} | ${mb(memOf(t, "end")?.rss_kb)} | ${Number.isFinite(peak) ? mb(peak) : "–"} |`);
}
out.push("");

// 7. Summary: every target of issue 14 beside its limit.
if (gw("tollgate", "START").length) {
  const rows = [];
  // check(name, value, unit, limit text, predicate, note): one row; a value that was not measured says why.
  // A fixed-rate figure taken while the target could not hold the rate is that of a saturated server: flagged.
  const held = (t, c) => runsOf("RESULT", t, c).every((r) => r.rps >= 0.95 * r.rate);
  const flag = (...pairs) => (pairs.every(([t, c]) => held(t, c)) ? "" : " (⚠ rate not held)");
  const check = (name, value, unit, limit, ok, missing = "not measured") => {
    const digits = unit === "×" ? 2 : unit === "ms" ? (Math.abs(value) < 10 ? 3 : Math.abs(value) < 100 ? 1 : 0) : 0;
    const shown = Number.isFinite(value) ? `${value.toFixed(digits)}${unit === "×" ? "" : " "}${unit}` : "–";
    rows.push(`| ${name} | ${limit} | ${shown} | ${Number.isFinite(value) ? (ok(value) ? "met" : "**missed**") : missing} |`);
  };
  check("added p50 at 1,000 req/s, non-streaming" + flag(["tollgate", "fixed1000"]), addedMean("tollgate", "fixed1000", "p50_us"), "ms", "≤ 0.25 ms", (v) => v <= 0.25);
  check("added p99 at 1,000 req/s, non-streaming" + flag(["tollgate", "fixed1000"]), addedMean("tollgate", "fixed1000", "p99_us"), "ms", "≤ 1 ms", (v) => v <= 1);
  check("streaming: time to first byte, added p99", addedMean("tollgate", "ttfb", "p99_us"), "ms", "≤ 1 ms", (v) => v <= 1);
  for (const c of ["sat16", "sat64"]) {
    check(`saturation vs Portkey, ${c.slice(3)} connections`, rps("tollgate", c) / rps("portkey", c), "×", "≥ 20×", (v) => v >= 20,
      "not measured (needs the portkey target)");
  }
  for (const c of ["sat16", "sat64"]) {
    check(`saturation, virtual key / master key, ${c.slice(3)} connections`, rps("tollgate", c) / rps("tollgate-master", c), "×",
      "≥ 0.90× (within 10%)", (v) => v >= 0.9);
  }
  check(`translated to Anthropic, added p99 at ${fmtNum(runsOf("RESULT", "tollgate", "xlate")[0]?.rate)} req/s, non-streaming` + flag(["tollgate", "xlate"]),
    addedMean("tollgate", "xlate", "p99_us"), "ms", "≤ 2 ms", (v) => v <= 2);
  check(`translated to Anthropic, added p99 at ${fmtNum(runsOf("RESULT", "tollgate", "xlate-stream")[0]?.rate)} req/s, streaming (whole stream)` + flag(["tollgate", "xlate-stream"]),
    addedMean("tollgate", "xlate-stream", "p99_us"), "ms", "≤ 2 ms", (v) => v <= 2);
  check("added p50 per extra 100 KB of request body" + flag(...bodyCases.map((c) => ["tollgate", c])), perHundredKb("tollgate", "p50_us"), "ms", "≤ 0.3 ms", (v) => v <= 0.3);
  const rss = memOf("tollgate", "saturation");
  check("resident memory after the saturation run", rss ? rss.rss_kb / 1024 : NaN, "MB", "≤ 64 MB (stretch 40 MB)", (v) => v <= 64);
  const starts = gw("tollgate", "START").filter((r) => r.measured === 1).map((r) => r.startup_ms);
  check("start-up to first served request (worst of two)", starts.length ? Math.max(...starts) : NaN, "ms", "≤ 250 ms", (v) => v <= 250);
  const shared = addedMean("tollgate-shared", "fixed1000", "p50_us") - addedMean("tollgate", "fixed1000", "p50_us");
  check("PostgreSQL + Redis: added p50 at 1,000 req/s over the single instance's" + flag(["tollgate", "fixed1000"], ["tollgate-shared", "fixed1000"]), shared, "ms", "≤ 0.2 ms", (v) => v <= 0.2,
    "not measured (run with --shared-state)");
  out.push("## Summary: Tollgate against the targets (issue 14)", "",
    "Virtual key (budget, RPM and TPM limits), ledger and telemetry on, unless the row says otherwise; means of the runs. " +
    "A negative added latency means the machine's noise between the direct and the Tollgate runs was larger than " +
    "Tollgate's cost: rerun on a quieter machine before trusting a *met*.", "",
    "| target | limit | measured | |", "|---|---|---:|---|", ...rows, "");
}
process.stdout.write(out.join("\n") + "\n");
