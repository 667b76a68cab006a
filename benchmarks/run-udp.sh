#!/usr/bin/env bash
# The UDP benchmark of docs/benchmarks.md ("UDP") in one go: UDP echo request/response over 10
# sockets, this library's `./run udp-echo` against uvloop's and asyncio's datagram echo
# (benchmarks/python/udp_echo.py, the echo protocol of asyncio's docs), same run:
#   1. builds the examples and the benchmarks jar (mvn -q -pl examples,benchmarks -am package
#      -DskipTests): the server is the udp-echo example;
#   2. checks that uvloop is there for /usr/bin/python3 (installs Debian's python3-uvloop when
#      missing and run as root; otherwise leaves uvloop out and says so);
#   3. starts the three servers at once, each pinned to CPU 0 (the Java one with the echo
#      benchmark's JVM settings), and waits for their "listening on" lines;
#   4. runs the load generator io.eventloop.bench.udp.UdpBench pinned to CPU 1, one JVM for all
#      servers: 10 connected sockets per server, one 64-byte datagram in flight on each
#      (request/response); each server warmed up UDP_WARMUP seconds, then UDP_ROUNDS rounds in
#      which every server is driven for one UDP_SLICE-second slice in turn, the first server of a
#      round rotating, so that whatever else the machine does falls on all of them alike;
#   5. prints the median round trips a second of each server, this library's ratio to each peer
#      (median of the per-round ratios, their range and middle half), and the round-trip
#      percentiles.
# About a minute and a half with the defaults. Results land in benchmarks/target/results/udp/
# (run.txt, summary.txt, machine.txt, the servers' logs). Settings (environment):
#   UDP_ROUNDS=20 UDP_SLICE=1 UDP_WARMUP=3 UDP_SOCKETS=10 UDP_WINDOW=1 UDP_SIZE=64
#   UDP_SERVERS="eventloop uvloop asyncio"   (the first is the one whose ratios are printed)
# A smoke run: UDP_ROUNDS=2 UDP_WARMUP=1 benchmarks/run-udp.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/udp"
python=/usr/bin/python3
rounds="${UDP_ROUNDS:-20}"
slice="${UDP_SLICE:-1}"
warmup="${UDP_WARMUP:-3}"
sockets="${UDP_SOCKETS:-10}"
window="${UDP_WINDOW:-1}"
size="${UDP_SIZE:-64}"
read -r -a servers <<< "${UDP_SERVERS:-eventloop uvloop asyncio}"
# The same JVM settings as the echo benchmark's Java servers, for the server and the client.
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)

for tool in taskset java mvn; do
  command -v "$tool" >/dev/null || { echo "run-udp.sh needs $tool" >&2; exit 1; }
done

mvn -q -pl examples,benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
classpath="examples/target/classes:$(cat examples/target/classpath.txt)"
jar=benchmarks/target/benchmarks.jar
mkdir -p "$out"
rm -f "$out"/server-*.log "$out"/run.txt "$out"/summary.txt

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

# shellcheck source=benchmarks/servers.sh
source "$root/benchmarks/servers.sh"

command_of() {
  case "$1" in
    eventloop) echo "java ${jvm[*]} -cp $classpath io.eventloop.examples.Examples udp-echo --port 0" ;;
    uvloop|asyncio) echo "$python benchmarks/python/udp_echo.py $1 0" ;;
    *) echo "unknown server $1 (eventloop, uvloop, asyncio)" >&2; exit 2 ;;
  esac
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $("$python" --version 2>&1)"
  echo "uvloop: $("$python" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo none)"
  echo "load: $sockets sockets per server, $window in flight each, $size-byte datagrams, ${warmup}s warm-up each, $rounds rounds of ${slice}s slices"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

for name in "${servers[@]}"; do
  start "$name"
done

# utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the
# command name, which may hold spaces).
process_cpu() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
declare -A cpu_before
for name in "${servers[@]}"; do
  cpu_before[$name]="$(process_cpu "${pid_of[$name]}")"
done

taskset -c 1 java "${jvm[@]}" -cp "$jar" io.eventloop.bench.udp.UdpBench \
  --servers "$(for name in "${servers[@]}"; do printf '%s=127.0.0.1:%s,' "$name" "${port_of[$name]}"; done | sed 's/,$//')" \
  --sockets "$sockets" --window "$window" --size "$size" --warmup "$warmup" --slice "$slice" --rounds "$rounds" \
  | tee "$out/run.txt"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# CPU time per round trip of each server over the whole run (warm-up included): the figure a busy
# machine disturbs least, since a server waiting for its CPU spends none.
tick="$(getconf CLK_TCK)"
{
  sed -n '/^== /,/^total /p' "$out/run.txt" | grep -v '^total '
  echo "== server CPU per round trip (user + system, whole run)"
  for name in "${servers[@]}"; do
    ticks=$(( $(process_cpu "${pid_of[$name]}") - cpu_before[$name] ))
    total="$(sed -n "s/^total $name \([0-9]*\)$/\1/p" "$out/run.txt")"
    awk -v n="$name" -v t="$ticks" -v hz="$tick" -v r="$total" \
      'BEGIN { printf "%-10s %7.2f us CPU per round trip (%.2f s over %d round trips)\n", n, t / hz * 1e6 / r, t / hz, r }'
  done
  sed -n '/^total /,$p' "$out/run.txt" | grep -v '^total '
} > "$out/summary.txt"
first="${servers[0]}"
awk -v first="$first" '
  /us CPU per round trip/ { cpu[$1] = $2; order[++n] = $1 }
  END { for (i = 2; i <= n; i++) printf "%s CPU per round trip / %s'"'"'s: %.2fx (below 1: %s spends less)\n", order[i], first, cpu[order[i]] / cpu[first], order[i] }
' "$out/summary.txt" >> "$out/summary.txt"
echo
sed -n '/^== server CPU/,$p' "$out/summary.txt"
cat "$out/machine.txt"
