#!/usr/bin/env bash
# The echo server benchmarks of docs/benchmarks.md ("Echo server") in one go:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. checks that uvloop is there for /usr/bin/python3 (installs Debian's python3-uvloop when
#      missing and run as root; otherwise leaves uvloop out and says so);
#   3. raises the open-files limit for the 10,000 idle connections;
#   4. runs io.eventloop.bench.echo.EchoBench on CPU 1: it starts each server (this library's
#      protocol echo, Netty 4.2 NIO with one event-loop thread, asyncio, uvloop) pinned to CPU 0
#      and drives it over loopback: request/response with 1 KiB and 100 KiB messages and bulk
#      streaming (50 connections; each server warmed up 3 s, then 10 rounds in which every server
#      is driven for 1 s in turn), then memory per idle connection
#      with 10,000 connections open on a fresh server process; all of it twice.
# About 6 minutes. Results land in benchmarks/target/results/echo/ (echo.json, summary.txt,
# machine.txt, the servers' logs). ECHO_SETTINGS replaces nothing but adds options, e.g.
#   ECHO_SETTINGS="--reps 1 --warmup 1 --duration 2 --idle 1000" benchmarks/run-echo.sh   (a smoke run)
# and extra arguments go to EchoBench as they are (--servers, --loads, --connections, ...).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/echo"
python=/usr/bin/python3
servers="eventloop,netty,asyncio,uvloop"
idle=10000

mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"
rm -f "$out"/server-*.log

if ! "$python" -c 'import uvloop' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "uvloop missing: installing Debian's python3-uvloop"
    apt-get update -q >/dev/null && apt-get install -y -q python3-uvloop >/dev/null || true
  fi
  if ! "$python" -c 'import uvloop' 2>/dev/null; then
    echo "uvloop is not available for $python (apt-get install python3-uvloop); running without it"
    servers="eventloop,netty,asyncio"
  fi
fi

# The server holds one descriptor per connection, the load generator another.
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ] || [ "$hard" -ge 20000 ]; then
  ulimit -n 20000
else
  ulimit -n "$hard"
  if [ "$hard" -lt $((idle + 500)) ]; then
    idle=$((hard - 500))
    echo "open-files limit is $hard: measuring $idle idle connections instead of 10000"
  fi
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
  echo "netty: $(unzip -p benchmarks/target/benchmarks.jar META-INF/io.netty.versions.properties 2>/dev/null \
    | grep -m1 'netty-transport.version=' | cut -d= -f2 || echo unknown)"
  echo "open files: $(ulimit -n)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

taskset -c 1 java -cp benchmarks/target/benchmarks.jar io.eventloop.bench.echo.EchoBench \
  --out "$out" --servers "$servers" --idle "$idle" --server-cpu 0 --python "$python" \
  ${ECHO_SETTINGS:-} "$@" | tee "$out/run.txt"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
sed -n '/^== /,$p' "$out/run.txt" > "$out/summary.txt"
cat "$out/machine.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
