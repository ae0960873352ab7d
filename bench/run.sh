#!/usr/bin/env bash
# Delivery benchmark: the real service (Release, its own process) sends one campaign of the sample article to N
# confirmed subscribers over C connections into postfix's smtp-sink on loopback; then smtp-source replays one of those
# very messages into the same sink over as many connections, as the ceiling to compare with, and a plain MailKit loop
# (bench/MailKitLoop: a fresh MimeMessage per reader with that message's headers and parts, C pooled connections)
# sends N into the same sink, as the ceiling for a .NET sender.
#   bench/run.sh [N=10000] [CONNECTIONS=4]        (needs: dotnet, curl, python3, postfix's smtp-sink and smtp-source)
N=${1:-10000}; CONNS=${2:-4}
source "$(dirname "$0")/lib.sh"
SOURCE=${SMTP_SOURCE:-$(command -v smtp-source || echo /usr/sbin/smtp-source)}
[ -x "$SOURCE" ] || { echo "needs postfix's smtp-source (apt-get install postfix)"; exit 1; }
# sink [dump-dir]: (re)starts smtp-sink on $SMTP_PORT, dumping messages to files only when given a folder
sink() {
  [ -n "${SINK_PID:-}" ] && { kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true; }
  start_sink "$SMTP_PORT" "$WORK/sink.out" "${1:-}"; SINK_PID=$!; sleep 0.5
}

build_release
dotnet build "$ROOT/bench/MailKitLoop" -c Release -o "$WORK/loop" -v q -nologo >"$WORK/loop-build.log" 2>&1 || { tail -20 "$WORK/loop-build.log"; exit 1; }
SMTP_PORT=$(port); APP_PORT=$(port); BASE=http://127.0.0.1:$APP_PORT
sink "$WORK/probe"
service "$WORK/service.log" "$BASE" "$SMTP_PORT"; APP=$!
wait_healthy "$BASE"
ARTICLE=$(import_article)

# One message to a probe reader first (also warms the service up); it is what smtp-source replays. The probe reader
# then complains through the bounce webhook, so the measured campaign goes to exactly N readers.
printf 'email,name\nprobe@bench.test,Probe Reader\n' | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null
PROBE=$(start_campaign "$ARTICLE"); wait_sent "$PROBE"
sleep 0.5; MESSAGE=$(ls "$WORK"/probe/m.* | head -1); sed '/^X-/d' "$MESSAGE" >"$WORK/message.eml"
curl -fsS -o /dev/null -H "X-Webhook-Secret: $KEY" -H 'Content-Type: application/json' \
  -d '{"email":"probe@bench.test","type":"complaint","reason":"bench"}' "$BASE/api/webhooks/bounces"
SIZE=$(wc -c <"$WORK/message.eml")

import_readers "$N"
sink
CPU0=$(cpu_seconds $APP); T0=$(date +%s.%N)
ID=$(start_campaign "$ARTICLE"); wait_sent "$ID"
T1=$(completed_at "$ID"); CPU1=$(cpu_seconds $APP); sleep 0.5
ACCEPTED=$(sink_count "$WORK/sink.out"); RSS=$(peak_rss_mb $APP)

echo "smtp-source: $N messages of $SIZE bytes over $CONNS connections..." >&2
sink
S0=$(date +%s.%N)
"$SOURCE" -d -s "$CONNS" -m "$N" -F "$WORK/message.eml" -f news@bench.test -t reader@bench.test 127.0.0.1:$SMTP_PORT
S1=$(date +%s.%N); sleep 0.5
SOURCE_ACCEPTED=$(sink_count "$WORK/sink.out")

echo "MailKit loop: $N messages over $CONNS connections..." >&2
sink
LOOP=$(dotnet "$WORK/loop/MailKitLoop.dll" "$WORK/message.eml" "$N" "$CONNS" 127.0.0.1 "$SMTP_PORT"); sleep 0.5
python3 - "$N" "$CONNS" "$T0" "$T1" "$CPU0" "$CPU1" "$RSS" "$ACCEPTED" "$S0" "$S1" "$SOURCE_ACCEPTED" "$SIZE" $LOOP \
  "$(sink_count "$WORK/sink.out")" <<'PY'
import sys
n, conns, t0, t1, c0, c1, rss, accepted, s0, s1, source_accepted, size, loop_s, loop_cpu, loop_accepted = sys.argv[1:]
seconds, cpu = float(t1) - float(t0), float(c1) - float(c0)
ours = int(n) / seconds; ceiling = int(source_accepted) / (float(s1) - float(s0)); loop = int(n) / float(loop_s)
print(f"N={n} connections={conns} message={int(size)/1024:.1f} KiB")
print(f"service: {ours:,.0f} msg/s ({seconds:.1f} s), peak RSS {rss} MB, CPU {cpu:.1f} s "
      f"({cpu / int(n) * 1000:.2f} ms/msg), sink accepted {accepted}")
print(f"smtp-source: {ceiling:,.0f} msg/s, sink accepted {source_accepted}")
print(f"MailKit loop: {loop:,.0f} msg/s ({float(loop_s):.1f} s), CPU {float(loop_cpu):.1f} s "
      f"({float(loop_cpu) / int(n) * 1000:.2f} ms/msg), sink accepted {loop_accepted}")
print(f"ratio to smtp-source: {ours/ceiling:.2f}")
print(f"ratio to the MailKit loop: {ours/loop:.2f}")
PY
