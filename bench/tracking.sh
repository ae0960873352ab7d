#!/usr/bin/env bash
# Fires hits at the tracking endpoints (/r/ and /o/) of a Release build and prints hits/s and latency percentiles.
# Sends one tracked campaign to READERS readers into smtp-sink, takes each mail's tracked link and pixel from the dumped
# mails, then CONNECTIONS keep-alive connections (a Python asyncio client) hit them for DURATION seconds, half /r/, half /o/.
# Usage: bench/tracking.sh   (env: READERS=200 CONNECTIONS=32 DURATION=10; BENCH_BIN=<built folder> skips the build)
source "$(dirname "$0")/lib.sh"
READERS=${READERS:-200}; CONNECTIONS=${CONNECTIONS:-32}; DURATION=${DURATION:-10}; CONNS=2
build_release
mkdir -p "$WORK/data"
SMTP_PORT=$(port); HTTP_PORT=$(port); BASE=http://127.0.0.1:$HTTP_PORT
start_sink "$SMTP_PORT" "$WORK/sink.out" "$WORK/mails"
service "$WORK/service.log" "$BASE" "$SMTP_PORT" Tracking__Opens=true Tracking__Clicks=true Tracking__HitsPerMinute=10000000
wait_healthy "$BASE"
ARTICLE=$(api /api/articles -H 'Content-Type: application/json' -d "{\"title\":\"Harbour links\",\"publishedAt\":\"2026-01-01T00:00:00Z\",
  \"body\":\"Read [the plans](https://docs.example.org/harbour) and see [the map](https://maps.example.org/quay).\"}" | json id)
import_readers "$READERS"
CAMPAIGN=$(start_campaign "$ARTICLE"); wait_sent "$CAMPAIGN"
for _ in $(seq 100); do [ "$(ls "$WORK/mails" | wc -l)" -ge "$READERS" ] && break; sleep 0.2; done
python3 - "$WORK/mails" "$HTTP_PORT" "$CONNECTIONS" "$DURATION" <<'PY'
import asyncio, email, glob, re, sys, time
folder, port, connections, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
paths = []
for name in glob.glob(folder + "/*"):
    message = email.message_from_binary_file(open(name, "rb"))
    html = next(p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/html")
    paths += re.findall(r"https://news\.bench\.test(/[ro]/[A-Za-z0-9_-]+)", html)
assert paths, "no tracked links in the mails"
latencies, statuses = [], {}
async def worker(offset):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i, end = offset, time.perf_counter() + seconds
    while time.perf_counter() < end:
        path = paths[i % len(paths)]; i += 1
        started = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: news.bench.test\r\nUser-Agent: bench/1.0 (Macintosh)\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1)) if b"Content-Length" in head else 0
        if length: await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        status = head.split(b" ")[1].decode(); statuses[status] = statuses.get(status, 0) + 1
    writer.close()
async def main():
    started = time.perf_counter()
    await asyncio.gather(*(worker(k * 7) for k in range(connections)))
    return time.perf_counter() - started
elapsed = asyncio.run(main())
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
print(f"tracking hits: {len(latencies)} in {elapsed:.1f} s over {connections} connections ({len(paths)} distinct /r/ and /o/ links)")
print(f"hits/s: {len(latencies) / elapsed:.0f}   p50: {pct(0.5):.2f} ms   p99: {pct(0.99):.2f} ms   statuses: {statuses}")
PY
sleep 2  # the writer flushes within a quarter second; the report then counts the hits
api /api/campaigns/$CAMPAIGN/report | python3 -c 'import sys,json; r=json.load(sys.stdin); print("recorded: opens", r["opens"], "clicks", r["clicks"])'
