#!/usr/bin/env bash
# The echo benchmark of docs/benchmarks.md ("Echo server") on the streams API, the one users and
# the tutorials write, next to this library's protocol server:
#   eventloop          this library's protocol echo (EventloopEchoServer, as in run-echo.sh);
#   eventloop-streams  loop.startServer((reader, writer) -> ...): reader.read(65536), writer.write,
#                      writer.drain() until EOF, as the `echo` example (EventloopStreamsEchoServer);
#   uvloop-streams     asyncio.start_server with the same handler in Python, on uvloop;
#   asyncio-streams    the same on asyncio's default loop (benchmarks/python/echo_server.py).
# Steps:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. leaves uvloop-streams out, and says so, when /usr/bin/python3 cannot import uvloop;
#   3. for each connection count in CONNECTIONS runs io.eventloop.bench.echo.EchoBench on CPU 1,
#      the servers pinned to CPU 0, over loopback, with EchoBench's interleaving: all servers
#      started at once, each warmed up 3 s, then 10 rounds in which every server is driven for a
#      1 s slice in turn (the first server rotating), all of it twice (2 repetitions); no idle-
#      connection part (--idle 0).
# The summary of each count gives the rates and the ratios eventloop-streams / eventloop,
# eventloop-streams / uvloop-streams and eventloop-streams / asyncio-streams (total, per
# repetition, and median and range of the per-round ratios). About 2 minutes per connection count
# with the defaults. Results land in benchmarks/target/results/echo-streams/c<N>/ (run.txt,
# summary.txt, echo.json, the servers' logs) and machine.txt (with the load average before and
# after) in benchmarks/target/results/echo-streams/.
# Environment (defaults in brackets):
#   SERVERS      [eventloop,eventloop-streams,uvloop-streams,asyncio-streams]
#   LOADS        [rr1k]   any of rr1k,rr100k,bulk
#   CONNECTIONS  [10,50]  one EchoBench run per count
#   ECHO_SETTINGS         more EchoBench options, e.g. "--reps 1 --warmup 1 --duration 2" (a smoke run)
# and extra arguments go to EchoBench as they are (after the ones above, so they win).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/echo-streams"
python=/usr/bin/python3
servers="${SERVERS:-eventloop,eventloop-streams,uvloop-streams,asyncio-streams}"
loads="${LOADS:-rr1k}"
connections="${CONNECTIONS:-10,50}"

mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"

if ! "$python" -c 'import uvloop' 2>/dev/null; then
  echo "uvloop is not available for $python (apt-get install python3-uvloop); running without it"
  servers="$(echo "$servers" | tr ',' '\n' | grep -v '^uvloop' | paste -sd, -)"
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "vm: $(java -version 2>&1 | tail -1)"
  echo "python: $("$python" --version 2>&1)"
  echo "uvloop: $("$python" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo none)"
  echo "servers: $servers"
  echo "loads: $loads"
  echo "connections: $connections"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

for n in ${connections//,/ }; do
  dir="$out/c$n"
  mkdir -p "$dir"
  rm -f "$dir"/server-*.log
  echo "=== $n connections per server"
  taskset -c 1 java -cp benchmarks/target/benchmarks.jar io.eventloop.bench.echo.EchoBench \
    --out "$dir" --servers "$servers" --loads "$loads" --connections "$n" --idle 0 --server-cpu 0 \
    --python "$python" ${ECHO_SETTINGS:-} "$@" | tee "$dir/run.txt"
  sed -n '/^== /,$p' "$dir/run.txt" > "$dir/summary.txt"
  echo "load after $n connections: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
done

for n in ${connections//,/ }; do
  echo "=== $n connections per server"
  cat "$out/c$n/summary.txt"
done
cat "$out/machine.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
