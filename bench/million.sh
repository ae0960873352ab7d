#!/usr/bin/env bash
# A million readers on the embedded default (SQLite, one process, Release): imports N (default 1,000,000) confirmed
# subscribers as one CSV through the API (the first tenth of them also on a list "tenth"), sends the sample article
# first to that list (N/10 readers), then to all N, over C connections into postfix's smtp-sink, and prints: the
# import's rows per second, the rate at N/10, how long the ledger of N took to write (from the send request until the
# campaign counts N rows), the send rate over the first tenth of its messages and over the last tenth (the ledger
# full vs nearly done), the whole campaign's rate and its ratio to the rate at N/10, and the service's peak RSS,
# sampled every half second throughout. Heavy: not run in CI.
#   bench/million.sh [N=1000000] [CONNECTIONS=4]        (needs: dotnet, curl, python3, postfix's smtp-sink)
N=${1:-1000000}; CONNS=${2:-4}
source "$(dirname "$0")/lib.sh"
build_release
SMTP_PORT=$(port); BASE=http://127.0.0.1:$(port)
start_sink "$SMTP_PORT" "$WORK/sink.out"
service "$WORK/service.log" "$BASE" "$SMTP_PORT"; APP=$!
wait_healthy "$BASE"
# RSS every half second, into a file the summary takes the maximum of
( while kill -0 "$APP" 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$APP/status 2>/dev/null; sleep 0.5; done ) >"$WORK/rss" &
PIDS+=($!)
ARTICLE=$(import_article)

api /api/lists -H 'Content-Type: application/json' -d '{"slug":"tenth","name":"A tenth of the readers"}' >/dev/null
python3 -c 'import sys; n=int(sys.argv[1]); sys.stdout.write("email,name,lists\n"
  +"".join("reader%d@bench.test,Reader %d,%s\n" % (i, i, "tenth" if i < n // 10 else "") for i in range(n)))' "$N" >"$WORK/readers.csv"
echo "importing $N subscribers ($(du -h "$WORK/readers.csv" | cut -f1) of CSV)..." >&2
I0=$(date +%s.%N)
api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @"$WORK/readers.csv" >/dev/null
I1=$(date +%s.%N)

echo "sending to the list of N/10..." >&2
S0=$(date +%s.%N)
SMALL=$(api /api/campaigns -H 'Content-Type: application/json' -d "{\"articleId\":$ARTICLE,\"lists\":[\"tenth\"]}" | json id)
wait_sent "$SMALL"; S1=$(completed_at "$SMALL"); SINK0=$(sink_count "$WORK/sink.out")

echo "sending to all N..." >&2
T0=$(date +%s.%N); echo "$T0 0" >"$WORK/progress"; ID=$(start_campaign "$ARTICLE")
until [ "$(api /api/campaigns/$ID | json total)" -ge "$N" ]; do sleep 0.5; done
L1=$(date +%s.%N)
# sink count over time, one "seconds count" a line, until the campaign is sent. The status (a count of the ledger by
# status: ~0.1 s of the service's CPU at a million rows) only every 5 s, or once the sink has them all.
i=0
while :; do
  c=$(($(sink_count "$WORK/sink.out") - SINK0)); echo "$(date +%s.%N) $c" >>"$WORK/progress"
  if [ $((i++ % 5)) = 0 ] || [ "$c" -ge "$N" ]; then
    s=$(api /api/campaigns/$ID | json status); [ "$s" = sent ] && break; [ "$s" = sending ] || { echo "campaign is $s"; exit 1; }
  fi
  sleep 1
done
T1=$(completed_at "$ID"); sleep 0.5
echo "$T1 $(($(sink_count "$WORK/sink.out") - SINK0))" >>"$WORK/progress"

python3 - "$N" "$CONNS" "$I0" "$I1" "$S0" "$S1" "$T0" "$L1" "$T1" "$WORK/progress" "$WORK/rss" "$(du -h "$WORK/readers.csv" | cut -f1)" <<'PY'
import sys
n, conns, i0, i1, s0, s1, t0, l1, t1, progress, rss, size = sys.argv[1:]
n = int(n); i0, i1, s0, s1, t0, l1, t1 = map(float, (i0, i1, s0, s1, t0, l1, t1))
points = [tuple(map(float, l.split())) for l in open(progress) if len(l.split()) == 2]
def rate_between(lo, hi):
    a = [p for p in points if p[1] <= lo][-1]; b = next(p for p in points if p[1] >= hi)  # the window, or just wider
    return (b[1] - a[1]) / (b[0] - a[0]) if b[0] > a[0] else float("nan")
peak = max(int(x) for x in open(rss) if x.strip()) / 1024
print(f"N={n:,} connections={conns}, SQLite, one process")
print(f"import: {n:,} rows ({size} CSV) in {i1 - i0:.1f} s, {n / (i1 - i0):,.0f} rows/s")
small = (n // 10) / (s1 - s0)
print(f"send to N/10 ({n // 10:,} readers): {small:,.0f} msg/s ({s1 - s0:.1f} s)")
print(f"ledger of N: written {l1 - t0:.1f} s after the send request")
print(f"send: first tenth {rate_between(0, n / 10):,.0f} msg/s, last tenth {rate_between(n * 9 / 10, n):,.0f} msg/s, "
      f"whole campaign {n / (t1 - t0):,.0f} msg/s ({t1 - t0:.1f} s), sink accepted {int(points[-1][1]):,}")
print(f"rate at N / rate at N/10: {n / (t1 - t0) / small:.2f}")
print(f"peak RSS {peak:.0f} MB (sampled every 0.5 s from start to end)")
PY
