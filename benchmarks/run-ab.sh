#!/usr/bin/env bash
# A/B of the loop's hot paths between an earlier commit and the working tree, for
# docs/benchmarks.md ("Diagnostics: cost with debug mode off and on"):
#   1. builds the benchmarks jar of this checkout, and of COMMIT in a git worktree under
#      benchmarks/target/ab-before (skipped when that worktree is already at COMMIT);
#   2. runs the same JMH benchmarks (callSoon chained and fan-out, future + map, future + onDone,
#      task create + finish) ROUNDS times from each jar, interleaved before / after, then once
#      more from this build with -Deventloop.debug=true;
#   3. prints the median of each side per benchmark and the ratio after / before.
# usage: benchmarks/run-ab.sh COMMIT [ROUNDS]     (ROUNDS defaults to 3; about 2 minutes per round)
# JMH_SETTINGS replaces the JMH settings (default: -f 1 -wi 3 -w 1s -i 5 -r 1s).
set -euo pipefail

commit="${1:?usage: benchmarks/run-ab.sh COMMIT [ROUNDS]}"
rounds="${2:-3}"
jmh_settings="${JMH_SETTINGS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
include='^io\.eventloop\.bench\.(CallSoonBenchmark\.eventloop(Chained|FanOut)|ContinuationBenchmark\.eventloop(Map|OnDone)|TaskBenchmark\.eventloopCreateTask)$'

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/ab"
before="benchmarks/target/ab-before"

mvn -q -pl benchmarks -am package -DskipTests
after_jar="$out/after.jar"
mkdir -p "$out"
cp benchmarks/target/benchmarks.jar "$after_jar"

sha="$(git rev-parse "$commit")"
if [ "$(git -C "$before" rev-parse HEAD 2>/dev/null || true)" != "$sha" ]; then
  git worktree remove --force "$before" 2>/dev/null || rm -rf "$before"
  git worktree add -q --detach "$before" "$sha"
  (cd "$before" && mvn -q -pl benchmarks -am package -DskipTests)
fi
before_jar="$out/before.jar"
cp "$before/benchmarks/target/benchmarks.jar" "$before_jar"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "before: $sha ($(git log -1 --format=%s "$sha"))"
  echo "after: $(git rev-parse HEAD) plus the working tree"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "jmh settings: $jmh_settings; rounds: $rounds"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

rm -f "$out"/*.json
for r in $(seq 1 "$rounds"); do
  for side in before after; do
    echo "== round $r: $side"
    java -jar "$out/$side.jar" "$include" $jmh_settings -rf json -rff "$out/$side-$r.json" > "$out/$side-$r.txt"
  done
done
echo "== this build, debug mode on"
java -jar "$after_jar" "$include" $jmh_settings -jvmArgsAppend -Deventloop.debug=true \
  -rf json -rff "$out/debug-1.json" > "$out/debug-1.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
scores = {}
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    side = os.path.basename(path).split("-")[0]
    for b in json.load(open(path)):
        name = b["benchmark"].split(".", 3)[-1]
        scores.setdefault(name, {}).setdefault(side, []).append((b["primaryMetric"]["score"], b["primaryMetric"]["scoreUnit"]))
print(open(os.path.join(out, "machine.txt")).read())
print(f"{'benchmark':40} {'before':>12} {'after':>12} {'after/before':>13} {'debug on':>12} {'debug/after':>12}")
for name, sides in sorted(scores.items()):
    unit = sides["after"][0][1]
    med = {s: statistics.median(v for v, _ in vals) for s, vals in sides.items()}
    time_unit = "/op" in unit
    ratio = lambda a, b: (a / b) if time_unit else (b / a)   # > 1: slower than the reference
    dbg = med.get("debug")
    print(f"{name:40} {med['before']:12.1f} {med['after']:12.1f} {ratio(med['after'], med['before']):13.3f} "
          f"{dbg if dbg is not None else float('nan'):12.1f} {ratio(dbg, med['after']) if dbg else float('nan'):12.3f}   {unit}")
print("\nratios above 1 mean slower (more time per operation) than the reference column")
PY

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
