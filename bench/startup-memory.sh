#!/usr/bin/env bash
# Start-up and memory of published Tollgate builds, compared in one sitting (issue 14's start-up and resident
# memory targets, measured as bench/run.sh measures them, without the rest of that run).
#
#   bench/startup-memory.sh publish [--ready-to-run] DIR
#       publishes the working tree as ./tollgate does (Release, this machine's runtime, Native AOT) into DIR; with
#       --ready-to-run the build ./tollgate ran before (framework-dependent, ReadyToRun code), to compare against
#   bench/startup-memory.sh compare [--starts N] [--rounds N] LABEL=DIR[,NAME=value...]...
#       for each build (with the extra environment given after commas, e.g. before=/tmp/a,DOTNET_GCgen0size=0x400000):
#       start-up = spawn of `DIR/tollgate serve --port P` (`dotnet DIR/tollgate.dll` for a framework-dependent build)
#       to the first HTTP 200 of a chat completion with a virtual key (budget, RPM, TPM) against the static nginx
#       upstream, N starts (default 5) after one unmeasured start, median (and the CPU time the process spent until
#       then: steadier on a shared machine); then, per round (default 2), a fresh process: 5 s warm-up, wrk
#       saturation 10 s at 16 and 10 s at 64 connections (bench/wrk/chat.lua, 2 threads), then VmRSS summed over
#       its process group.
#       Builds are alternated start by start and round by round, so a busy moment of the shared machine falls on
#       all of them alike. Writes bench/out/startup-memory/raw.txt and prints a table.
#
# Ports 18180-18184 on 127.0.0.1 (not bench/run.sh's, so both can run). Everything started is stopped on exit.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
. "$BENCH/lib/common.sh"

JSON_PORT=18180 SSE_PORT=18181 MSG_JSON_PORT=18182 MSG_SSE_PORT=18183 TOLLGATE_PORT=18184
UPSTREAM_KEY="bench-key"
MASTER_KEY="tg-bench-master-key-0123456789"
MODEL="openai/gpt-4o-mini"
OUT="$BENCH/out/startup-memory"

usage() { sed -n '2,19p' "$0"; exit 2; }
[[ $# -ge 1 ]] || usage

if [[ "$1" == publish ]]; then
  if [[ $# -eq 3 && "$2" == --ready-to-run ]]; then
    dotnet publish "$ROOT/src/Tollgate.Cli/Tollgate.Cli.csproj" -c Release --use-current-runtime --self-contained false \
      -p:PublishAot=false -p:PublishReadyToRun=true -o "$3" -nologo -v quiet -clp:ErrorsOnly
    exit 0
  fi
  [[ $# -eq 2 ]] || usage
  dotnet publish "$ROOT/src/Tollgate.Cli/Tollgate.Cli.csproj" -c Release --use-current-runtime -o "$2" -nologo -v quiet \
    -clp:ErrorsOnly
  exit 0
fi
[[ "$1" == compare ]] || usage
shift
STARTS=5 ROUNDS=2
BUILDS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --starts) STARTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *=*) BUILDS+=("$1"); shift ;;
    *) usage ;;
  esac
done
[[ ${#BUILDS[@]} -ge 1 ]] || usage

NGINX_PID="" GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && stop_group "$GW_PID"
  if [[ -n "$NGINX_PID" ]]; then kill -TERM "$NGINX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_tools
for p in "$JSON_PORT" "$SSE_PORT" "$MSG_JSON_PORT" "$MSG_SSE_PORT" "$TOLLGATE_PORT"; do
  port_free "$p" || { echo "port $p on 127.0.0.1 is already in use" >&2; exit 1; }
done
rm -rf "$OUT" && mkdir -p "$OUT"
RAW="$OUT/raw.txt"
: > "$RAW"
start_upstream "$OUT/nginx" "$JSON_PORT" "$SSE_PORT" "$MSG_JSON_PORT" "$MSG_SSE_PORT"

# Per build: its label, directory, extra environment and virtual key (each build gets a fresh data directory).
declare -A DIR ENVS KEY
LABELS=()
for b in "${BUILDS[@]}"; do
  label=${b%%=*} rest=${b#*=}
  IFS=',' read -ra parts <<< "$rest"
  DIR[$label]=${parts[0]}
  ENVS[$label]="${parts[*]:1}"
  [[ -f "${DIR[$label]}/tollgate.dll" || -x "${DIR[$label]}/tollgate" ]] || { echo "${DIR[$label]} holds no tollgate build (publish it first)" >&2; exit 1; }
  mkdir -p "$OUT/data-$label"
  KEY[$label]=$(create_key "${DIR[$label]}/tollgate" --data-dir "$OUT/data-$label")
  LABELS+=("$label")
done

# start LABEL: starts the build's gateway; sets GW_PID and STARTUP_MS (spawn to its first HTTP 200).
start() {
  local label=$1 json extra=() cmd=(dotnet "${DIR[$label]}/tollgate.dll")
  read -ra extra <<< "${ENVS[$label]}"
  # A Native AOT build (what ./tollgate runs) is one executable, without tollgate.dll.
  [[ -f "${DIR[$label]}/tollgate.dll" ]] || cmd=("${DIR[$label]}/tollgate")
  json=$(env OPENAI_API_KEY="$UPSTREAM_KEY" OPENAI_BASE_URL="http://127.0.0.1:$JSON_PORT/v1" TOLLGATE_MASTER_KEY="$MASTER_KEY" \
      TOLLGATE_DATA_DIR="$OUT/data-$label" "${extra[@]}" \
    node "$BENCH/lib/start.mjs" --url "http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions" --body "$BENCH/wrk/request.json" \
      --model "$MODEL" --header "Authorization: Bearer ${KEY[$label]}" --log "$OUT/$label.log" --timeout-s 60 \
      -- "${cmd[@]}" serve --port "$TOLLGATE_PORT")
  GW_PID=$(node -p "JSON.parse(process.argv[1]).pid" "$json")
  STARTUP_MS=$(node -p "JSON.parse(process.argv[1]).startup_ms" "$json")
  # CPU time spent until then (user + system, in clock ticks): steadier than the wall time on a shared machine.
  local stat
  stat=$(sed 's/^.*) //' "/proc/$GW_PID/stat")
  read -ra stat <<< "$stat"
  STARTUP_CPU_MS=$(( (stat[11] + stat[12]) * 1000 / $(getconf CLK_TCK) ))
}
# stop: stops the gateway and waits for its port to be free, so the next start cannot reach it.
stop() {
  local i
  stop_group "$GW_PID"
  GW_PID=""
  for ((i = 0; i < 500; i++)); do port_free "$TOLLGATE_PORT" && return 0; sleep 0.01; done
  echo "port $TOLLGATE_PORT is still held after the gateway stopped" >&2
  return 1
}

# saturate LABEL CONNS SECONDS: prints wrk's requests/s with the build's virtual key.
saturate() {
  local line
  line=$(BENCH_BODY="$BENCH/wrk/request.json" BENCH_MODEL="$MODEL" BENCH_HEADERS="Authorization: Bearer ${KEY[$1]}" \
    BENCH_RATE=0 BENCH_THREADS=2 wrk -t2 -c"$2" -d"$3s" --timeout 5s -s "$BENCH/wrk/chat.lua" \
    "http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions" 2>&1 | grep '^BENCH_RESULT' || true)
  [[ "$line" =~ rps=([0-9.]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

for label in "${LABELS[@]}"; do start "$label"; stop; done
for ((i = 1; i <= STARTS; i++)); do
  for label in "${LABELS[@]}"; do
    start "$label"
    stop
    echo "START label=$label run=$i startup_ms=$STARTUP_MS cpu_ms=$STARTUP_CPU_MS" >> "$RAW"
    log "$label start $i: $STARTUP_MS ms ($STARTUP_CPU_MS ms CPU)"
  done
done
for ((i = 1; i <= ROUNDS; i++)); do
  for label in "${LABELS[@]}"; do
    start "$label"
    saturate "$label" 16 5 > /dev/null
    r16=$(saturate "$label" 16 10)
    r64=$(saturate "$label" 64 10)
    read -r rss hwm <<< "$(group_memory "$GW_PID")"
    stop
    echo "SAT label=$label run=$i rps16=$r16 rps64=$r64 rss_kb=$rss hwm_kb=$hwm" >> "$RAW"
    log "$label round $i: $r16 / $r64 requests/s (16 / 64 connections), RSS $((rss / 1024)) MB, peak $((hwm / 1024)) MB"
  done
done

# The table: medians, and every value so the spread shows.
node - "$RAW" "${LABELS[@]}" <<'JS'
const [raw, ...labels] = process.argv.slice(2);
const rows = require("fs").readFileSync(raw, "utf8").trim().split("\n").map((l) => {
  const [kind, ...kv] = l.split(" ");
  return { kind, ...Object.fromEntries(kv.map((p) => p.split("="))) };
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const col = (label, kind, key) => rows.filter((r) => r.kind === kind && r.label === label).map((r) => Number(r[key]));
console.log("| build | start-up median ms (all) | CPU ms to first 200, median | RSS after saturation MB (all) | peak MB | req/s 16 conns | req/s 64 conns |");
console.log("|---|---|---|---|---|---|---|");
for (const l of labels) {
  const st = col(l, "START", "startup_ms"), rss = col(l, "SAT", "rss_kb").map((k) => k / 1024), hwm = col(l, "SAT", "hwm_kb").map((k) => k / 1024);
  const r16 = col(l, "SAT", "rps16"), r64 = col(l, "SAT", "rps64");
  const f = (xs, d = 0) => `${median(xs).toFixed(d)} (${xs.map((x) => x.toFixed(d)).join(", ")})`;
  console.log(`| ${l} | ${f(st)} | ${median(col(l, "START", "cpu_ms")).toFixed(0)} | ${f(rss)} | ${median(hwm).toFixed(0)} | ${f(r16)} | ${f(r64)} |`);
}
JS
