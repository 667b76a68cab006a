#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md in one go and prints a summary:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. runs the JMH suite, this library and Netty side by side in one JMH run:
#      1 fork, 3 x 1 s warm-up, 5 x 1 s measurement per benchmark (about 4 minutes);
#   3. runs the heap footprint program (Java) and benchmarks/python/footprint.py (asyncio);
#   4. prints the ratios against the peers and the targets (benchmarks/summary.py).
# Raw results land in benchmarks/target/results/. JMH_SETTINGS replaces the JMH settings, e.g.
#   JMH_SETTINGS="-f 1 -wi 1 -w 200ms -i 2 -r 300ms" benchmarks/run-all.sh    (a quick smoke run)
# and extra arguments go to JMH as they are.
set -euo pipefail

jmh_settings="${JMH_SETTINGS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results"

mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "vm: $(java -version 2>&1 | tail -1)"
  echo "python: $(python3 --version 2>&1)"
  echo "jmh settings: $jmh_settings"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

jmh_include='^io\.eventloop\.(bench\.(CallSoon|Continuation|Task|Timer|CrossThread)Benchmark|WakeupBenchmark)\.'
java -jar benchmarks/target/benchmarks.jar "$jmh_include" \
  $jmh_settings \
  -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"

# ParallelGC: exact used-heap figures after System.gc(), and no G1 humongous-region rounding
# of the timer heap's large arrays (see docs/benchmarks.md, "Memory per pending item").
java -XX:+UseParallelGC -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar \
  io.eventloop.bench.Footprint "$out/footprint-java.json" | tee "$out/footprint-java.txt"
python3 benchmarks/python/footprint.py "$out/footprint-python.json" | tee "$out/footprint-python.txt"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 benchmarks/summary.py "$out" | tee "$out/summary.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
