#!/usr/bin/env bash
# Tollgate micro-benchmarks (BenchmarkDotNet, bench/Tollgate.Benchmarks): the per-request pieces on their own,
# without HTTP. Runs every benchmark in Release and copies the markdown tables to bench/micro-results/.
#
#   bench/micro.sh                      # every benchmark, --job short (a few minutes in all)
#   MICRO_JOB=dry bench/micro.sh        # one cold iteration each: checks they run, numbers mean nothing
#   MICRO_FILTER='*Rewrite*' bench/micro.sh
#
# Extra arguments go to BenchmarkDotNet as they are (e.g. --runtimes, --exporters).
# The machine is shared and noisy: the load average before and after is written next to the results.
set -euo pipefail

cd "$(dirname "$0")/.."
JOB=${MICRO_JOB-short}
FILTER=${MICRO_FILTER-'*'}
ARTIFACTS=BenchmarkDotNet.Artifacts
RESULTS=bench/micro-results

# Stale reports from an earlier run must not be copied as this run's.
rm -rf "$ARTIFACTS/results"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

dotnet run -c Release --project bench/Tollgate.Benchmarks -- --filter "$FILTER" --job "$JOB" --artifacts "$ARTIFACTS" "$@"

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.md
for report in "$ARTIFACTS"/results/*-report-github.md; do
    [ -e "$report" ] || { echo "micro.sh: no reports in $ARTIFACTS/results" >&2; exit 1; }
    name=$(basename "$report" -report-github.md)
    cp "$report" "$RESULTS/${name##*.}.md"
done

cat > "$RESULTS/run.txt" <<INFO
date: $started
job: $JOB
filter: $FILTER
commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
load average at start: $load_start
load average at end: $load_end
INFO

echo "micro.sh: results in $RESULTS/"
ls "$RESULTS"
