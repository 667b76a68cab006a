#!/usr/bin/env bash
# The UDP benchmark of docs/benchmarks.md ("UDP") in one go: UDP echo request/response over 10
# sockets, this library's `./run udp-echo` against uvloop's and asyncio's datagram echo
# (benchmarks/python/udp_echo.py, the echo protocol of asyncio's docs), same run:
#   1. builds the examples (mvn -q -pl examples -am package -DskipTests): the server is the
#      udp-echo example and the load generator is the udp-client example;
#   2. checks that uvloop is there for /usr/bin/python3 (installs Debian's python3-uvloop when
#      missing and run as root; otherwise leaves uvloop out and says so);
#   3. starts the three servers at once, each pinned to CPU 0 (the Java one with the echo
#      benchmark's JVM settings), and waits for their "listening on" lines;
#   4. runs UDP_ROUNDS rounds; in each round every server is driven once, in turn, the first server
#      of a round rotating: `udp-client --sockets 10 --window 1 --size 64 --warmup W --duration D`
#      pinned to CPU 1, a fresh JVM per run (10 connected sockets, one datagram in flight on each:
#      request/response; the first W seconds warm the client's JIT and are not measured);
#   5. prints the median round trips a second of each server, this library's ratio to each peer
#      (median of the per-round ratios, and their range), and the round-trip percentiles.
# About 2.5 minutes with the defaults. Results land in benchmarks/target/results/udp/ (client-*.txt
# per run, runs.tsv, summary.txt, machine.txt, the servers' logs). Settings (environment):
#   UDP_ROUNDS=5 UDP_DURATION=5 UDP_WARMUP=2 UDP_SOCKETS=10 UDP_WINDOW=1 UDP_SIZE=64
#   UDP_SERVERS="eventloop uvloop asyncio"
# A smoke run: UDP_ROUNDS=1 UDP_DURATION=1 UDP_WARMUP=1 benchmarks/run-udp.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/udp"
python=/usr/bin/python3
rounds="${UDP_ROUNDS:-5}"
duration="${UDP_DURATION:-5}"
warmup="${UDP_WARMUP:-2}"
sockets="${UDP_SOCKETS:-10}"
window="${UDP_WINDOW:-1}"
size="${UDP_SIZE:-64}"
read -r -a servers <<< "${UDP_SERVERS:-eventloop uvloop asyncio}"
# The same JVM settings as the echo benchmark's Java servers, for the server and the client.
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)

for tool in taskset java mvn; do
  command -v "$tool" >/dev/null || { echo "run-udp.sh needs $tool" >&2; exit 1; }
done

mvn -q -pl examples -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
classpath="examples/target/classes:$(cat examples/target/classpath.txt)"
mkdir -p "$out"
rm -f "$out"/server-*.log "$out"/client-*.txt "$out"/runs.tsv

if printf '%s\n' "${servers[@]}" | grep -qx uvloop && ! "$python" -c 'import uvloop' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "uvloop missing: installing Debian's python3-uvloop"
    apt-get update -q >/dev/null && apt-get install -y -q python3-uvloop >/dev/null || true
  fi
  if ! "$python" -c 'import uvloop' 2>/dev/null; then
    echo "uvloop is not available for $python (apt-get install python3-uvloop); running without it"
    mapfile -t servers < <(printf '%s\n' "${servers[@]}" | grep -vx uvloop)
  fi
fi

declare -A pid_of port_of
started=()

cleanup() {
  local pid
  for pid in "${started[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  started=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command_of() {
  case "$1" in
    eventloop) echo "java ${jvm[*]} -cp $classpath io.eventloop.examples.Examples udp-echo --port 0" ;;
    uvloop|asyncio) echo "$python benchmarks/python/udp_echo.py $1 0" ;;
    *) echo "unknown server $1 (eventloop, uvloop, asyncio)" >&2; exit 2 ;;
  esac
}

# Starts one server pinned to CPU 0 and waits (at most 30 s) for its "listening on HOST:PORT" line.
start() {
  local name="$1" log="$out/server-$1.log" cmd pid
  cmd="$(command_of "$name")"
  # shellcheck disable=SC2086 # the command is split on purpose; no argument holds a space
  taskset -c 0 $cmd > "$log" 2>&1 &
  pid=$!
  started+=("$pid")
  pid_of[$name]=$pid
  for _ in $(seq 300); do
    if grep -qs '^listening on ' "$log"; then
      port_of[$name]="$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$log" | head -1)"
      echo "$name: pid $pid, port ${port_of[$name]}"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; its log ($log):" >&2
  cat "$log" >&2
  exit 1
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $("$python" --version 2>&1)"
  echo "uvloop: $("$python" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo none)"
  echo "load: $sockets sockets, $window in flight each, $size-byte datagrams, ${warmup}s warm-up + ${duration}s per run, $rounds rounds"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

for name in "${servers[@]}"; do
  start "$name"
done

printf 'round\tserver\trate\tp50_us\tp99_us\tlost\n' > "$out/runs.tsv"
n=${#servers[@]}
for round in $(seq "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    name="${servers[$(( (i + round - 1) % n ))]}"
    file="$out/client-$name-$round.txt"
    taskset -c 1 java "${jvm[@]}" -cp "$classpath" io.eventloop.examples.Examples udp-client \
      --port "${port_of[$name]}" --sockets "$sockets" --window "$window" --size "$size" \
      --warmup "$warmup" --duration "$duration" --count 0 --timeout 1 > "$file" 2>&1
    rate="$(sed -n 's/^round trips: \([0-9]*\)\/s.*/\1/p' "$file")"
    p50="$(sed -n 's/^round trip (us): p50 \([0-9.]*\) .*/\1/p' "$file")"
    p99="$(sed -n 's/.* p99 \([0-9.]*\) .*/\1/p' "$file")"
    lost="$(sed -n 's/.* lost \([0-9]*\) .*/\1/p' "$file")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$rate" "$p50" "$p99" "$lost" >> "$out/runs.tsv"
    echo "round $round $name: $rate round trips/s, p50 $p50 us, p99 $p99 us, lost $lost"
  done
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

python3 - "$out/runs.tsv" <<'EOF' | tee "$out/summary.txt"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
servers = list(dict.fromkeys(r["server"] for r in rows))
by = {(r["round"], r["server"]): r for r in rows}
rounds = sorted({r["round"] for r in rows}, key=int)
print("== UDP echo, request/response (median of %d rounds)" % len(rounds))
for s in servers:
    rates = [float(by[(k, s)]["rate"]) for k in rounds]
    p50 = statistics.median(float(by[(k, s)]["p50_us"]) for k in rounds)
    p99 = statistics.median(float(by[(k, s)]["p99_us"]) for k in rounds)
    lost = sum(int(by[(k, s)]["lost"]) for k in rounds)
    print("%-10s %8.0f round trips/s (range %.0f-%.0f)  p50 %6.1f us  p99 %7.1f us  lost %d"
          % (s, statistics.median(rates), min(rates), max(rates), p50, p99, lost))
if "eventloop" in servers:
    for peer in servers:
        if peer == "eventloop":
            continue
        ratios = [float(by[(k, "eventloop")]["rate"]) / float(by[(k, peer)]["rate"]) for k in rounds]
        print("eventloop / %-8s %.2fx (per round %.2f-%.2f)" % (peer, statistics.median(ratios), min(ratios), max(ratios)))
EOF
cat "$out/machine.txt"
