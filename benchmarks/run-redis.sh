#!/usr/bin/env bash
# The Redis-protocol benchmark of docs/benchmarks.md ("Redis-protocol server"): the kv-server
# example against a real redis-server, driven by the same redis-benchmark, in the same run:
#   1. builds the examples (as ./run does) and starts both servers pinned to CPU 0 (kv-server with
#      the JVM settings of the other Java servers; redis-server with --save '' --appendonly no);
#   2. warms the JVM up (REDIS_WARMUP requests of each test against kv-server, not recorded);
#   3. REDIS_ROUNDS rounds; in each, for -P 1 and -P 16, redis-benchmark -c 50 -t ping,set,get
#      --csv pinned to CPU 1 drives each server in turn, the first server alternating from round to
#      round; -n is REDIS_REQUESTS at -P 1 and 10 times that at -P 16;
#   4. allocation: a flight recording of kv-server (jcmd JFR.start/JFR.stop around one more
#      SET+GET run, after the rounds) gives its loop thread's allocated bytes at the start and end
#      (jdk.ThreadAllocationStatistics); the difference over the requests is bytes per request;
#   5. prints the summary (medians over the rounds of requests/s and p99, ratios kv / redis) and
#      draws chart.svg with benchmarks/python/chart.py.
# About 3 minutes with the defaults. Results in benchmarks/target/results/redis/: raw-*.csv (one
# redis-benchmark run each), rounds.tsv, alloc.txt, summary.txt, redis.json (chart data),
# chart.svg, machine.txt. Settings (environment):
#   REDIS_ROUNDS=5 REDIS_REQUESTS=100000 REDIS_WARMUP=300000 REDIS_CLIENTS=50
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/redis"
rounds="${REDIS_ROUNDS:-5}"
requests="${REDIS_REQUESTS:-100000}"
warmup="${REDIS_WARMUP:-300000}"
clients="${REDIS_CLIENTS:-50}"
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)
kv_port=16380
redis_port=16379

for tool in redis-server redis-benchmark redis-cli taskset jcmd jfr python3; do
  command -v "$tool" >/dev/null || { echo "run-redis.sh needs $tool (redis-server and redis-tools packages, util-linux, a JDK)" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out"
mvn -q -B -o -pl examples -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
cp="examples/target/classes:$(cat examples/target/classpath.txt)"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

taskset -c 0 java "${jvm[@]}" -cp "$cp" io.eventloop.examples.Examples kv-server --port "$kv_port" \
  >"$out/kv-server.log" 2>&1 &
pids+=($!)
kv_pid=$!
taskset -c 0 redis-server --port "$redis_port" --save '' --appendonly no --daemonize no \
  >"$out/redis-server.log" 2>&1 &
pids+=($!)

for port in "$kv_port" "$redis_port"; do
  for _ in $(seq 300); do
    [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
  [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ] || { echo "no server on port $port" >&2; exit 1; }
done

{
  date -u '+%Y-%m-%d %H:%M UTC'
  echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
  java -version 2>&1 | head -1
  redis-server --version
  uptime
} >"$out/machine.txt"

bench() { # port pipeline requests file
  taskset -c 1 redis-benchmark -p "$1" -c "$clients" -t ping,set,get -n "$3" -P "$2" --csv >"$4" 2>/dev/null
}

echo "== warm-up of kv-server ($warmup requests per test, P1 and P16)"
bench "$kv_port" 1 "$warmup" /dev/null
bench "$kv_port" 16 "$((warmup * 10))" /dev/null

printf 'round\tserver\tpipeline\ttest\trps\tp50_ms\tp99_ms\n' >"$out/rounds.tsv"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="kv redis"; else order="redis kv"; fi
  for pipeline in 1 16; do
    n=$requests
    [ "$pipeline" -eq 16 ] && n=$((requests * 10))
    for server in $order; do
      port=$kv_port
      [ "$server" = redis ] && port=$redis_port
      file="$out/raw-$server-P$pipeline-r$round.csv"
      bench "$port" "$pipeline" "$n" "$file"
      # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
      tail -n +2 "$file" | tr -d '"' | awk -F, -v r="$round" -v s="$server" -v p="$pipeline" \
        '{ printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, s, p, $1, $2, $5, $7 }' >>"$out/rounds.tsv"
    done
    echo "round $round P$pipeline done"
  done
done

echo "== allocation on kv-server's loop thread (SET and GET, P16)"
alloc_requests=$((requests * 20))
jcmd "$kv_pid" JFR.start name=alloc settings=profile >/dev/null
taskset -c 1 redis-benchmark -p "$kv_port" -c "$clients" -t set,get -n "$alloc_requests" -P 16 -q >/dev/null 2>&1
jcmd "$kv_pid" JFR.stop name=alloc filename="$PWD/$out/kv-server.jfr" >/dev/null
jfr print --json --events jdk.ThreadAllocationStatistics "$out/kv-server.jfr" >"$out/alloc-events.json"
python3 - "$out" "$((alloc_requests * 2))" <<'PY'
import json, sys
out, requests = sys.argv[1], int(sys.argv[2])
events = json.load(open(f"{out}/alloc-events.json"))["recording"]["events"]
per_thread = {}
for e in events:
    v = e["values"]
    per_thread.setdefault(v["thread"]["javaName"], []).append(v["allocated"])
loop = per_thread.get("main", [])
with open(f"{out}/alloc.txt", "w") as f:
    if len(loop) >= 2:
        delta = max(loop) - min(loop)
        f.write(f"kv-server loop thread (main): {delta:.0f} bytes allocated over {requests} SET+GET requests"
                f" = {delta / requests:.3f} bytes per request (JFR ThreadAllocationStatistics, first and last event)\n")
    else:
        f.write(f"no allocation statistics for the loop thread: {sorted(per_thread)}\n")
print(open(f"{out}/alloc.txt").read(), end="")
PY

python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
rows = [l.rstrip("\n").split("\t") for l in open(f"{out}/rounds.tsv")][1:]
data = {}
for r, server, p, test, rps, p50, p99 in rows:
    data.setdefault((test, p, server), []).append((float(rps), float(p50), float(p99), int(r)))
lines = ["Redis-protocol server: kv-server / redis-server, redis-benchmark -c 50, medians of the rounds", ""]
lines.append(f"{'test':<12}{'P':>3}{'kv req/s':>12}{'redis req/s':>13}{'ratio':>7}{'round ratios':>26}{'kv p99':>8}{'redis p99':>10}")
groups = []
for test in ("PING_INLINE", "PING_MBULK", "SET", "GET"):
    for p in ("1", "16"):
        kv = data.get((test, p, "kv")); rd = data.get((test, p, "redis"))
        if not kv or not rd:
            continue
        kv_rps = statistics.median(x[0] for x in kv); rd_rps = statistics.median(x[0] for x in rd)
        kv_p99 = statistics.median(x[2] for x in kv); rd_p99 = statistics.median(x[2] for x in rd)
        per_round = sorted(a[0] / b[0] for a, b in zip(sorted(kv, key=lambda x: x[3]), sorted(rd, key=lambda x: x[3])))
        ratio = kv_rps / rd_rps
        lines.append(f"{test:<12}{p:>3}{kv_rps:>12,.0f}{rd_rps:>13,.0f}{ratio:>7.2f}"
                     f"{'  ' + ' '.join(f'{x:.2f}' for x in per_round):>26}{kv_p99:>8.3f}{rd_p99:>10.3f}")
        groups.append({"shape": f"{test} -P {p}", "detail": f"kv-server {kv_rps:,.0f} req/s, p99 {kv_p99:.3f} ms",
                       "bars": [{"peer": "redis-server", "ratio": f"{ratio:.2f}",
                                 "low": f"{per_round[0]:.2f}", "high": f"{per_round[-1]:.2f}"}]})
machine = open(f"{out}/machine.txt").read().splitlines()
lines += ["", open(f"{out}/alloc.txt").read().rstrip()]
open(f"{out}/summary.txt", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
json.dump({"title": "kv-server vs redis-server under redis-benchmark -c 50", "date": machine[0],
           "machine": machine[1], "better": "higher", "ours": "kv-server",
           "measure": "requests/s, kv-server / redis-server (median of the rounds)",
           "spread": "the per-round ratios", "source": "benchmarks/run-redis.sh", "groups": groups},
          open(f"{out}/redis.json", "w"), indent=1)
PY
python3 benchmarks/python/chart.py "$out/redis.json" "$out/chart.svg"
echo "results in $out"
