# Shared by bench/scale.sh and bench/compare-storage.sh (sourced after lib.sh): throw-away PostgreSQL deployments of
# one web-only process and worker-only processes. The server is the one named by NEWSLETTER_TEST_POSTGRES (an admin
# connection string that may create databases), by default Host=127.0.0.1;Username=newsletter;Password=newsletter;Database=postgres.
# PG_EXTRA=";Key=value..." is appended to the deployments' connection string (e.g. to try Npgsql settings).
ADMIN=${NEWSLETTER_TEST_POSTGRES:-Host=127.0.0.1;Username=newsletter;Password=newsletter;Database=postgres}
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)"; exit 1; }

# pg KEY: a key of the admin connection string (Host, Port, Username, Password, Database), case-insensitive
pg() { python3 -c 'import sys; kv=dict(p.split("=",1) for p in sys.argv[1].split(";") if "=" in p); kv={k.strip().lower():v for k,v in kv.items()}; print(kv.get(sys.argv[2].lower(), sys.argv[3]))' "$ADMIN" "$1" "$2"; }
psql_admin() { PGOPTIONS='--client-min-messages=warning' PGPASSWORD=$(pg password '') psql -qAt -h "$(pg host 127.0.0.1)" -p "$(pg port 5432)" -U "$(pg username postgres)" -d "$(pg database postgres)" -c "$1"; }
psql_admin 'SELECT 1' >/dev/null || { echo "PostgreSQL is not reachable with '$ADMIN' (service postgresql start)"; exit 1; }

# backends: pids of the PostgreSQL server processes serving the current deployment's database
backends() { psql_admin "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'"; }
# tls_use: how many of the current deployment's connections to PostgreSQL are encrypted, as "N of M" (Npgsql's default,
# SSL Mode=Prefer, encrypts whenever the server offers TLS, as Debian's does; PG_EXTRA=";SSL Mode=Disable" turns it off)
tls_use() { psql_admin "SELECT count(*) FILTER (WHERE s.ssl) || ' of ' || count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '$DB'"; }

CORES=$(nproc)
# pin CORE PID...: with PIN=1 those processes (all their threads) run on that one core only (taskset), else nothing
pin() { local core=$1 p; shift; [ "${PIN:-0}" = 1 ] || return 0; for p in "$@"; do taskset -a -p -c "$core" "$p" >/dev/null || true; done; }
# pin_backends: with PIN=1 the database's server processes run on the last core (with the web process)
pin_backends() { pin $((CORES - 1)) $(backends); }

# deploy WORKERS: a fresh database ($DB), migrations, one web-only process on $BASE and WORKERS worker-only processes
# (pids in WEB_PID, WORKER_PIDS), each sending over $CONNS connections into its own smtp-sink (counts in SINKS). With
# PIN=1, worker i runs on core i-1 (modulo the cores) and the web process on the last core (see pin_backends).
deploy() {
  local workers=$1 i url port
  DB=newsletter_bench_$RANDOM$RANDOM; FIRST_PID=${#PIDS[@]}
  psql_admin "CREATE DATABASE $DB" >/dev/null
  on_exit "psql_admin 'DROP DATABASE IF EXISTS $DB WITH (FORCE)' >/dev/null"
  local cs="Host=$(pg host 127.0.0.1);Port=$(pg port 5432);Username=$(pg username postgres);Password=$(pg password '');Database=$DB${PG_EXTRA:-}"
  local shared=(Storage__Provider=Postgres "ConnectionStrings__Newsletter=$cs")
  service "$WORK/migrate-$DB.log" migrate 25 "${shared[@]}"; wait $! || { cat "$WORK/migrate-$DB.log"; exit 1; }
  BASE=http://127.0.0.1:$(port)
  service "$WORK/web-$DB.log" "$BASE" 25 "${shared[@]}" Roles__Web=true Roles__Worker=false
  WEB_PID=$!; pin $((CORES - 1)) $WEB_PID
  wait_healthy "$BASE"
  WORKER_PIDS=(); SINKS=()
  for i in $(seq "$workers"); do
    port=$(port); SINKS+=("$WORK/sink-$DB-$i.out")
    start_sink "$port" "${SINKS[-1]}"
    url=http://127.0.0.1:$(port)
    service "$WORK/worker-$DB-$i.log" "$url" "$port" "${shared[@]}" Roles__Web=false Roles__Worker=true
    WORKER_PIDS+=($!); pin $(((i - 1) % CORES)) $!
    wait_healthy "$url"
  done
}

# undeploy: stops what deploy started and drops its database
undeploy() {
  local p
  for p in "${PIDS[@]:$FIRST_PID}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
}
