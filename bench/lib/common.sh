# Pieces shared by bench/run.sh and bench/startup-memory.sh (sourced, not run). Everything listens on
# 127.0.0.1 only; what is started here is stopped by process id or process group, never by name.

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
wait_listening() { # port timeout_s
  local i
  for ((i = 0; i < $2 * 100; i++)); do port_free "$1" || return 0; sleep 0.01; done
  return 1
}

# install_tools: nginx and wrk from apt when missing; sets NGINX to nginx's path.
install_tools() {
  local need=() sudo=""
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
  command -v wrk >/dev/null || need+=(wrk)
  if [[ ${#need[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    log "installing ${need[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  command -v node >/dev/null || { echo "node is required (Debian: apt-get install nodejs npm)" >&2; return 1; }
}

# start_upstream DIR JSON_PORT SSE_PORT MSG_JSON_PORT MSG_SSE_PORT: the static nginx upstream (bench/upstream),
# its files rendered into DIR; sets NGINX_PID once every port listens.
start_upstream() {
  local dir=$1 p
  shift
  node "$BENCH/upstream/render.mjs" "$dir" "$@"
  "$NGINX" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
  NGINX_PID=$!
  for p in "$@"; do
    wait_listening "$p" 5 || { echo "nginx did not start (see $dir/error.log)" >&2; return 1; }
  done
}

# create_key TOLLGATE ARGS...: a virtual key with a budget, an RPM and a TPM limit, made by the CLI TOLLGATE;
# prints the key. The limits are high enough never to refuse a benchmark request: they are checked, not hit.
create_key() {
  local tollgate=$1
  shift
  "$tollgate" keys create "$@" --name bench --budget 1000000 --retention month --rpm 100000000 \
      --tpm 100000000000 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))'
}

# group_memory PGID: prints "RSS_KB HWM_KB", VmRSS and VmHWM summed over the process group.
group_memory() {
  local rss=0 hwm=0 p v
  for p in $(pgrep -g "$1" || true); do
    v=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true); rss=$((rss + ${v:-0}))
    v=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || true); hwm=$((hwm + ${v:-0}))
  done
  echo "$rss $hwm"
}

# stop_group PGID: SIGTERM to the group, up to 5 s to exit, then SIGKILL.
stop_group() {
  local i
  kill -TERM -- "-$1" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.05; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
