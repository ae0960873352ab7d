#!/usr/bin/env bash
# Fires hits at the tracking endpoints (/r/ and /o/) of a Release build and prints hits/s and latency percentiles.
# Sends one tracked campaign to READERS readers into smtp-sink, takes each mail's tracked link and pixel from the dumped
# mails, then CONNECTIONS keep-alive connections (wrk, one thread by default) hit them for DURATION seconds, half /r/, half /o/.
# Usage: bench/tracking.sh   (env: READERS=200 CONNECTIONS=32 DURATION=10 THREADS=1; EXTRA_ENV="Name=value ..." more
# service settings; BENCH_BIN=<built folder> skips the build)
source "$(dirname "$0")/lib.sh"
READERS=${READERS:-200}; CONNECTIONS=${CONNECTIONS:-32}; DURATION=${DURATION:-10}; THREADS=${THREADS:-1}; CONNS=2
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
build_release
mkdir -p "$WORK/data"
SMTP_PORT=$(port); HTTP_PORT=$(port); BASE=http://127.0.0.1:$HTTP_PORT
start_sink "$SMTP_PORT" "$WORK/sink.out" "$WORK/mails"
service "$WORK/service.log" "$BASE" "$SMTP_PORT" Tracking__Opens=true Tracking__Clicks=true Tracking__HitsPerMinute=10000000
SERVICE_PID=${PIDS[-1]}
wait_healthy "$BASE"
ARTICLE=$(api /api/articles -H 'Content-Type: application/json' -d "{\"title\":\"Harbour links\",\"publishedAt\":\"2026-01-01T00:00:00Z\",
  \"body\":\"Read [the plans](https://docs.example.org/harbour) and see [the map](https://maps.example.org/quay).\"}" | json id)
import_readers "$READERS"
CAMPAIGN=$(start_campaign "$ARTICLE"); wait_sent "$CAMPAIGN"
for _ in $(seq 100); do [ "$(ls "$WORK/mails" | wc -l)" -ge "$READERS" ] && break; sleep 0.2; done
python3 - "$WORK/mails" >"$WORK/paths" <<'PY'
import email, glob, re, sys
for name in glob.glob(sys.argv[1] + "/*"):
    message = email.message_from_binary_file(open(name, "rb"))
    html = next(p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/html")
    print("\n".join(re.findall(r"https://news\.bench\.test(/[ro]/[A-Za-z0-9_-]+)", html)))
PY
[ -s "$WORK/paths" ] || { echo "no tracked links in the mails"; exit 1; }
# wrk: each connection walks the links from its own offset, so /r/ and /o/ and the readers are mixed
cat >"$WORK/paths.lua" <<LUA
local paths = {}
for line in io.lines("$WORK/paths") do if #line > 0 then paths[#paths + 1] = line end end
local counter = 0
function setup(thread) thread:set("offset", counter * 7919); counter = counter + 1 end
function init() i = offset end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { Host = "news.bench.test", ["User-Agent"] = "bench/1.0 (Macintosh)" })
end
function done(summary, latency, requests)
  io.write(string.format("hits/s: %.0f   p50: %.2f ms   p99: %.2f ms   non-2xx/3xx: %d   errors: %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
echo "tracking hits over $CONNECTIONS connections for $DURATION s ($(wc -l <"$WORK/paths") distinct /r/ and /o/ links):"
CPU_BEFORE=$(cpu_seconds "$SERVICE_PID")
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" -s "$WORK/paths.lua" "$BASE" | tee "$WORK/wrk.out" | grep hits/s
HITS=$(grep -Eo '^ *[0-9]+ requests in' "$WORK/wrk.out" | grep -Eo '[0-9]+')
python3 -c 'import sys; hits, cpu = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f"service CPU: {cpu:.1f} s for {hits} hits = {cpu / hits * 1e6:.0f} µs per hit")' \
  "$HITS" "$CPU_BEFORE" "$(cpu_seconds "$SERVICE_PID")"
sleep 2  # the writer flushes within a quarter second; the report then counts the hits
api /api/campaigns/$CAMPAIGN/report | python3 -c 'import sys,json; r=json.load(sys.stdin); print("recorded: opens", r["opens"], "clicks", r["clicks"])'
