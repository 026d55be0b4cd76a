#!/usr/bin/env bash
# The LLM brain under load: an OpenAI-compatible server that answers every
# completion after a fixed delay (examples/fake_llm.rs), `frontdesk serve`
# using it, and the load generator's calls (examples/loadgen.rs). Shows
# what Frontdesk adds to the LLM's own time, whether it starves while many
# turns wait on the LLM, and, with a delay above the filler threshold, how
# soon the caller hears the filler and the real answer.
#
#   benches/llm.sh postgres|sqlite [delay ms] [concurrency] [seconds]
#
# e.g. `benches/llm.sh postgres 800 32`, `... 800 200`, `... 3000 32`.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-postgres}
delay=${2:-800}
concurrency=${3:-32}
seconds=${4:-20}
port=18080
llm_port=18081
work=$(mktemp -d)
trap 'kill "${server_pid:-}" "${llm_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

case "$backend" in
  postgres)
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS frontdesk_llm WITH (FORCE)" -c "CREATE DATABASE frontdesk_llm"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/frontdesk_llm" ;;
  sqlite) export DATABASE_URL="sqlite://$work/llm.db" ;;
  *) echo "usage: $0 postgres|sqlite [delay ms] [concurrency] [seconds]" >&2; exit 2 ;;
esac
export TWILIO_AUTH_TOKEN=loadgen-token FRONTDESK_BIND=127.0.0.1:$port RUST_LOG=error
export OPENAI_BASE_URL=http://127.0.0.1:$llm_port/v1 OPENAI_MODEL=fake-model
export FRONTDESK_OUTBOX_DIR="$work/outbox"

cargo build --release --quiet --bin frontdesk --example loadgen --example fake_llm
./target/release/examples/fake_llm --port "$llm_port" --delay-ms "$delay" >/dev/null &
llm_pid=$!
./target/release/frontdesk migrate >/dev/null
./target/release/frontdesk tenant import benches/loadgen-tenant.toml >/dev/null
./target/release/frontdesk serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "backend=$backend llm_delay_ms=$delay concurrency=$concurrency filler_after_ms=${FRONTDESK_FILLER_MS:-1200}"
./target/release/examples/loadgen --server "http://127.0.0.1:$port" --token "$TWILIO_AUTH_TOKEN" \
  --to +15005550099 --concurrency "$concurrency" --seconds "$seconds"
grep -E '^(VmHWM|VmRSS|Threads)' "/proc/$server_pid/status" | tr -s ' \t' ' ' | sed 's/^/server /'
usage_sql="SELECT 'llm ' || outcome || ' ' || count(*) || ' completions, prompt tokens avg ' || round(avg(prompt_tokens)) || ' max ' || max(prompt_tokens) FROM llm_usage WHERE purpose = 'turn' GROUP BY outcome"
case "$backend" in
  postgres) psql -h 127.0.0.1 -U postgres -d frontdesk_llm -tAc "$usage_sql" ;;
  sqlite) if command -v sqlite3 >/dev/null; then sqlite3 "$work/llm.db" "$usage_sql"; fi ;;
esac
