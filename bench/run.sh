#!/usr/bin/env bash
# Delivery benchmark: the real service (Release, its own process) sends one campaign of the sample article to N
# confirmed subscribers over C connections into postfix's smtp-sink on loopback; then smtp-source replays one of those
# very messages into the same sink over as many connections, as the ceiling to compare with.
#   bench/run.sh [N=10000] [CONNECTIONS=4]        (needs: dotnet, curl, python3, postfix's smtp-sink and smtp-source)
set -euo pipefail
N=${1:-10000}; CONNS=${2:-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/newsletter-bench.XXXXXX); chmod 755 "$WORK"
KEY=bench-admin-key-0123456789abcdef0123456789abcdef
PIDS=()
trap 'for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
SINK=${SMTP_SINK:-$(command -v smtp-sink || echo /usr/sbin/smtp-sink)}
SOURCE=${SMTP_SOURCE:-$(command -v smtp-source || echo /usr/sbin/smtp-source)}
[ -x "$SINK" ] && [ -x "$SOURCE" ] || { echo "needs postfix's smtp-sink and smtp-source (apt-get install postfix)"; exit 1; }
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json() { python3 -c 'import sys,json; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
api() { curl -fsS -H "Authorization: Bearer $KEY" "$BASE$@"; }
# sink [dump-dir]: (re)starts smtp-sink on $SMTP_PORT, dumping messages to files only when given a folder
sink() {
  [ -n "${SINK_PID:-}" ] && { kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true; }
  if [ -n "${1:-}" ]; then mkdir -p "$1"; chown nobody "$1" 2>/dev/null || true; "$SINK" -u nobody -d "$1/m." 127.0.0.1:$SMTP_PORT 1000 >/dev/null 2>&1 &
  else "$SINK" -u nobody -c 127.0.0.1:$SMTP_PORT 1000 >"$WORK/sink.out" 2>&1 & fi
  SINK_PID=$!; PIDS+=($SINK_PID); sleep 0.5
}
sink_count() { tr '\r' '\n' <"$WORK/sink.out" | grep -Eo '[0-9]+' | tail -1 || echo 0; }
cpu_seconds() { python3 -c 'import os,sys; f=open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")",1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK"))' "$1"; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$1/status; }

echo "building Release..." >&2
dotnet build "$ROOT/src/NewsletterService" -c Release -o "$WORK/bin" -v q -nologo >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }

SMTP_PORT=$(port); APP_PORT=$(port); BASE=http://127.0.0.1:$APP_PORT
sink "$WORK/probe"
( cd "$WORK/bin" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Newsletter="Data Source=$WORK/data/newsletter.db" \
    Smtp__Host=127.0.0.1 Smtp__Port=$SMTP_PORT Smtp__SecureSocket=None Smtp__MaxConnections=$CONNS \
    Newsletter__BaseUrl=https://news.bench.test Newsletter__FromAddress=news@bench.test Newsletter__FromName="Harbour Post" \
    Admin__ApiKey=$KEY Admin__Password=bench-password-0123456789 Webhooks__BounceSecret=$KEY DevInbox__Enabled=false Logging__LogLevel__Default=Warning \
    dotnet NewsletterService.dll --urls $BASE >"$WORK/service.log" 2>&1 ) &
APP=$!; PIDS+=($APP)
for _ in $(seq 120); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.5; done
ARTICLE=$(api /api/articles/import -H 'Content-Type: text/plain' --data-binary @"$ROOT/src/NewsletterService/Articles/sample-article.txt" | json id)

# One message to a probe reader first (also warms the service up); it is what smtp-source replays. The probe reader
# then complains through the bounce webhook, so the measured campaign goes to exactly N readers.
printf 'email,name\nprobe@bench.test,Probe Reader\n' | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null
wait_sent() {
  while :; do s=$(api /api/campaigns/$1 | json status); [ "$s" = sent ] && return; [ "$s" = sending ] || { echo "campaign $1 is $s"; exit 1; }; sleep 0.2; done
}
PROBE=$(api /api/campaigns -H 'Content-Type: application/json' -d "{\"articleId\":$ARTICLE}" | json id); wait_sent "$PROBE"
sleep 0.5; MESSAGE=$(ls "$WORK"/probe/m.* | head -1); sed '/^X-/d' "$MESSAGE" >"$WORK/message.eml"
curl -fsS -o /dev/null -H "X-Webhook-Secret: $KEY" -H 'Content-Type: application/json' \
  -d '{"email":"probe@bench.test","type":"complaint","reason":"bench"}' "$BASE/api/webhooks/bounces"
SIZE=$(wc -c <"$WORK/message.eml")

echo "importing $N subscribers..." >&2
python3 -c 'import sys; n=int(sys.argv[1]); sys.stdout.write("email,name\n"+"".join(f"reader{i}@bench.test,Reader {i}\n" for i in range(n)))' "$N" \
  | api /api/subscribers/import -H 'Content-Type: text/csv' --data-binary @- >/dev/null
sink
CPU0=$(cpu_seconds $APP); T0=$(date +%s.%N)
ID=$(api /api/campaigns -H 'Content-Type: application/json' -d "{\"articleId\":$ARTICLE}" | json id); wait_sent "$ID"
T1=$(date +%s.%N); CPU1=$(cpu_seconds $APP); sleep 0.5
ACCEPTED=$(sink_count); RSS=$(peak_rss_mb $APP)

echo "smtp-source: $N messages of $SIZE bytes over $CONNS connections..." >&2
sink
S0=$(date +%s.%N)
"$SOURCE" -d -s "$CONNS" -m "$N" -F "$WORK/message.eml" -f news@bench.test -t reader@bench.test 127.0.0.1:$SMTP_PORT
S1=$(date +%s.%N); sleep 0.5
python3 - "$N" "$CONNS" "$T0" "$T1" "$CPU0" "$CPU1" "$RSS" "$ACCEPTED" "$S0" "$S1" "$(sink_count)" "$SIZE" <<'PY'
import sys
n, conns, t0, t1, c0, c1, rss, accepted, s0, s1, source_accepted, size = sys.argv[1:]
ours = int(n) / (float(t1) - float(t0)); ceiling = int(source_accepted) / (float(s1) - float(s0))
print(f"N={n} connections={conns} message={int(size)/1024:.1f} KiB")
print(f"service: {ours:,.0f} msg/s ({float(t1)-float(t0):.1f} s), peak RSS {rss} MB, CPU {float(c1)-float(c0):.1f} s, sink accepted {accepted}")
print(f"smtp-source: {ceiling:,.0f} msg/s, sink accepted {source_accepted}")
print(f"ratio: {ours/ceiling:.2f}")
PY
