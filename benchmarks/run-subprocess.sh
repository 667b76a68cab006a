#!/usr/bin/env bash
# Child processes side by side (docs/benchmarks.md, "Subprocesses"): the same work on
#   eventloop   io.eventloop.bench.SubprocessBench: io.eventloop.process, pipes served by threads;
#   asyncio     benchmarks/python/subprocess_bench.py on asyncio's default loop (pipes selected);
#   uvloop      the same on uvloop (left out, and said so, when /usr/bin/python3 cannot import it).
# Each round runs the three once, in turn (the first rotating), each a fresh process: MIB MiB
# through cat, and CHILDREN runs of `true`. Nothing is pinned: a child inherits its parent's CPU
# set, and eventloop's design spreads one pipe's work over three threads (the loop and a thread per
# pipe) where asyncio and uvloop use one, so pinning would measure the scheduler, not the code.
# The summary gives each one's median and range over the rounds, and the ratios eventloop / asyncio
# and eventloop / uvloop of the medians. Results land in benchmarks/target/results/subprocess/
# (rounds.txt, summary.txt, machine.txt with the load average before and after).
# Environment (defaults in brackets): ROUNDS [3], MIB [256], CHILDREN [300].
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/subprocess"
python=/usr/bin/python3
rounds="${ROUNDS:-3}"
mib="${MIB:-256}"
children="${CHILDREN:-300}"

mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"
peers=(eventloop asyncio uvloop)
if ! "$python" -c 'import uvloop' 2>/dev/null; then
  echo "uvloop is not available for $python (apt-get install python3-uvloop); running without it"
  peers=(eventloop asyncio)
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $("$python" --version 2>&1)"
  echo "uvloop: $("$python" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo none)"
  echo "rounds: $rounds, MiB: $mib, children: $children"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

run() {
  case "$1" in
    eventloop) java -cp benchmarks/target/benchmarks.jar io.eventloop.bench.SubprocessBench "$mib" "$children" ;;
    asyncio) "$python" benchmarks/python/subprocess_bench.py "$mib" "$children" ;;
    uvloop) "$python" benchmarks/python/subprocess_bench.py "$mib" "$children" --uvloop ;;
  esac
}

: > "$out/rounds.txt"
n=${#peers[@]}
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    peer="${peers[$(((r + i) % n))]}"
    run "$peer" | sed "s/^/$peer round$r /" | tee -a "$out/rounds.txt"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

"$python" - "$out/rounds.txt" > "$out/summary.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
figures = {}
for peer, _, measure, value in rows:
    figures.setdefault(measure, {}).setdefault(peer, []).append(float(value))
for measure, peers in figures.items():
    print(measure)
    medians = {p: statistics.median(v) for p, v in peers.items()}
    for p, v in peers.items():
        print(f'  {p:10} median {medians[p]:9.1f}   range {min(v):.1f} .. {max(v):.1f}   ({len(v)} rounds)')
    for peer in ('asyncio', 'uvloop'):
        if peer in medians:
            print(f'  eventloop / {peer}: {medians["eventloop"] / medians[peer]:.2f}')
PY
cat "$out/summary.txt" "$out/machine.txt"
