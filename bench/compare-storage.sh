#!/usr/bin/env bash
# Storage comparison: the same campaign of the sample article to N confirmed subscribers over C connections into
# postfix's smtp-sink, sent in one run first by the embedded default (SQLite, one process), then over PostgreSQL by one
# worker-only process beside one web-only process. Prints for each the rate and the CPU seconds per 1,000 messages of
# every process involved (from /proc/<pid>/stat: the service; or the worker, the web process and the database's
# PostgreSQL server processes), how many connections to PostgreSQL use TLS, and the PostgreSQL worker's rate as a
# ratio of SQLite's. PG_EXTRA=";SSL Mode=Disable" (see bench/pg.sh) sends without TLS to a server that offers it.
#   bench/compare-storage.sh [N=20000] [CONNECTIONS=4]  (needs: dotnet, curl, python3, psql, postfix's smtp-sink, PostgreSQL)
N=${1:-20000}; CONNS=${2:-4}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
build_release

# measure ARTICLE PID...: sends the campaign; sets RESULT to "seconds cpu cpu-of-each-PID... cpu-of-backends": CPU
# seconds of the given processes and of the current PostgreSQL deployment's server processes (0 without one)
measure() {
  local article=$1 p t0 t1 id; shift
  for p in "$@"; do cpu_snapshot "$WORK/cpu0-$p" "$p"; done
  cpu_snapshot "$WORK/cpu0-db" $([ -n "${DB:-}" ] && backends); t0=$(date +%s.%N)
  id=$(start_campaign "$article"); wait_sent "$id"
  t1=$(completed_at "$id")
  local parts=()
  for p in "$@"; do cpu_snapshot "$WORK/cpu1-$p" "$p"; parts+=("$(cpu_between "$WORK/cpu0-$p" "$WORK/cpu1-$p")"); done
  cpu_snapshot "$WORK/cpu1-db" $([ -n "${DB:-}" ] && backends); parts+=("$(cpu_between "$WORK/cpu0-db" "$WORK/cpu1-db")")
  RESULT="$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]), sum(map(float, sys.argv[3:])))' "$t0" "$t1" "${parts[@]}")"
  PARTS="${parts[*]}"
}

echo "SQLite, one process..." >&2
SMTP_PORT=$(port); BASE=http://127.0.0.1:$(port)
start_sink "$SMTP_PORT" "$WORK/sink-sqlite.out"
service "$WORK/sqlite.log" "$BASE" "$SMTP_PORT"; APP=$!
wait_healthy "$BASE"
ARTICLE=$(import_article); import_readers "$N"
measure "$ARTICLE" "$APP"; SQLITE="$RESULT $(sink_count "$WORK/sink-sqlite.out")"
kill "$APP"; wait "$APP" 2>/dev/null || true

echo "PostgreSQL, one web-only process and one worker..." >&2
deploy 1
ARTICLE=$(import_article); import_readers "$N"
measure "$ARTICLE" "${WORKER_PIDS[@]}" "$WEB_PID"; sleep 0.5; POSTGRES="$RESULT $(sink_count "${SINKS[0]}")"; TLS=$(tls_use)
undeploy

python3 - "$N" "$CONNS" "$SQLITE" "$POSTGRES" "$PARTS" "$TLS" <<'PY'
import sys
n, conns = int(sys.argv[1]), sys.argv[2]
worker, web, db = (float(x) / n * 1000 for x in sys.argv[5].split())
(s_sec, s_cpu, s_acc), (p_sec, p_cpu, p_acc) = (map(float, a.split()) for a in sys.argv[3:5])
print(f"N={n} connections={conns}, same campaign, one run")
print(f"SQLite, one process:             {n / s_sec:,.0f} msg/s ({s_sec:.1f} s), "
      f"CPU {s_cpu / n * 1000:.2f} s per 1,000 messages (the service), sink accepted {int(s_acc)}")
print(f"PostgreSQL, web + one worker:    {n / p_sec:,.0f} msg/s ({p_sec:.1f} s), "
      f"CPU {p_cpu / n * 1000:.2f} s per 1,000 messages (worker, web and PostgreSQL backends), sink accepted {int(p_acc)}")
print(f"  of which: worker {worker:.2f} s, web process {web:.2f} s, PostgreSQL backends {db:.2f} s per 1,000 messages")
print(f"  connections to PostgreSQL with TLS: {sys.argv[6]}")
print(f"ratio PostgreSQL/SQLite: rate {s_sec / p_sec:.2f}, CPU per message {p_cpu / s_cpu:.2f}")
PY
