#!/usr/bin/env bash
# Private PostgreSQL and Redis for the tests: installs Debian's postgresql and redis-server when they are missing,
# starts one of each on free 127.0.0.1 ports in DIR (never the system services), and stops them again by pid.
#   servers.sh start DIR   writes DIR/env with TOLLGATE_TEST_DATABASE_URL and TOLLGATE_TEST_REDIS_URL
#   servers.sh stop DIR
set -euo pipefail

cmd="${1:?usage: servers.sh start|stop DIR}"
dir="${2:?usage: servers.sh start|stop DIR}"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_missing() {
  local want=()
  [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || want+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
  [ "${#want[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "servers.sh: ${want[*]} missing: run 'apt-get install ${want[*]}' as root." >&2
    return 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

# A port nothing listens on: bash's /dev/tcp connect fails at once on a free loopback port.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "servers.sh: no free port found" >&2
  return 1
}

# PostgreSQL refuses to run as root: as root, it runs as the 'postgres' user the package creates.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  install_missing
  mkdir -p "$dir"
  local bin pg_port redis_port password
  bin="$(pg_bin)"
  pg_port="$(free_port)"
  password="tg$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  mkdir -p "$dir/pg"
  printf '%s\n' "$password" >"$dir/pg.pw"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir/pg" "$dir/pg.pw"; chmod 755 "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/pg/data" -U tollgate --pwfile="$dir/pg.pw" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/pg/initdb.log" 2>&1
  # A port free a moment ago can be taken by the time the server binds it: try a few, showing why one failed.
  local attempt
  for attempt in 1 2 3; do
    if as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir/pg -c max_connections=300 -c shared_buffers=128MB" start >/dev/null; then
      break
    fi
    echo "servers.sh: PostgreSQL did not start on port $pg_port (attempt $attempt); its log ends with:" >&2
    tail -n 5 "$dir/pg/server.log" >&2 || true
    [ "$attempt" -lt 3 ] || return 1
    sleep 1
    pg_port="$(free_port)"
  done

  redis_port="$(free_port)"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
    --logfile "$dir/redis.log" --save '' --appendonly no
  for _ in $(seq 1 100); do
    [ -s "$dir/redis.pid" ] && redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null

  cat >"$dir/env" <<ENV
export TOLLGATE_TEST_DATABASE_URL='postgres://tollgate:$password@127.0.0.1:$pg_port/postgres'
export TOLLGATE_TEST_REDIS_URL='redis://127.0.0.1:$redis_port/0'
ENV
  echo "PostgreSQL on 127.0.0.1:$pg_port (pid $(head -n 1 "$dir/pg/data/postmaster.pid")), Redis on 127.0.0.1:$redis_port (pid $(cat "$dir/redis.pid")), in $dir"
}

# Stops a server by the pid it wrote, waiting for it to go.
stop_pid() {
  local pid="$1"
  kill -INT "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  if [ -s "$dir/pg/data/postmaster.pid" ]; then stop_pid "$(head -n 1 "$dir/pg/data/postmaster.pid")"; fi
  if [ -s "$dir/redis.pid" ]; then stop_pid "$(cat "$dir/redis.pid")"; fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: servers.sh start|stop DIR" >&2; exit 2 ;;
esac
