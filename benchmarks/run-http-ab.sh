#!/usr/bin/env bash
# A/B of the example HTTP server (./run http-server, GET /) between an earlier commit and this
# checkout, for docs/benchmarks.md ("Scheduler, second pass"):
#   1. builds the examples of this checkout, and of COMMIT in a git worktree under
#      benchmarks/target/http-before (kept, and reused while it is at COMMIT);
#   2. starts both servers pinned to CPU 0 (ParallelGC, fixed pre-touched 256 MB heap, as in
#      run-http.sh), each on a free loopback port;
#   3. warms each up with one 8 s wrk run, then ROUNDS rounds in which each is driven in turn by
#      `wrk -t1 -c50 -d8s` pinned to CPU 1; prints requests/s and the server's CPU ticks
#      (utime + stime from /proc/PID/stat) per run, then the medians and the ratio after/before.
# usage: benchmarks/run-http-ab.sh COMMIT [ROUNDS]     (ROUNDS defaults to 6; about 2 minutes)
set -euo pipefail

commit="${1:?usage: benchmarks/run-http-ab.sh COMMIT [ROUNDS]}"
rounds="${2:-6}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
before="benchmarks/target/http-before"
for tool in wrk taskset; do
  command -v "$tool" >/dev/null || { echo "run-http-ab.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

mvn -q -pl examples -am package -DskipTests
sha="$(git rev-parse "$commit")"
if [ "$(git -C "$before" rev-parse HEAD 2>/dev/null || true)" != "$sha" ]; then
  git worktree remove --force "$before" 2>/dev/null || rm -rf "$before"
  git worktree add -q --detach "$before" "$sha"
  (cd "$before" && mvn -q -pl examples -am package -DskipTests)
fi

declare -A pid_of port_of
cleanup() { for p in "${pid_of[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for side in before after; do
  dir=$([ "$side" = before ] && echo "$before" || echo .)
  log="benchmarks/target/http-ab-$side.log"
  taskset -c 0 java -XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch \
    -cp "$dir/examples/target/classes:$(cat "$dir/examples/target/classpath.txt")" \
    io.eventloop.examples.Examples http-server --host 127.0.0.1 --port 0 > "$log" 2>&1 &
  pid_of[$side]=$!
  for _ in $(seq 100); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  port_of[$side]=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
done
echo "before: $sha on port ${port_of[before]}; after: $(git rev-parse --short HEAD) (working tree) on port ${port_of[after]}"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
drive() { taskset -c 1 wrk -t1 -c50 -d8s "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
for side in before after; do drive "${port_of[$side]}" > /dev/null; done
declare -A rates cpu
for r in $(seq "$rounds"); do
  for side in before after; do
    t0=$(ticks "${pid_of[$side]}")
    rate=$(drive "${port_of[$side]}")
    t1=$(ticks "${pid_of[$side]}")
    echo "round $r $side: $rate req/s, $((t1 - t0)) CPU ticks"
    rates[$side]+="$rate "
    cpu[$side]+="$(awk -v t=$((t1 - t0)) -v r="$rate" 'BEGIN { printf "%.4f", t / (r * 8) * 1000 }') "
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${rates[before]}" "${rates[after]}" "${cpu[before]}" "${cpu[after]}" <<'PY'
import statistics, sys
rb, ra, cb, ca = ([float(x) for x in a.split()] for a in sys.argv[1:5])
mb, ma = statistics.median(rb), statistics.median(ra)
print(f"median req/s: before {mb:,.0f}, after {ma:,.0f}; after/before {ma / mb:.2f}x")
print(f"CPU ticks per 1000 requests (median): before {statistics.median(cb):.3f}, after {statistics.median(ca):.3f}")
PY

# The rounds and their chart (docs/benchmarks.md, "Charts"); the date is the end of the run.
ab=benchmarks/target/results/http-ab
mkdir -p "$ab"
printf 'date: %s\nbefore: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$sha" > "$ab/machine.txt"
printf '%s\t%s\t%s\n' before "${rates[before]}" "${cpu[before]}" after "${rates[after]}" "${cpu[after]}" > "$ab/rounds.tsv"
python3 benchmarks/python/chart.py "$ab" "$ab/chart.svg"
