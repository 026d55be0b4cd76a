#!/usr/bin/env bash
# Load test: builds release, starts `frontdesk serve` on SQLite or PostgreSQL
# with the loadgen tenant, drives it with examples/loadgen.rs and prints
# turns/s, latency percentiles and the server's memory. The in-process job
# worker runs, as it does by default in the product.
#
#   benches/loadgen.sh postgres [concurrency] [seconds] [pool size]
#   benches/loadgen.sh sqlite   [concurrency] [seconds] [pool size]
#
# HISTORY_CALLS=100000 first stores that many ended calls (with transcripts,
# leads and done jobs) so the run measures a database in use for months;
# FRONTDESK_IN_PROCESS_WORKER=false measures turns alone.
# SMTP_SINK_DELAY_MS=N mails through a local SMTP server (examples/smtp_sink.rs)
# that takes N ms to accept each message, instead of the outbox directory;
# after the load, the script waits for the queue to drain and says how long
# that took.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-postgres}
concurrency=${2:-64}
seconds=${3:-20}
pool=${4:-8}
port=18080
work=$(mktemp -d)
trap 'kill "${server_pid:-}" "${sink_pid:-}" 2>/dev/null || true; wait "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

case "$backend" in
  postgres)
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS frontdesk_loadgen WITH (FORCE)" -c "CREATE DATABASE frontdesk_loadgen"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/frontdesk_loadgen${PGSSL:+?sslmode=$PGSSL}" ;;
  sqlite) export DATABASE_URL="sqlite://$work/loadgen.db" ;;
  *) echo "usage: $0 postgres|sqlite [concurrency] [seconds] [pool]" >&2; exit 2 ;;
esac
export TWILIO_AUTH_TOKEN=loadgen-token FRONTDESK_BIND=127.0.0.1:$port FRONTDESK_DB_POOL_SIZE=$pool RUST_LOG=warn
export FRONTDESK_IN_PROCESS_WORKER=${FRONTDESK_IN_PROCESS_WORKER:-true}
history=${HISTORY_CALLS:-0}
export FRONTDESK_OUTBOX_DIR="$work/outbox"

cargo build --release --quiet --bin frontdesk --example loadgen --example seed_history --example smtp_sink
if [ -n "${SMTP_SINK_DELAY_MS:-}" ]; then
  ./target/release/examples/smtp_sink --port 18025 --delay-ms "$SMTP_SINK_DELAY_MS" >"$work/sink.log" 2>&1 &
  sink_pid=$!
  export SMTP_URL="smtp://127.0.0.1:18025?tls=none"
fi
./target/release/frontdesk migrate >/dev/null
./target/release/frontdesk tenant import benches/loadgen-tenant.toml >/dev/null
if [ "$history" -gt 0 ]; then ./target/release/examples/seed_history --calls "$history" --tenant loadgen; fi
./target/release/frontdesk serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

if [ "$backend" = postgres ]; then
  # Plans cached before a new database has any statistics are poor until
  # autovacuum first analyses it (about a minute in): warm up, analyse, so
  # an empty database is measured as it runs after its first minute.
  ./target/release/examples/loadgen --server "http://127.0.0.1:$port" --token "$TWILIO_AUTH_TOKEN" \
    --to +15005550099 --concurrency "$concurrency" --seconds 2 --warmup 1 >/dev/null
  psql -h 127.0.0.1 -U postgres -d frontdesk_loadgen -qc "ANALYZE"
fi
echo "backend=$backend pool=$pool concurrency=$concurrency worker=$FRONTDESK_IN_PROCESS_WORKER history=$history" \
  "worker_concurrency=${FRONTDESK_WORKER_CONCURRENCY:-default} mail=${SMTP_URL:+smtp sink answering in ${SMTP_SINK_DELAY_MS} ms}${SMTP_URL:-outbox}"
./target/release/examples/loadgen --server "http://127.0.0.1:$port" --token "$TWILIO_AUTH_TOKEN" \
  --to +15005550099 --concurrency "$concurrency" --seconds "$seconds"
grep -E '^(VmHWM|VmRSS)' "/proc/$server_pid/status" | tr -s ' \t' ' ' | sed 's/^/server /'
# Whether the worker kept up: the jobs by kind and status when the load ends.
jobs_sql="SELECT kind || ' ' || status || ' ' || count(*) FROM jobs WHERE created_at > (SELECT min(started_at) FROM calls WHERE call_sid NOT LIKE 'CAseed%') GROUP BY kind, status ORDER BY kind, status"
case "$backend" in
  postgres) psql -h 127.0.0.1 -U postgres -d frontdesk_loadgen -tAc "$jobs_sql" ;;
  sqlite) if command -v sqlite3 >/dev/null; then sqlite3 "$work/loadgen.db" "$jobs_sql"; fi ;;
esac | sed 's/^/jobs /'
# utime+stime clock ticks of a process and its threads (0 if gone).
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Clock ticks used so far by the server, the database (every postgres
# process; SQLite runs inside the server) and the SMTP sink.
cpu_ticks() {
  local database=0 pid
  if [ "$backend" = postgres ]; then
    for pid in $(pgrep -x postgres); do database=$((database + $(ticks_of "$pid"))); done
  fi
  echo "$(ticks_of "$server_pid") $database $(ticks_of "${sink_pid:-0}")"
}
query() {
  case "$backend" in
    postgres) psql -h 127.0.0.1 -U postgres -d frontdesk_loadgen -tAc "$1" ;;
    sqlite) sqlite3 "$work/loadgen.db" "$1" ;;
  esac
}
if [ "$FRONTDESK_IN_PROCESS_WORKER" = true ]; then
  # The queue after the load: how long the worker takes to empty it.
  # Jobs run during the drain include those it creates (each summary
  # queues its summary email), so the rate counts jobs finished meanwhile.
  pending_sql="SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND kind <> 'purge_expired'"
  finished_sql="SELECT count(*) FROM jobs WHERE status IN ('done', 'dead') AND kind <> 'purge_expired'"
  pending=$(query "$pending_sql")
  finished_before=$(query "$finished_sql")
  cpu_before=$(cpu_ticks)
  drain_started=$(date +%s.%N)
  while [ "$(query "$pending_sql")" != 0 ]; do sleep 0.1; done
  drained_in=$(echo "$(date +%s.%N) - $drain_started" | bc)
  cpu_after=$(cpu_ticks)
  ran=$(( $(query "$finished_sql") - finished_before ))
  echo "queue pending_at_end=$pending drained_in=$(printf '%.1f' "$drained_in")s jobs_run=$ran" \
    "drain_rate=$(echo "$ran / ($drained_in + 0.001)" | bc) jobs/s"
  # CPU time per job (server, database, SMTP sink), so a run on a busy
  # machine still says what the drain costs: 2 cores / the sum is the rate
  # the box could reach with nothing else running.
  if [ "$ran" -gt 0 ]; then
    read -r s0 d0 m0 <<<"$cpu_before"
    read -r s1 d1 m1 <<<"$cpu_after"
    hz=$(getconf CLK_TCK)
    per_job() { echo "scale=3; ($2 - $1) * 1000 / $hz / $ran" | bc; }
    echo "drain_cpu_ms_per_job server=$(per_job "$s0" "$s1") database=$(per_job "$d0" "$d1") sink=$(per_job "$m0" "$m1")"
  fi
fi
if [ -n "${sink_pid:-}" ]; then sleep 1.2; tail -n1 "$work/sink.log"; fi
