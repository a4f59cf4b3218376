#!/usr/bin/env bash
# Tollgate benchmark: the mock upstream directly, Tollgate and the Portkey AI Gateway, in turn,
# on the same machine in the same run. Writes bench/out/results.md and prints it, ending with
# every target of issue 14 beside its limit.
#
#   bench/run.sh [--smoke] [--shared-state] [--targets direct,tollgate,portkey]
#
# --smoke runs every case once for 2 s (a quick check that everything works; numbers mean little).
# --shared-state also measures Tollgate with PostgreSQL + Redis (tests/shared-state/servers.sh).
# Everything listens on 127.0.0.1 only. Everything started here is stopped on exit.
# See bench/README.md for the method and what each column means.
set -euo pipefail

# --- Tollgate: how to build and start it (override from the environment) -------------------
# Run from the repository root. {PORT} is replaced with TOLLGATE_PORT. Set TOLLGATE_BUILD=""
# to skip the build (e.g. TOLLGATE_CMD="./tollgate serve --port {PORT}").
TOLLGATE_BUILD=${TOLLGATE_BUILD-"dotnet publish src/Tollgate.Cli/Tollgate.Cli.csproj -c Release -o bench/out/tollgate --nologo"}
TOLLGATE_CMD=${TOLLGATE_CMD-"bench/out/tollgate/tollgate serve --port {PORT}"}
TOLLGATE_MODEL=${TOLLGATE_MODEL-"openai/gpt-4o-mini"}
TOLLGATE_MASTER_KEY=${TOLLGATE_MASTER_KEY-"tg-bench-master-key-0123456789"}
# Extra environment for Tollgate (space-separated NAME=value).
TOLLGATE_ENV=${TOLLGATE_ENV-""}
# Tollgate is called with two keys in every run: a virtual key with a budget, an RPM and a TPM limit (as users run
# it: admission, budget reservation, settlement and the ledger on every request) and the master key (no admission).
# The limits are high enough never to refuse a request, the 256 KB bodies included: they are checked, not hit.

# --- Ports (all on 127.0.0.1) -----------------------------------------------------------------
JSON_PORT=${JSON_PORT-18080}      # nginx: always the JSON chat.completion
SSE_PORT=${SSE_PORT-18081}        # nginx: always the SSE stream
MSG_JSON_PORT=${MSG_JSON_PORT-18082}  # nginx: always the Anthropic Messages response
MSG_SSE_PORT=${MSG_SSE_PORT-18083}    # nginx: always the Anthropic Messages event stream
TOLLGATE_PORT=${TOLLGATE_PORT-18090}
PORTKEY_PORT=${PORTKEY_PORT-18787}
UPSTREAM_KEY="bench-key"

# --- Durations --------------------------------------------------------------------------------
WARMUP_S=5
MEASURE_S=10
REPEATS=${BENCH_REPEATS-2}
TTFB_RATE=100          # streaming requests/s for the time-to-first-byte client
FIXED_CONNS=16         # connections for the fixed-rate cases
XLATE_RATE=500         # requests/s for the translated path (OpenAI client -> Tollgate -> Anthropic upstream)
BODY_RATE=200          # requests/s for the body-size cases
BODY_SIZES_KB="1 32 256"
TARGETS="direct,tollgate,portkey"
SHARED_STATE=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) WARMUP_S=1; MEASURE_S=2; REPEATS=${BENCH_REPEATS-1}; shift ;;
    --shared-state) SHARED_STATE=1; shift ;;
    --targets) TARGETS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
MODE=$([[ $MEASURE_S -lt 10 ]] && echo smoke || echo full)

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
OUT="$BENCH/out"
RAW="$OUT/raw.txt"
mkdir -p "$OUT"
: > "$RAW"
cd "$ROOT"
# log, port_free, wait_listening, install_tools, start_upstream, create_key, group_memory, stop_group
. "$BENCH/lib/common.sh"

# --- Cleanup: stop only what this script started ----------------------------------------------
PGIDS=()      # process groups of gateways started here
NGINX_PID=""
SHARED_DIR="" # PostgreSQL + Redis of --shared-state (tests/shared-state/servers.sh stops them by pid)
cleanup() {
  local pg
  for pg in "${PGIDS[@]}"; do [[ -n "$pg" ]] && kill -TERM -- "-$pg" 2>/dev/null || true; done
  if [[ -n "$NGINX_PID" ]]; then kill -TERM "$NGINX_PID" 2>/dev/null || true; fi
  sleep 0.3
  for pg in "${PGIDS[@]}"; do [[ -n "$pg" ]] && kill -KILL -- "-$pg" 2>/dev/null || true; done
  if [[ -n "$NGINX_PID" ]]; then kill -KILL "$NGINX_PID" 2>/dev/null || true; fi
  if [[ -n "$SHARED_DIR" ]]; then
    "$ROOT/tests/shared-state/servers.sh" stop "$SHARED_DIR" || true
    rm -rf "$SHARED_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Install what is missing ------------------------------------------------------------------
install_tools || exit 1

IFS=',' read -ra TARGET_LIST <<< "$TARGETS"
want() { [[ ",$TARGETS," == *",$1,"* ]]; }

if want portkey; then
  if [[ ! -f "$BENCH/portkey/node_modules/@portkey-ai/gateway/package.json" ]]; then
    command -v npm >/dev/null || { echo "npm is required to install Portkey (Debian: apt-get install npm)" >&2; exit 1; }
    log "installing Portkey (npm ci in bench/portkey)"
    (cd "$BENCH/portkey" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  hono=$(node -p "require('$BENCH/portkey/node_modules/@hono/node-server/package.json').version")
  [[ "$hono" == "1.14.1" ]] || { echo "bench/portkey: @hono/node-server is $hono, expected 1.14.1 (streaming breaks otherwise)" >&2; exit 1; }
fi

skip() { # target reason
  log "SKIP $1: $2"
  echo "SKIP target=$1 reason=$2" >> "$RAW"
  TARGETS=$(echo ",$TARGETS," | sed "s/,$1,/,/; s/^,//; s/,$//")
}

if want tollgate && [[ -n "$TOLLGATE_BUILD" ]]; then
  log "building Tollgate: $TOLLGATE_BUILD"
  if ! $TOLLGATE_BUILD > "$OUT/tollgate-build.log" 2>&1; then
    skip tollgate "the gateway does not build yet (\`$TOLLGATE_BUILD\` failed; see bench/out/tollgate-build.log)."
  fi
fi
if want tollgate; then
  read -ra tg_words <<< "${TOLLGATE_CMD//\{PORT\}/$TOLLGATE_PORT}"
  if [[ ! -x "${tg_words[0]}" ]] && ! command -v "${tg_words[0]}" >/dev/null; then
    skip tollgate "\`${tg_words[0]}\` does not exist (is TOLLGATE_CMD right?)."
  fi
fi
if want tollgate; then
  # A fresh data directory per run, so the ledger starts empty and nothing of a developer's ./data is touched.
  rm -rf "$OUT/data" && mkdir -p "$OUT/data"
  TOLLGATE_ENV="TOLLGATE_DATA_DIR=$OUT/data $TOLLGATE_ENV"
  TOLLGATE_VIRTUAL_KEY=$(create_key "${tg_words[0]}" --data-dir "$OUT/data")
  log "Tollgate is called with a virtual key (budget, RPM and TPM limits on; ledger on) and with the master key"
  # The translated path: two providers of the anthropic dialect, one per nginx server (JSON and event stream),
  # each behind a model group clients name. Prices are given so the budget can price them whatever the catalog says.
  cat > "$OUT/tollgate.json" <<JSON
{
  "providers": {
    "bench-anthropic": { "base_url": "http://127.0.0.1:$MSG_JSON_PORT", "api_key": "$UPSTREAM_KEY", "dialect": "anthropic" },
    "bench-anthropic-stream": { "base_url": "http://127.0.0.1:$MSG_SSE_PORT", "api_key": "$UPSTREAM_KEY", "dialect": "anthropic" }
  },
  "models": {
    "bench-claude": {
      "deployments": [{ "provider": "bench-anthropic", "model": "claude-sonnet-4-5" }],
      "prices": { "input": 3, "cached_input": 0.3, "cache_write_5m": 3.75, "cache_write_1h": 6, "output": 15 },
      "context_window": 200000, "max_output": 64000
    },
    "bench-claude-stream": {
      "deployments": [{ "provider": "bench-anthropic-stream", "model": "claude-sonnet-4-5" }],
      "prices": { "input": 3, "cached_input": 0.3, "cache_write_5m": 3.75, "cache_write_1h": 6, "output": 15 },
      "context_window": 200000, "max_output": 64000
    }
  }
}
JSON
  [[ "$TOLLGATE_CMD" == *--config* ]] || TOLLGATE_CMD="$TOLLGATE_CMD --config $OUT/tollgate.json"
  node "$BENCH/lib/bodies.mjs" "$OUT/bodies" $BODY_SIZES_KB
fi
# start_shared_state: private PostgreSQL + Redis on free loopback ports (never the system services), stopped on
# exit; sets SHARED_DATABASE_URL, SHARED_REDIS_URL and a virtual key kept in that PostgreSQL.
start_shared_state() {
  SHARED_DIR=$(mktemp -d /tmp/tollgate-bench-shared.XXXXXX)
  log "starting PostgreSQL and Redis for --shared-state"
  "$ROOT/tests/shared-state/servers.sh" start "$SHARED_DIR" >&2 || return 1
  # Read in a subshell: nothing of it may reach the environment of the other Tollgate processes.
  SHARED_DATABASE_URL=$(. "$SHARED_DIR/env"; echo "${TOLLGATE_DATABASE_URL:-$TOLLGATE_TEST_DATABASE_URL}")
  SHARED_REDIS_URL=$(. "$SHARED_DIR/env"; echo "${TOLLGATE_REDIS_URL:-$TOLLGATE_TEST_REDIS_URL}")
  TOLLGATE_SHARED_KEY=$(create_key "${tg_words[0]}" --database-url "$SHARED_DATABASE_URL") || return 1
}

# --- Mock upstream ----------------------------------------------------------------------------
for p in "$JSON_PORT" "$SSE_PORT" "$MSG_JSON_PORT" "$MSG_SSE_PORT" "$TOLLGATE_PORT" "$PORTKEY_PORT"; do
  port_free "$p" || { echo "port $p on 127.0.0.1 is already in use; stop whatever holds it (an earlier run?)" >&2; exit 1; }
done
start_upstream "$OUT/nginx" "$JSON_PORT" "$SSE_PORT" "$MSG_JSON_PORT" "$MSG_SSE_PORT" || exit 1
log "nginx upstream on 127.0.0.1:$JSON_PORT (chat JSON), :$SSE_PORT (chat SSE), :$MSG_JSON_PORT (Messages JSON), :$MSG_SSE_PORT (Messages SSE)"

# --- Per-target settings ----------------------------------------------------------------------
# Targets: direct (nginx), tollgate (virtual key), tollgate-master (master key), tollgate-shared (virtual key,
# PostgreSQL + Redis), portkey. Modes: json, sse (chat completions), xjson, xsse (an OpenAI client on the
# translated path: Tollgate -> the Anthropic upstream; direct calls the Anthropic upstream itself), body<N>k
# (non-streaming with an N KB request body).
# configure TARGET MODE: sets URL, HEADERS ("Name: value|..."), MODEL and BODY.
configure() {
  local target=$1 mode=$2 upstream_port=$JSON_PORT
  BODY="$BENCH/wrk/request.json"
  case "$mode" in
    sse) upstream_port=$SSE_PORT; BODY="$BENCH/wrk/request-stream.json" ;;
    xsse) BODY="$BENCH/wrk/request-stream.json" ;;
    body*) BODY="$OUT/bodies/request-${mode#body}.json" ;;
  esac
  case "$target" in
    direct)
      URL="http://127.0.0.1:$upstream_port/v1/chat/completions"
      HEADERS="Authorization: Bearer $UPSTREAM_KEY"
      MODEL="gpt-4o-mini"
      if [[ "$mode" == x* ]]; then
        # The Anthropic upstream called directly, with a Messages request of the same content.
        URL="http://127.0.0.1:$MSG_JSON_PORT/v1/messages"
        BODY="$BENCH/wrk/messages-request.json"
        if [[ "$mode" == xsse ]]; then
          URL="http://127.0.0.1:$MSG_SSE_PORT/v1/messages"
          BODY="$BENCH/wrk/messages-request-stream.json"
        fi
        HEADERS="x-api-key: $UPSTREAM_KEY|anthropic-version: 2023-06-01"
        MODEL="claude-sonnet-4-5"
      fi ;;
    tollgate*)
      # Tollgate's OpenAI upstream is fixed per process (OPENAI_BASE_URL): it is restarted for the sse mode.
      # The translated modes name a model group of tollgate.json instead, served by any Tollgate process.
      URL="http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions"
      case "$target" in
        tollgate-master) HEADERS="Authorization: Bearer $TOLLGATE_MASTER_KEY" ;;
        tollgate-shared) HEADERS="Authorization: Bearer $TOLLGATE_SHARED_KEY" ;;
        *) HEADERS="Authorization: Bearer $TOLLGATE_VIRTUAL_KEY" ;;
      esac
      case "$mode" in
        xjson) MODEL="bench-claude" ;;
        xsse) MODEL="bench-claude-stream" ;;
        *) MODEL="$TOLLGATE_MODEL" ;;
      esac ;;
    portkey)
      URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
      HEADERS="Authorization: Bearer $UPSTREAM_KEY|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$upstream_port/v1"
      MODEL="gpt-4o-mini" ;;
  esac
}

GW_PID=""
# start_gateway TARGET MODE MEASURED(0|1) [NAME=value...]: starts it, records the start-up time, sets GW_PID.
# The extra NAME=value pairs are added to the gateway's environment.
start_gateway() {
  local target=$1 mode=$2 measured=$3 upstream_port=$JSON_PORT
  shift 3
  [[ "$mode" == sse ]] && upstream_port=$SSE_PORT
  configure "$target" "$mode"
  local hdr_args=() h cmd=() envs=()
  IFS='|' read -ra hs <<< "$HEADERS"
  for h in "${hs[@]}"; do hdr_args+=(--header "$h"); done
  case "$target" in
    tollgate*)
      read -ra cmd <<< "${TOLLGATE_CMD//\{PORT\}/$TOLLGATE_PORT}"
      read -ra extra <<< "$TOLLGATE_ENV"
      envs=(OPENAI_API_KEY="$UPSTREAM_KEY" OPENAI_BASE_URL="http://127.0.0.1:$upstream_port/v1"
            TOLLGATE_MASTER_KEY="$TOLLGATE_MASTER_KEY" "${extra[@]}" "$@") ;;
    portkey)
      cmd=(node --import "$BENCH/portkey/bind-loopback.mjs"
           "$BENCH/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" "--port=$PORTKEY_PORT" --headless)
      envs=(NODE_ENV=production) ;;
  esac
  local json
  if ! json=$(env "${envs[@]}" node "$BENCH/lib/start.mjs" --url "$URL" --body "$BODY" --model "$MODEL" \
      "${hdr_args[@]}" --log "$OUT/$target.log" --timeout-s 60 -- "${cmd[@]}"); then
    return 1
  fi
  GW_PID=$(node -p "JSON.parse(process.argv[1]).pid" "$json")
  PGIDS+=("$GW_PID")
  local ms
  ms=$(node -p "JSON.parse(process.argv[1]).startup_ms" "$json")
  echo "START target=$target mode=$mode measured=$measured pid=$GW_PID startup_ms=$ms" >> "$RAW"
  log "$target started in $ms ms (pid $GW_PID, upstream :$upstream_port)"
}

stop_gateway() {
  local pg=$GW_PID
  [[ -n "$pg" ]] || return 0
  stop_group "$pg"
  PGIDS=("${PGIDS[@]/$pg}")
  GW_PID=""
}

# memory TARGET PHASE: VmRSS and VmHWM summed over the gateway's process group.
memory() {
  local rss hwm
  read -r rss hwm <<< "$(group_memory "$GW_PID")"
  echo "MEM target=$1 phase=$2 rss_kb=$rss hwm_kb=$hwm" >> "$RAW"
  log "$1 memory ($2): RSS $((rss / 1024)) MB, peak $((hwm / 1024)) MB"
}

alive() { [[ -z "$GW_PID" ]] || kill -0 "$GW_PID" 2>/dev/null; }

# wrk_case TARGET CASE RUN MODE RATE THREADS CONNS SECONDS [LABEL]  (RUN=0: warm-up, not recorded)
# LABEL (default TARGET) is the name recorded: "direct@portkey" = direct, measured just before portkey.
wrk_case() {
  local target=$1 name=$2 run=$3 mode=$4 rate=$5 threads=$6 conns=$7 secs=$8 label=${9:-$1} line
  configure "$target" "$mode"
  line=$(BENCH_BODY="$BODY" BENCH_MODEL="$MODEL" BENCH_HEADERS="$HEADERS" BENCH_RATE="$rate" BENCH_THREADS="$threads" \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s -s "$BENCH/wrk/chat.lua" "$URL" 2>&1 | grep '^BENCH_RESULT' || true)
  if [[ -z "$line" ]]; then line="BENCH_RESULT failed=1"; fi
  [[ "$run" == 0 ]] && return 0
  echo "RESULT target=$label case=$name run=$run rate=$rate conns=$conns body_bytes=$(stat -c %s "$BODY") ${line#BENCH_RESULT }" >> "$RAW"
  log "$label $name run $run: ${line#BENCH_RESULT }"
}

# fixed_pair TARGET CASE RUN MODE RATE: direct, then TARGET, at the same fixed rate. Added latency is a difference
# of small numbers on a noisy machine: the baseline of a gateway's case is direct measured right before it.
fixed_pair() {
  wrk_case direct "$2" "$3" "$4" "$5" 1 "$FIXED_CONNS" "$MEASURE_S" "direct@$1"
  wrk_case "$1" "$2" "$3" "$4" "$5" 1 "$FIXED_CONNS" "$MEASURE_S"
}

ttfb_case() { # TARGET RUN [LABEL]
  local target=$1 run=$2 label=${3:-$1} hdr_args=() h line
  configure "$target" sse
  IFS='|' read -ra hs <<< "$HEADERS"
  for h in "${hs[@]}"; do hdr_args+=(--header "$h"); done
  line=$(node "$BENCH/lib/ttfb.mjs" --url "$URL" --body "$BODY" --model "$MODEL" \
    "${hdr_args[@]}" --rate "$TTFB_RATE" --duration-s "$MEASURE_S" 2>&1 | grep '^BENCH_RESULT' || true)
  [[ -n "$line" ]] || line="BENCH_RESULT failed=1"
  echo "RESULT target=$label case=ttfb run=$run rate=$TTFB_RATE ${line#BENCH_RESULT }" >> "$RAW"
  log "$label ttfb run $run: ${line#BENCH_RESULT }"
}

# bench_target direct|portkey: the same cases for the upstream itself and for the peer gateway.
bench_target() {
  local t=$1 run
  log "=== $t ==="
  if [[ "$t" != direct ]]; then
    # Two fresh starts for the start-up time; the second one stays up.
    start_gateway "$t" json 1 || { skip "$t" "it did not serve an HTTP 200 on /v1/chat/completions (it exited, or did not answer within 60 s; see bench/out/$t.log)."; return 0; }
    stop_gateway
    start_gateway "$t" json 1 || { skip "$t" "the second start failed (see bench/out/$t.log)."; return 0; }
  fi
  wrk_case "$t" warmup 0 json 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    if [[ "$t" == direct ]]; then
      wrk_case direct fixed500 "$run" json 500 1 "$FIXED_CONNS" "$MEASURE_S"
      wrk_case direct fixed1000 "$run" json 1000 1 "$FIXED_CONNS" "$MEASURE_S"
    else
      fixed_pair "$t" fixed500 "$run" json 500
      fixed_pair "$t" fixed1000 "$run" json 1000
    fi
    wrk_case "$t" sat16 "$run" json 0 2 16 "$MEASURE_S"
    wrk_case "$t" sat64 "$run" json 0 2 64 "$MEASURE_S"
    alive || { log "$t died (see bench/out/$t.log)"; break; }
  done
  [[ "$t" == direct ]] || memory "$t" saturation
  wrk_case "$t" warmup 0 sse 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    wrk_case "$t" ssat16 "$run" sse 0 2 16 "$MEASURE_S"
    wrk_case "$t" ssat64 "$run" sse 0 2 64 "$MEASURE_S"
    [[ "$t" == direct ]] || ttfb_case direct "$run" "direct@$t"
    ttfb_case "$t" "$run"
    alive || { log "$t died (see bench/out/$t.log)"; break; }
  done
  [[ "$t" == direct ]] || { memory "$t" end; stop_gateway; }
}

# bench_tollgate: one Tollgate process, called with the virtual key (target tollgate) and the master key
# (tollgate-master) in turn, for the cases of direct and Portkey plus the body sizes and the translated path;
# then a second process against the SSE upstream for the streaming cases.
bench_tollgate() {
  local run kb
  log "=== tollgate ==="
  start_gateway tollgate json 1 || { skip tollgate "it did not serve an HTTP 200 on /v1/chat/completions (it exited, or did not answer within 60 s; see bench/out/tollgate.log)."; return 0; }
  stop_gateway
  start_gateway tollgate json 1 || { skip tollgate "the second start failed (see bench/out/tollgate.log)."; return 0; }
  wrk_case tollgate warmup 0 json 0 2 16 "$WARMUP_S"
  wrk_case tollgate-master warmup 0 json 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    fixed_pair tollgate fixed500 "$run" json 500
    fixed_pair tollgate fixed1000 "$run" json 1000
    fixed_pair tollgate-master fixed1000 "$run" json 1000
    # Virtual and master key back to back, so their ratio is taken on the same machine state.
    wrk_case tollgate sat16 "$run" json 0 2 16 "$MEASURE_S"
    wrk_case tollgate-master sat16 "$run" json 0 2 16 "$MEASURE_S"
    wrk_case tollgate sat64 "$run" json 0 2 64 "$MEASURE_S"
    wrk_case tollgate-master sat64 "$run" json 0 2 64 "$MEASURE_S"
    alive || { log "tollgate died (see bench/out/tollgate.log)"; return 0; }
  done
  # Taken here, before the big bodies: the figure is the one of issue 14 (resident memory after the saturation run).
  memory tollgate saturation
  wrk_case tollgate warmup 0 xjson 0 2 16 "$WARMUP_S"
  wrk_case tollgate warmup 0 xsse 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    # Both keys: the difference between them is what admission (token estimate, budget, TPM) costs per KB.
    for kb in $BODY_SIZES_KB; do
      fixed_pair tollgate "body${kb}k" "$run" "body${kb}k" "$BODY_RATE"
      fixed_pair tollgate-master "body${kb}k" "$run" "body${kb}k" "$BODY_RATE"
    done
    fixed_pair tollgate xlate "$run" xjson "$XLATE_RATE"
    fixed_pair tollgate xlate-stream "$run" xsse "$XLATE_RATE"
    alive || { log "tollgate died (see bench/out/tollgate.log)"; return 0; }
  done
  memory tollgate after-bodies
  # Tollgate reaches one OpenAI upstream per process: restart it against the SSE server.
  stop_gateway
  start_gateway tollgate sse 0 || { skip tollgate "restart against the SSE upstream failed (see bench/out/tollgate.log)."; return 0; }
  wrk_case tollgate warmup 0 sse 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    wrk_case tollgate ssat16 "$run" sse 0 2 16 "$MEASURE_S"
    wrk_case tollgate ssat64 "$run" sse 0 2 64 "$MEASURE_S"
    ttfb_case direct "$run" direct@tollgate
    ttfb_case tollgate "$run"
    alive || { log "tollgate died (see bench/out/tollgate.log)"; return 0; }
  done
  memory tollgate end
  stop_gateway
}

# bench_shared_state: Tollgate with its ledger and keys in PostgreSQL and its limits and budgets in Redis, the
# virtual key's fixed-rate 1,000 req/s case (compared with the single-instance figure of bench_tollgate).
bench_shared_state() {
  local run
  log "=== tollgate with PostgreSQL + Redis ==="
  start_shared_state || { echo "SKIP target=tollgate-shared reason=PostgreSQL and Redis did not start, or the key could not be created in PostgreSQL (tests/shared-state/servers.sh)." >> "$RAW"; return 0; }
  start_gateway tollgate-shared json 0 TOLLGATE_DATABASE_URL="$SHARED_DATABASE_URL" TOLLGATE_REDIS_URL="$SHARED_REDIS_URL" ||
    { echo "SKIP target=tollgate-shared reason=it did not serve an HTTP 200 with PostgreSQL and Redis (see bench/out/tollgate-shared.log)." >> "$RAW"; return 0; }
  wrk_case tollgate-shared warmup 0 json 0 2 16 "$WARMUP_S"
  for ((run = 1; run <= REPEATS; run++)); do
    fixed_pair tollgate-shared fixed1000 "$run" json 1000
    alive || { log "tollgate-shared died (see bench/out/tollgate-shared.log)"; break; }
  done
  memory tollgate-shared end
  stop_gateway
}

# --- Header: date, machine, versions ----------------------------------------------------------
{
  echo "# Benchmark results ($MODE run)"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) cores ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); shared by the load generator, the upstream and the gateway, and with other work (noisy: compare ratios within one run)"
  echo "- Versions: $("$NGINX" -v 2>&1 | sed 's/.*version: //'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}'), node $(node --version)$(want portkey && echo ", @portkey-ai/gateway $(node -p "require('$BENCH/portkey/node_modules/@portkey-ai/gateway/package.json').version")"), dotnet $(dotnet --version 2>/dev/null || echo none), Tollgate $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: above 2 means other work competed for the CPU)"
  echo "- Method: warm-up ${WARMUP_S} s per target and mode, then each case ${MEASURE_S} s, run ${REPEATS} times; targets in turn (direct, Tollgate with a virtual key and the master key$([[ "$SHARED_STATE" == 1 ]] && echo ", Tollgate with PostgreSQL + Redis"), Portkey), one gateway running at a time. See bench/README.md."
} > "$OUT/header.md"

want direct && bench_target direct
want tollgate && bench_tollgate
[[ "$SHARED_STATE" == 1 ]] && want tollgate && bench_shared_state
want portkey && bench_target portkey

echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/header.md"
node "$BENCH/lib/report.mjs" "$RAW" "$OUT/header.md" > "$OUT/results.md"
cat "$OUT/results.md"
log "wrote bench/out/results.md"
