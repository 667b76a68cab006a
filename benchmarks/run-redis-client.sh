#!/usr/bin/env bash
# The Redis client benchmark of docs/benchmarks.md ("Redis client"): this library's RedisClient
# against Lettuce (Netty) and against redis-benchmark itself, all driving one real redis-server in
# the same run:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. starts redis-server (--save '' --appendonly no) on a free port, pinned to CPU 0;
#   3. in each of REDIS_CLIENT_REPS repetitions, for SET and GET at pipeline depth 1 and 16 (50
#      callers): runs io.eventloop.bench.redis.RedisClientBench pinned to CPU 1 once per client
#      (eventloop, lettuce as it comes, lettuce-flush: Lettuce's manual pipelining), each warmed up
#      then measured, and redis-benchmark -c 50 -P depth -t set,get pinned to CPU 1; the clients'
#      order rotates from one repetition to the next;
#   4. prints the medians and ratios (benchmarks/python/redis_client_summary.py) and draws chart.svg.
# RedisClientBench's callers share one connection (that is how both client libraries are meant to
# be used); redis-benchmark opens one connection per caller. About 6 minutes. Results land in
# benchmarks/target/results/redis-client/ (runs.tsv, summary.txt, chart.json, chart.svg,
# machine.txt). Settings (environment):
#   REDIS_CLIENT_REPS=3 REDIS_CLIENT_WARMUP=2 REDIS_CLIENT_DURATION=4
#   REDIS_CLIENT_CLIENTS="eventloop lettuce lettuce-flush"
# A smoke run, about a minute: REDIS_CLIENT_REPS=1 REDIS_CLIENT_WARMUP=1 REDIS_CLIENT_DURATION=1 benchmarks/run-redis-client.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/redis-client"
reps="${REDIS_CLIENT_REPS:-3}"
warmup="${REDIS_CLIENT_WARMUP:-2}"
duration="${REDIS_CLIENT_DURATION:-4}"
read -r -a clients <<< "${REDIS_CLIENT_CLIENTS:-eventloop lettuce lettuce-flush}"
jar=benchmarks/target/benchmarks.jar
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m)

command -v redis-server >/dev/null || { echo "needs redis-server and redis-benchmark (Debian: redis-server, redis-tools)" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (Debian: redis-tools)" >&2; exit 1; }

mvn -q -B -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
rm -rf "$out"
mkdir -p "$out"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="$(mktemp -d)"
taskset -c 0 redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  --logfile "$root/$out/redis-server.log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "redis: $(redis-server --version)"
  echo "lettuce: $(sed -n 's|.*<lettuce.version>\(.*\)</lettuce.version>.*|\1|p' pom.xml) on netty $(sed -n 's|.*<netty.version>\(.*\)</netty.version>.*|\1|p' pom.xml)"
  echo "settings: reps $reps, warm-up ${warmup}s, duration ${duration}s, 50 callers, server on CPU 0, clients on CPU 1"
  echo "uptime before: $(uptime)"
} > "$out/machine.txt"

printf 'rep\tclient\top\tdepth\tops_per_second\n' > "$out/runs.tsv"
n=${#clients[@]}
for rep in $(seq "$reps"); do
  for depth in 1 16; do
    for op in set get; do
      for i in $(seq 0 "$n"); do
        # rotate the order: redis-benchmark is the last entry of the list
        k=$(( (i + rep) % (n + 1) ))
        if [ "$k" -eq "$n" ]; then
          requests=$(( depth == 1 ? 150000 : 1500000 ))
          line="$(taskset -c 1 redis-benchmark -p "$port" -c 50 -P "$depth" -n "$requests" -t "$op" --csv | tail -1)"
          rps="$(echo "$line" | cut -d, -f2 | tr -d '"')"
          printf '%s\tredis-benchmark\t%s\t%s\t%s\n' "$rep" "$op" "$depth" "$rps" >> "$out/runs.tsv"
        else
          c="${clients[$k]}"
          taskset -c 1 java "${jvm[@]}" -cp "$jar" io.eventloop.bench.redis.RedisClientBench --client "$c" \
            --port "$port" --op "$op" --depth "$depth" --callers 50 --warmup "$warmup" --duration "$duration" --rounds 1 \
            2> "$out/$c-$op-$depth-$rep.log" | awk -v rep="$rep" '$1 == "round" { printf "%s\t%s\t%s\t%s\t%s\n", rep, $3, $4, $6, $7 }' >> "$out/runs.tsv"
        fi
      done
    done
  done
  echo "rep $rep done: $(uptime)" >> "$out/machine.txt"
done
redis-cli -p "$port" info commandstats | grep -E 'cmdstat_(set|get)' > "$out/commandstats.txt" || true

python3 benchmarks/python/redis_client_summary.py "$out" | tee "$out/summary.txt"
python3 benchmarks/python/chart.py "$out/chart.json" "$out/chart.svg"
