#!/usr/bin/env bash
# Cold-start benchmark: starts the built service (Release, its own process) with an empty template cache, as after a
# new release, and waits for its background compilation of the templates; then restarts it, as after a deploy or a
# reboot, and times from the moment /healthz answers: the first article import, preview and one-reader campaign, then
# the same three calls again REPEATS times (the later ones); STARTS restarts in all, as one start's first campaign
# varies with where the job queue's polls fall. Prints the medians of first and later for each, and how many methods
# the JIT compiled in the service during the first campaign and during a later one (DOTNET_JitStdOutFile).
#   bench/coldstart.sh [REPEATS=3] [STARTS=3]        (needs: dotnet, curl, python3, postfix's smtp-sink)
REPEATS=${1:-3}; STARTS=${2:-3}; CONNS=4
source "$(dirname "$0")/lib.sh"

build_release
SMTP_PORT=$(port); APP_PORT=$(port); BASE=http://127.0.0.1:$APP_PORT
start_sink "$SMTP_PORT" "$WORK/sink.out"
# start LOG: the service on $BASE, logging when its start-up warm-up is done
start() {
  S0=$(date +%s.%N)
  rm -f "$WORK/jit.txt"
  service "$1" "$BASE" "$SMTP_PORT" Templates__CachePath="$WORK/template-cache" \
    Logging__LogLevel__NewsletterService.Infrastructure.StartupWarmUp=Information \
    DOTNET_JitStdOutFile="$WORK/jit.txt" DOTNET_JitDisasmSummary=1
  APP=$!; wait_healthy "$BASE"
}
start "$WORK/first.log"
until grep -q 'at start-up in' "$WORK/first.log"; do sleep 0.5; done
COMPILED=$(python3 -c 'import sys,time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$S0")
printf 'email,name\nreader@bench.test,Reader\n' | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null
kill "$APP"; wait "$APP" 2>/dev/null || true

# record NAME ROUND T0 T1: appends "NAME ROUND seconds from T0 to T1" to $WORK/times
record() { echo "$1 $2 $(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$3" "$4")" >>"$WORK/times"; }
# timed NAME ROUND COMMAND...: runs the command and records its time
timed() {
  local name=$1 round=$2 t0; shift 2; t0=$(date +%s.%N); "$@" >/dev/null; record "$name" "$round" "$t0" "$(date +%s.%N)"
}
import_once() { curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: text/plain' \
  --data-binary @"$ROOT/src/NewsletterService/Articles/sample-article.txt" "$BASE/api/articles/import"; }
preview_once() { api "/api/articles/1/preview" -o /dev/null; }
# campaign_once ROUND: a campaign's time runs from its request to its completedAt by the service's clock (same
# machine), not to the poll that saw it sent: the polls' own curl and sed took longer than a warm one-reader campaign
campaign_once() {
  local t0 id j0; j0=$(jitted); t0=$(date +%s.%N); id=$(start_campaign 1); POLL=0.05 wait_sent "$id"
  record campaign "$1" "$t0" "$(completed_at "$id")"; echo "jitted $1 $(( $(jitted) - j0 ))" >>"$WORK/times"
}
# jitted: how many methods the JIT has compiled in the running service so far (one line each in $WORK/jit.txt)
jitted() { wc -l <"$WORK/jit.txt"; }
for s in $(seq "$STARTS"); do
  start "$WORK/service-$s.log"
  for round in $(seq $((REPEATS + 1))); do
    timed import "$round" import_once; timed preview "$round" preview_once; campaign_once "$round"
  done
  kill "$APP"; wait "$APP" 2>/dev/null || true
done

python3 - "$WORK/times" "$COMPILED" "$STARTS" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
print(f"new build, empty template cache: templates compiled and rendered in the background {sys.argv[2]} s after the start")
print(f"restarted {sys.argv[3]} times, from the moment /healthz answered:")
for name in ("import", "preview", "campaign"):
    first = [float(t) for n, r, t in rows if n == name and r == "1"]
    later = [float(t) for n, r, t in rows if n == name and r != "1"]
    f, l = statistics.median(first), statistics.median(later)
    print(f"{name:9} first {f:.2f} s (median of {len(first)}: {' '.join(f'{t:.2f}' for t in first)}), "
          f"later {l:.2f} s (median of {len(later)}), first/later {f / l:.1f}x")
first = [int(t) for n, r, t in rows if n == "jitted" and r == "1"]
later = [int(t) for n, r, t in rows if n == "jitted" and r != "1"]
print(f"methods the JIT compiled during a campaign: first {statistics.median(first):.0f} "
      f"({' '.join(map(str, first))}), later {statistics.median(later):.0f} (median of {len(later)})")
PY
