#!/usr/bin/env bash
# Scale-out benchmark over PostgreSQL: one web-only process takes the API calls and worker-only processes send. The same
# campaign of the sample article to N confirmed subscribers is sent twice, each time on a fresh throw-away database:
# first with ONE worker, then with TWO, each worker over C connections into its own postfix smtp-sink (so each worker's
# share is counted). Prints both rates, their ratio, and each worker's messages per CPU second of its own process.
# With PIN=1 each worker is pinned to a core of its own (taskset: worker 1 on core 0, worker 2 on core 1) and the web
# process and the database's PostgreSQL server processes to the last core, to simulate a core per worker honestly.
#   [PIN=1] bench/scale.sh [N=20000] [CONNECTIONS=4]   (needs: dotnet, curl, python3, psql, postfix's smtp-sink, PostgreSQL)
N=${1:-20000}; CONNS=${2:-4}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
build_release

# run WORKERS: sends the campaign with that many workers; sets RESULT to "seconds sent,cpu-seconds sent,cpu-seconds ..."
run() {
  local workers=$1 i; deploy "$workers"
  local article; article=$(import_article)
  import_readers "$N"
  echo "sending with $workers worker(s)..." >&2
  pin_backends
  local t0 t1 id; cpu_snapshot "$WORK/cpu0" "${WORKER_PIDS[@]}"; t0=$(date +%s.%N)
  id=$(start_campaign "$article"); wait_sent "$id"
  t1=$(completed_at "$id"); cpu_snapshot "$WORK/cpu1" "${WORKER_PIDS[@]}"; sleep 0.5
  local shares=()
  for i in $(seq "$workers"); do
    grep "^${WORKER_PIDS[$((i-1))]} " "$WORK/cpu0" >"$WORK/cpu0-$i"; grep "^${WORKER_PIDS[$((i-1))]} " "$WORK/cpu1" >"$WORK/cpu1-$i"
    shares+=("$(sink_count "${SINKS[$((i-1))]}"),$(cpu_between "$WORK/cpu0-$i" "$WORK/cpu1-$i")")
  done
  undeploy
  RESULT="$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1") ${shares[*]}"
}

run 1; ONE=$RESULT
run 2; TWO=$RESULT
python3 - "$N" "$CONNS" "${PIN:-0}" "$ONE" "$TWO" <<'PY'
import sys
n, conns, pin = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
one, two = ([a.split()[0]] + [tuple(map(float, s.split(","))) for s in a.split()[1:]] for a in sys.argv[4:6])
rate = lambda run: n / float(run[0])
efficiency = lambda share: share[0] / share[1] if share[1] else 0
print(f"N={n} connections={conns} per worker, PostgreSQL, one web-only process"
      + (", pinned: worker i on core i-1, web and PostgreSQL backends on the last core" if pin else ""))
print(f"one worker:  {rate(one):,.0f} msg/s ({float(one[0]):.1f} s), sink accepted {int(one[1][0])}, "
      f"{efficiency(one[1]):,.0f} msg per CPU second of the worker")
total = sum(s[0] for s in two[1:])
shares = ", ".join(f"{int(s[0])} ({s[0] / total:.0%}, {efficiency(s):,.0f} msg/CPU-s)" for s in two[1:])
print(f"two workers: {rate(two):,.0f} msg/s ({float(two[0]):.1f} s), sinks accepted {shares}")
print(f"ratio two/one: {rate(two) / rate(one):.2f}")
print(f"per-core efficiency, two workers' mean / one worker: "
      f"{sum(efficiency(s) for s in two[1:]) / len(two[1:]) / efficiency(one[1]):.2f}")
PY
