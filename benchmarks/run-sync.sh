#!/usr/bin/env bash
# The synchronisation benchmarks, side by side in one run: JMH on io.eventloop.benchmarks.sync,
# then the same shapes on asyncio and uvloop (benchmarks/python/sync_bench.py, Debian's
# python3-uvloop), then a table of ns/op and ratios. Method and figures: docs/benchmarks-sync.md.
#
#   benchmarks/run-sync.sh                 # everything (about 3 minutes)
#   benchmarks/run-sync.sh -wi 2 -i 3      # extra arguments go to JMH
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/sync
mkdir -p "$out"

mvn -q -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar 'io\.eventloop\.benchmarks\.sync\..*' \
    -rf json -rff "$out/jmh.json" "$@"
/usr/bin/python3 benchmarks/python/sync_bench.py > "$out/python.jsonl"

/usr/bin/python3 - "$out/jmh.json" "$out/python.jsonl" <<'PY'
import json, sys
jmh = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"] for b in json.load(open(sys.argv[1]))}
py = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    py[(r["loop"], r["bench"])] = r["ns_per_op"]
print()
print("| benchmark | eventloop ns/op | asyncio ns/op | uvloop ns/op | vs asyncio | vs uvloop |")
print("|---|---:|---:|---:|---:|---:|")
for bench, m in jmh.items():
    ours = m["score"]
    a = py.get(("asyncio", bench))
    u = py.get(("uvloop", bench))
    fmt = lambda x: "-" if x is None else f"{x:,.0f}"
    ratio = lambda x: "-" if x is None else f"{x / ours:.1f}x"
    print(f"| {bench} | {ours:,.1f} ± {float(m['scoreError']):,.1f} | {fmt(a)} | {fmt(u)} | {ratio(a)} | {ratio(u)} |")
PY

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
