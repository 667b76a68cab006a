#!/usr/bin/env bash
# The scheduler's benchmarks in one go, this library and Netty 4.2 side by side, and a summary:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. one JMH run of CallSoonBenchmark (chained and fan-out, also with 1,000 idle channels
#      registered on both loops), TimerBenchmark (100k timers, 50% and 90% cancelled, with 0 and
#      100k long timers pending), ContinuationBenchmark and TaskBenchmark: 21 benchmarks, 1 fork,
#      2 x 1 s warm-up, 5 x 1 s measurement each (about 3.5 minutes);
#   3. ChainsRun: 64 self-rescheduling callSoon chains against 64 self-re-executing Runnables on
#      Netty's loop, 5M callbacks a round, with no channel and with 1,000 idle channels, 3 warm-up
#      and 10 measured rounds interleaved, after a full GC that moves the loops' queues to the old
#      generation as in a long-running server; once under G1, once under ParallelGC (about 15 s);
#   4. prints every score and the ratios against Netty (benchmarks/summary.py).
# About 4.5 minutes in all (4 min 25 s on 2 cores). Every JVM gets a fixed, pre-touched heap
# (JVM_ARGS, default "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"): without pre-touching, the side that
# allocates (ours, a Handle per callSoon) pays the first touch of every fresh heap page inside the
# measurement, up to 10x per callback on a virtual machine, and Netty's execute allocates nothing.
# The JVMs run under `taskset -c $PIN_CPUS` when taskset exists (default: every online CPU,
# which keeps them off CPUs brought online later; e.g. PIN_CPUS=1 confines them to one).
# Raw results land in benchmarks/target/results/scheduler/ (jmh.txt, jmh.json, chains-*.txt,
# chains-*.json, machine.txt, summary.txt). JMH_SETTINGS replaces the JMH settings, e.g.
#   JMH_SETTINGS="-f 1 -wi 1 -w 200ms -i 2 -r 300ms" CHAINS_ROUNDS=3 benchmarks/run-scheduler.sh   (smoke run)
# and extra arguments go to JMH as they are.
set -euo pipefail

jmh_settings="${JMH_SETTINGS:--f 1 -wi 2 -w 1s -i 5 -r 1s}"
jvm_args="${JVM_ARGS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
chains_rounds="${CHAINS_ROUNDS:-10}"
pin_cpus="${PIN_CPUS:-0-$(($(nproc) - 1))}"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/scheduler"
jar="benchmarks/target/benchmarks.jar"

mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"
rm -f "$out"/chains-*.json "$out"/chains-*.txt

pin=()
if command -v taskset > /dev/null; then
  pin=(taskset -c "$pin_cpus")
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "vm: $(java -version 2>&1 | tail -1)"
  echo "jmh settings: $jmh_settings"
  echo "jvm args: $jvm_args"
  echo "pinned: ${pin[*]:-no (taskset not found)}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

jmh_include='^io\.eventloop\.bench\.(CallSoon|Continuation|Task|Timer)Benchmark\.'
# shellcheck disable=SC2086 # the settings are word lists on purpose
"${pin[@]}" java -jar "$jar" "$jmh_include" \
  $jmh_settings -jvmArgsAppend "$jvm_args" -p background=0,100000 \
  -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

for gc in G1 Parallel; do
  # shellcheck disable=SC2086
  "${pin[@]}" java "-XX:+Use${gc}GC" $jvm_args -cp "$jar" io.eventloop.bench.ChainsRun \
    --idle 0,1000 --warmup 3 --rounds "$chains_rounds" --json "$out/chains-$gc.json" \
    | tee "$out/chains-$gc.txt"
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 benchmarks/summary.py "$out" | tee "$out/summary.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
