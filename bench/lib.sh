# Shared by the benchmarks (bench/run.sh, bench/scale.sh): sourced, not run. Sets ROOT, WORK, KEY and SINK, and
# defines the helpers below. On exit every process in PIDS is killed, then each command given to on_exit runs, then
# WORK is removed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/newsletter-bench.XXXXXX); chmod 755 "$WORK"
KEY=bench-admin-key-0123456789abcdef0123456789abcdef
PIDS=()
EXIT_COMMANDS=()
on_exit() { EXIT_COMMANDS+=("$1"); }
bench_exit() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  for c in "${EXIT_COMMANDS[@]:-}"; do [ -n "$c" ] && { eval "$c" || true; }; done
  rm -rf "$WORK"
}
trap bench_exit EXIT
SINK=${SMTP_SINK:-$(command -v smtp-sink || echo /usr/sbin/smtp-sink)}
[ -x "$SINK" ] || { echo "needs postfix's smtp-sink (apt-get install postfix)"; exit 1; }

port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json() { python3 -c 'import sys,json; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
# api PATH [curl args]: the admin API of the service at $BASE
api() { curl -fsS -H "Authorization: Bearer $KEY" "$BASE$@"; }
cpu_seconds() { python3 -c 'import os,sys; f=open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")",1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK"))' "$1"; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$1/status; }

# start_sink PORT OUT [DUMP-DIR]: smtp-sink on 127.0.0.1:PORT in the background (pid in $!), counting into OUT, or
# dumping each message to a file in DUMP-DIR when given
start_sink() {
  if [ -n "${3:-}" ]; then mkdir -p "$3"; chown nobody "$3" 2>/dev/null || true; "$SINK" -u nobody -d "$3/m." 127.0.0.1:$1 1000 >/dev/null 2>&1 &
  else "$SINK" -u nobody -c 127.0.0.1:$1 1000 >"$2" 2>&1 & fi
  PIDS+=($!)
}
# sink_count OUT: messages the counting sink writing to OUT has accepted
sink_count() { tr '\r' '\n' <"$1" | grep -Eo '[0-9]+' | tail -1 || echo 0; }

# build_release: the service in Release into $WORK/bin; with BENCH_BIN set, that already built folder is used instead
build_release() {
  if [ -n "${BENCH_BIN:-}" ]; then ln -s "$BENCH_BIN" "$WORK/bin"; return; fi
  echo "building Release..." >&2
  dotnet build "$ROOT/src/NewsletterService" -c Release -o "$WORK/bin" -v q -nologo >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
}

# service LOG URL SMTP_PORT [NAME=VALUE...]: the built service in the background (pid in $!), in Production, sending to
# the sink on SMTP_PORT; extra settings as environment variables, then those of EXTRA_ENV ("Name=value ..."), which
# every benchmark takes. With URL "migrate" it applies migrations and exits.
service() {
  local log=$1 url=$2 smtp=$3; shift 3
  local args=(--urls "$url"); [ "$url" = migrate ] && args=(migrate)
  ( cd "$WORK/bin" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Newsletter="Data Source=$WORK/data/newsletter.db" \
      Smtp__Host=127.0.0.1 Smtp__Port=$smtp Smtp__SecureSocket=None Smtp__MaxConnections=$CONNS \
      Newsletter__BaseUrl=https://news.bench.test Newsletter__FromAddress=news@bench.test Newsletter__FromName="Harbour Post" \
      Admin__ApiKey=$KEY Admin__Password=bench-password-0123456789 Webhooks__BounceSecret=$KEY DevInbox__Enabled=false Logging__LogLevel__Default=Warning \
      "$@" ${EXTRA_ENV:-} dotnet NewsletterService.dll "${args[@]}" >"$log" 2>&1 ) &
  PIDS+=($!)
}

# wait_healthy URL: until the service answers /healthz (60 s at most)
wait_healthy() {
  for _ in $(seq 120); do curl -fsS -o /dev/null "$1/healthz" 2>/dev/null && return; sleep 0.5; done
  echo "the service at $1 did not start"; exit 1
}

import_article() { api /api/articles/import -H 'Content-Type: text/plain' --data-binary @"$ROOT/src/NewsletterService/Articles/sample-article.txt" | json id; }

# import_readers N: N confirmed subscribers reader0@bench.test ...
import_readers() {
  echo "importing $1 subscribers..." >&2
  python3 -c 'import sys; n=int(sys.argv[1]); sys.stdout.write("email,name\n"+"".join(f"reader{i}@bench.test,Reader {i}\n" for i in range(n)))' "$1" \
    | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null
}

start_campaign() { api /api/campaigns -H 'Content-Type: application/json' -d "{\"articleId\":$1}" | json id; }

# wait_sent ID: until campaign ID is sent (fails when it ends otherwise), polling every POLL seconds (0.5). Each poll
# costs the service a count of the campaign's ledger rows by status, and at 50 ms that was ~10% of a core of the very
# send being measured (PostgreSQL: ~20 ms of server CPU each at 20,000 rows): so the benchmarks poll rarely and take
# the end from the service's own clock (completed_at). Reads the status with sed, not python, which starts slowly on
# a loaded machine.
wait_sent() {
  local s
  while :; do
    s=$(api /api/campaigns/$1 | sed -nE 's/.*"status":"([A-Za-z]+)".*/\1/p')
    [ "$s" = sent ] && return; [ "$s" = sending ] || { echo "campaign $1 is $s"; exit 1; }; sleep "${POLL:-0.5}"
  done
}
# completed_at ID: when campaign ID finished, by the service's clock (same machine), as seconds since the epoch
completed_at() {
  api /api/campaigns/$1 | python3 -c 'import sys, json, datetime
print(datetime.datetime.fromisoformat(json.load(sys.stdin)["completedAt"].replace("Z", "+00:00")).timestamp())'
}

# cpu_snapshot FILE PID...: "pid cpu-seconds" of each process still running into FILE
cpu_snapshot() {
  local file=$1 p; shift; : >"$file"
  for p in "$@"; do [ -r /proc/$p/stat ] && echo "$p $(cpu_seconds $p 2>/dev/null || echo 0)" >>"$file"; done; return 0
}
# cpu_between BEFORE AFTER: CPU seconds the processes of AFTER spent since BEFORE (all of it for those not in BEFORE)
cpu_between() {
  python3 -c 'import sys
read = lambda f: dict(l.split() for l in open(f) if l.strip())
a, b = read(sys.argv[1]), read(sys.argv[2])
print(sum(float(c) - float(a.get(p, 0)) for p, c in b.items()))' "$1" "$2"
}
