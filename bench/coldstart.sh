#!/usr/bin/env bash
# Cold-start benchmark: starts the built service (Release, its own process) with an empty template cache, as after a
# new release, and waits for its background compilation of the templates; then restarts it, as after a deploy or a
# reboot, and times from the moment /healthz answers: the first article import, preview and one-reader campaign, then
# the same three calls again (the later ones). Prints first vs later for each.
#   bench/coldstart.sh [REPEATS=3]        (needs: dotnet, curl, python3, postfix's smtp-sink)
REPEATS=${1:-3}; CONNS=4
source "$(dirname "$0")/lib.sh"

build_release
SMTP_PORT=$(port); APP_PORT=$(port); BASE=http://127.0.0.1:$APP_PORT
start_sink "$SMTP_PORT" "$WORK/sink.out"
# start LOG: the service on $BASE, logging when its start-up warm-up is done
start() {
  S0=$(date +%s.%N)
  service "$1" "$BASE" "$SMTP_PORT" Templates__CachePath="$WORK/template-cache" \
    Logging__LogLevel__NewsletterService.Infrastructure.StartupWarmUp=Information
  APP=$!; wait_healthy "$BASE"
}
start "$WORK/first.log"
until grep -q 'at start-up in' "$WORK/first.log"; do sleep 0.5; done
COMPILED=$(python3 -c 'import sys,time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$S0")
kill "$APP"; wait "$APP" 2>/dev/null || true
start "$WORK/service.log"
printf 'email,name\nreader@bench.test,Reader\n' | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null

# timed NAME COMMAND...: runs the command, appends "NAME seconds" to $WORK/times
timed() {
  local name=$1 t0 t1; shift; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  echo "$name $(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1")" >>"$WORK/times"
}
import_once() { curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: text/plain' \
  --data-binary @"$ROOT/src/NewsletterService/Articles/sample-article.txt" "$BASE/api/articles/import"; }
preview_once() { api "/api/articles/1/preview" -o /dev/null; }
campaign_once() { POLL=0.05 wait_sent "$(start_campaign 1)"; }
for _ in $(seq $((REPEATS + 1))); do
  timed import import_once; timed preview preview_once; timed campaign campaign_once
done

python3 - "$WORK/times" "$COMPILED" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
print(f"new build, empty template cache: templates compiled and rendered in the background {sys.argv[2]} s after the start")
print("restarted, from the moment /healthz answered:")
for name in ("import", "preview", "campaign"):
    times = [float(t) for n, t in rows if n == name]
    later = statistics.median(times[1:])
    print(f"{name:9} first {times[0]:.2f} s, later {later:.2f} s (median of {len(times) - 1}), first/later {times[0] / later:.1f}x")
PY
