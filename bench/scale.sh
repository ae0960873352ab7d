#!/usr/bin/env bash
# Scale-out benchmark over PostgreSQL: one web-only process takes the API calls and worker-only processes send. The same
# campaign of the sample article to N confirmed subscribers is sent twice, each time on a fresh throw-away database:
# first with ONE worker, then with TWO, each worker over C connections into its own postfix smtp-sink on loopback (so
# each worker's share is counted). Prints both rates and their ratio.
#   bench/scale.sh [N=20000] [CONNECTIONS=4]     (needs: dotnet, curl, python3, psql, postfix's smtp-sink, PostgreSQL)
# The server is the one named by NEWSLETTER_TEST_POSTGRES (an admin connection string that may create databases),
# by default Host=127.0.0.1;Username=newsletter;Password=newsletter;Database=postgres.
N=${1:-20000}; CONNS=${2:-4}
source "$(dirname "$0")/lib.sh"
ADMIN=${NEWSLETTER_TEST_POSTGRES:-Host=127.0.0.1;Username=newsletter;Password=newsletter;Database=postgres}
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)"; exit 1; }

# pg KEY: a key of the admin connection string (Host, Port, Username, Password, Database), case-insensitive
pg() { python3 -c 'import sys; kv=dict(p.split("=",1) for p in sys.argv[1].split(";") if "=" in p); kv={k.strip().lower():v for k,v in kv.items()}; print(kv.get(sys.argv[2].lower(), sys.argv[3]))' "$ADMIN" "$1" "$2"; }
psql_admin() { PGOPTIONS='--client-min-messages=warning' PGPASSWORD=$(pg password '') psql -qAt -h "$(pg host 127.0.0.1)" -p "$(pg port 5432)" -U "$(pg username postgres)" -d "$(pg database postgres)" -c "$1"; }
psql_admin 'SELECT 1' >/dev/null || { echo "PostgreSQL is not reachable with '$ADMIN' (service postgresql start)"; exit 1; }

build_release

# run WORKERS: a fresh database, migrations, one web-only process and WORKERS worker-only processes; sends the campaign
# and sets RESULT to "seconds sent-by-worker-1 sent-by-worker-2 ..."
run() {
  local workers=$1 db=newsletter_bench_$RANDOM$RANDOM i
  psql_admin "CREATE DATABASE $db" >/dev/null
  on_exit "psql_admin 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null"
  local cs="Host=$(pg host 127.0.0.1);Port=$(pg port 5432);Username=$(pg username postgres);Password=$(pg password '');Database=$db"
  local shared=(Storage__Provider=Postgres "ConnectionStrings__Newsletter=$cs")
  local first=${#PIDS[@]}

  service "$WORK/migrate-$workers.log" migrate 25 "${shared[@]}"; wait $! || { cat "$WORK/migrate-$workers.log"; exit 1; }
  BASE=http://127.0.0.1:$(port)
  service "$WORK/web-$workers.log" "$BASE" 25 "${shared[@]}" Roles__Web=true Roles__Worker=false
  wait_healthy "$BASE"
  local ports=() sinks=() url
  for i in $(seq "$workers"); do
    ports+=($(port)); sinks+=("$WORK/sink-$workers-$i.out")
    start_sink "${ports[-1]}" "${sinks[-1]}"
    url=http://127.0.0.1:$(port)
    service "$WORK/worker-$workers-$i.log" "$url" "${ports[-1]}" "${shared[@]}" Roles__Web=false Roles__Worker=true
    wait_healthy "$url"
  done

  local article; article=$(import_article)
  import_readers "$N"
  echo "sending with $workers worker(s)..." >&2
  local t0 t1 id; t0=$(date +%s.%N)
  id=$(start_campaign "$article"); wait_sent "$id"
  t1=$(date +%s.%N); sleep 0.5
  local counts=(); for i in $(seq "$workers"); do counts+=($(sink_count "${sinks[$((i-1))]}")); done

  for p in "${PIDS[@]:$first}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  RESULT="$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1") ${counts[*]}"
}

run 1; ONE=$RESULT
run 2; TWO=$RESULT
python3 - "$N" "$CONNS" "$ONE" "$TWO" <<'PY'
import sys
n, conns = int(sys.argv[1]), sys.argv[2]
one, two = ([float(x) for x in arg.split()] for arg in sys.argv[3:5])
rate = lambda run: n / run[0]
print(f"N={n} connections={conns} per worker, PostgreSQL, one web-only process")
print(f"one worker:  {rate(one):,.0f} msg/s ({one[0]:.1f} s), sink accepted {int(one[1])}")
shares = ", ".join(f"{int(c)} ({c / sum(two[1:]):.0%})" for c in two[1:])
print(f"two workers: {rate(two):,.0f} msg/s ({two[0]:.1f} s), sinks accepted {shares}")
print(f"ratio two/one: {rate(two) / rate(one):.2f}")
PY
