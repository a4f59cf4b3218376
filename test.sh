#!/usr/bin/env bash
# Installs what the tests need, then runs every test: the .NET test projects (the shared-state ones against private
# PostgreSQL and Redis servers this script starts), then the JavaScript end-to-end tests (the official openai npm
# client against a real gateway in front of the emulator).
# Needs the .NET 10 SDK and Node.js 20+ with npm. Exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for tool in dotnet node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test.sh: '$tool' is not installed (needs the .NET 10 SDK and Node.js 20+ with npm)." >&2
    exit 1
  fi
done

results=()
failed=0

# step NAME COMMAND...: runs a step, times it, and records whether it passed.
step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    results+=("PASS  $name ($((SECONDS - start)) s)")
    return 0
  else
    results+=("FAIL  $name ($((SECONDS - start)) s)")
    failed=1
    return 1
  fi
}

skip() {
  results+=("SKIP  $1 (an earlier step failed)")
}

summary() {
  echo
  echo "==================== test summary ===================="
  printf '%s\n' "${results[@]}"
  # The names of the tests that failed, so the end of the log is enough to see what broke.
  if [ -s "$log_dir/dotnet-test.log" ] && grep -qE '^\s*Failed ' "$log_dir/dotnet-test.log"; then
    echo "Failed .NET tests:"
    grep -E '^\s*Failed ' "$log_dir/dotnet-test.log" | sed 's/^\s*/  /' | head -20
  fi
  if [ -s "$log_dir/js-test.log" ] && grep -q '✖' "$log_dir/js-test.log"; then
    echo "Failed JavaScript tests:"
    grep '✖' "$log_dir/js-test.log" | sed 's/^\s*/  /' | sort -u | head -20
  fi
  if [ "$failed" -eq 0 ]; then
    echo "All tests passed."
  else
    echo "Some steps FAILED (see above)."
  fi
}
# PostgreSQL and Redis for the shared-state tests: private servers on free loopback ports in a temporary directory
# (installed from Debian's packages when missing), stopped by pid when this script exits.
servers_dir="$(mktemp -d)"
log_dir="$(mktemp -d)"
stop_servers() {
  "$root/tests/shared-state/servers.sh" stop "$servers_dir" || true
  rm -rf "$servers_dir"
}
start_servers() { "$root/tests/shared-state/servers.sh" start "$servers_dir" && . "$servers_dir/env"; }
trap 'stop_servers; summary; rm -rf "$log_dir"' EXIT

npm_install() { (cd "$root/tests/e2e-js" && npm ci --no-audit --no-fund --loglevel=error); }
js_tests() { (cd "$root/tests/e2e-js" && node --test --test-reporter=spec 2>&1 | tee "$log_dir/js-test.log"); }
dotnet_tests() { dotnet test "$root/Tollgate.slnx" -c Release --no-build -nologo 2>&1 | tee "$log_dir/dotnet-test.log"; }

# The public-mode browser test drives Debian's headless Chromium.
install_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing: run 'apt-get install chromium' as root (the browser test needs it)." >&2
    return 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

# ./tollgate publishes Native AOT: the AOT compiler's output is linked by clang or, without clang, gcc, against
# glibc's development files (crt objects, libc, libm, libdl, librt); zlib comes with the .NET package.
install_aot_toolchain() {
  local want=()
  command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || want+=(gcc)
  [ -e /usr/include/stdio.h ] || want+=(libc6-dev)
  [ "${#want[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "${want[*]} missing: run 'apt-get install ${want[*]}' as root (the Native AOT link needs them)." >&2
    return 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

step "install chromium (browser test)" install_chromium || true
step "install a C toolchain (Native AOT link)" install_aot_toolchain || true
step "npm ci (tests/e2e-js)" npm_install || true
step "start PostgreSQL and Redis (shared-state tests)" start_servers || true

if step "dotnet build Tollgate.slnx -c Release" dotnet build "$root/Tollgate.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly; then
  step "dotnet test (all .NET test projects)" dotnet_tests || true
else
  skip "dotnet test (all .NET test projects)"
fi

# The JS tests start the CLI from .build/ (./tollgate publishes it there, Native AOT, on first use).
if step "build the tollgate CLI" "$root/tollgate" --version; then
  if [ -d "$root/tests/e2e-js/node_modules/openai" ]; then
    step "node --test (tests/e2e-js)" js_tests || true
  else
    failed=1
    skip "node --test (tests/e2e-js)"
  fi
else
  skip "node --test (tests/e2e-js)"
fi

exit "$failed"
