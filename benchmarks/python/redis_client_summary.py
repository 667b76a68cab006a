"""Summarises benchmarks/run-redis-client.sh: medians, ratios and the chart data.

    python3 benchmarks/python/redis_client_summary.py RESULTS_DIR

Reads RESULTS_DIR/runs.tsv (rep, client, op, depth, ops_per_second) and machine.txt; prints, for
each operation and pipeline depth, every client's median commands per second over the
repetitions and this library's ratio to each peer (the ratio of the medians, with the lowest and
highest ratio of one repetition's figures beside it); writes RESULTS_DIR/chart.json for chart.py.
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

OURS = "eventloop"
LABELS = {
    "lettuce": "vs Lettuce",
    "lettuce-flush": "vs Lettuce, manual flush",
    "redis-benchmark": "vs redis-benchmark",
}


def main(directory):
    root = Path(directory)
    runs = defaultdict(dict)  # (op, depth) -> client -> rep -> ops/s
    with open(root / "runs.tsv") as f:
        next(f)
        for line in f:
            rep, client, op, depth, ops = line.split()
            runs[(op, int(depth))].setdefault(client, {})[rep] = float(ops)
    machine = {}
    if (root / "machine.txt").exists():
        for line in (root / "machine.txt").read_text().splitlines():
            key, _, value = line.partition(": ")
            machine.setdefault(key, value)
    groups = []
    for (op, depth) in sorted(runs, key=lambda k: (k[1], k[0] != "set")):
        by_client = runs[(op, depth)]
        if OURS not in by_client:
            continue
        ours = by_client[OURS]
        ours_median = statistics.median(ours.values())
        print(f"{op.upper()} depth {depth}: eventloop {ours_median:,.0f} commands/s")
        bars = []
        for client in ("lettuce", "lettuce-flush", "redis-benchmark"):
            theirs = by_client.get(client)
            if not theirs:
                continue
            median = statistics.median(theirs.values())
            per_rep = [ours[r] / theirs[r] for r in ours if r in theirs]
            ratio = ours_median / median
            print(f"    {client:16s} {median:12,.0f} commands/s   ratio {ratio:.2f}"
                  f" (one repetition: {min(per_rep):.2f}-{max(per_rep):.2f})")
            bars.append({"peer": client, "label": LABELS[client], "ratio": f"{ratio:.2f}",
                         "low": f"{min(per_rep):.2f}", "high": f"{max(per_rep):.2f}"})
        groups.append({"shape": f"{op.upper()}, 50 callers, depth {depth}",
                       "detail": f"eventloop {ours_median:,.0f} commands/s", "bars": bars})
    chart = {
        "title": "Redis client: commands per second against one redis-server",
        "date": machine.get("date", ""),
        "machine": machine.get("machine", ""),
        "better": "higher",
        "measure": "eventloop's commands/s / the peer's, medians of the repetitions",
        "spread": "the lowest and highest ratio within one repetition",
        "source": "benchmarks/run-redis-client.sh",
        "groups": groups,
    }
    (root / "chart.json").write_text(json.dumps(chart, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
