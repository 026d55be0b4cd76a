#!/usr/bin/env bash
# Does a turn cost more on a database with history? Runs benches/loadgen.sh
# (in-process worker on) on an empty database and on one holding
# HISTORY_CALLS (default 100,000) stored calls, on SQLite and PostgreSQL,
# and prints turns/s, p50/p99 and how far the second run is from the first.
#
#   benches/history.sh [concurrency] [seconds] [pool size]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-64}
seconds=${2:-20}
pool=${3:-8}
history=${HISTORY_CALLS:-100000}
results=$(mktemp)
trap 'rm -f "$results"' EXIT

for backend in sqlite postgres; do
  for calls in 0 "$history"; do
    echo "== $backend, $calls stored calls" >&2
    line=$(HISTORY_CALLS=$calls benches/loadgen.sh "$backend" "$concurrency" "$seconds" "$pool" | tee /dev/stderr | grep '^result ')
    echo "$backend $calls $line" >>"$results"
  done
done

echo
printf '%-9s %8s %10s %9s %9s %7s\n' backend calls turns/s p50_ms p99_ms errors
awk '{
  for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  printf "%-9s %8s %10s %9s %9s %7s\n", $1, $2, v["turns_per_s"], v["p50_ms"], v["p99_ms"], v["errors"]
  if ($2 == 0) { base[$1] = v["turns_per_s"]; base99[$1] = v["p99_ms"] }
  else printf "%-9s history vs empty: turns/s %+.1f%%, p99 %+.1f%%\n", $1,
    100 * (v["turns_per_s"] - base[$1]) / base[$1], 100 * (v["p99_ms"] - base99[$1]) / base99[$1]
}' "$results"
