"""Summarises benchmarks/run-postgres.sh: medians, ratios and the chart data.

    python3 benchmarks/python/pg_summary.py RESULTS_DIR

Reads RESULTS_DIR/runs.tsv (rep, client, shape, per_second) and machine.txt; prints, for each
shape, every client's median over the rounds (queries/s for select, rows/s for the others) with its
lowest and highest round, then the ratios of the medians with the lowest and highest ratio of one
round's figures beside them: this library to each peer and its targets when it was measured (and,
with a connection per caller, to asyncpg with a connection per caller), and asyncpg to the other
peers. Writes RESULTS_DIR/chart.json for chart.py: this library against each
peer, or, when this library was not measured, asyncpg against the others.
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

OURS = "eventloop"
CLIENTS = ("eventloop", "eventloop-conn", "eventloop-pool", "eventloop-pool-noreset", "asyncpg", "asyncpg-conn", "pgjdbc", "vertx")
PEERS = ("asyncpg", "asyncpg-conn", "pgjdbc", "vertx")
SHAPES = {
    "select": ("SELECT $1::int", "queries/s"),
    "rows": ("1,000 rows x 5 columns", "rows/s"),
    "executemany": ("inserts, batch (executemany)", "rows/s"),
    "copy": ("inserts, COPY", "rows/s"),
}
LABELS = {
    "asyncpg": "vs asyncpg pool (uvloop)",
    "asyncpg-conn": "vs asyncpg, a connection per caller",
    "pgjdbc": "vs pgjdbc (threads)",
    "vertx": "vs vertx-pg-client",
}
# The targets for this library: at least this ratio to the peer on every shape.
TARGETS = {"asyncpg": 1.0, "asyncpg-conn": 1.0, "pgjdbc": 1.5}


def ratio_line(ours, theirs):
    median = statistics.median(ours.values()) / statistics.median(theirs.values())
    per_round = [ours[r] / theirs[r] for r in ours if r in theirs and theirs[r] > 0] or [median]
    return median, min(per_round), max(per_round)


def main(directory):
    root = Path(directory)
    runs = defaultdict(lambda: defaultdict(dict))  # shape -> client -> rep -> per second
    with open(root / "runs.tsv") as f:
        next(f)
        for line in f:
            rep, client, shape, value = line.split()
            runs[shape][client][rep] = float(value)
    machine = {}
    if (root / "machine.txt").exists():
        for line in (root / "machine.txt").read_text().splitlines():
            key, _, value = line.partition(": ")
            machine.setdefault(key, value)
    if "settings" in machine:
        print(f"settings: {machine['settings']}")
    measured = {c for shape in runs.values() for c in shape}
    base = OURS if OURS in measured else "eventloop-pool" if "eventloop-pool" in measured else "asyncpg"
    if base == "eventloop-pool":
        print("eventloop: not measured; the chart is eventloop-pool's ratios")
    elif OURS not in measured:
        print("eventloop: not measured (see skipped.txt); ratios are asyncpg's to the other peers")
    groups = []
    for shape in (s for s in SHAPES if s in runs):
        title, unit = SHAPES[shape]
        by_client = runs[shape]
        print(f"{title} ({unit}, median of {max(len(v) for v in by_client.values())} rounds):")
        for client in (c for c in CLIENTS if c in by_client):
            values = by_client[client].values()
            print(f"    {client:12s} {statistics.median(values):12,.0f}"
                  f"   (rounds {min(values):,.0f} - {max(values):,.0f})")
        pairs = []
        if OURS in by_client:
            pairs += [(OURS, peer) for peer in PEERS if peer in by_client]
        if "eventloop-conn" in by_client and "asyncpg-conn" in by_client:
            pairs.append(("eventloop-conn", "asyncpg-conn"))
        if "eventloop-pool" in by_client:
            # PgPool's shortcuts against asyncpg's pool.fetchval: the same shape on both sides
            pairs += [("eventloop-pool", peer) for peer in ("asyncpg", OURS) if peer in by_client]
        if "eventloop-pool-noreset" in by_client:
            pairs += [("eventloop-pool-noreset", peer) for peer in ("asyncpg", "eventloop-pool") if peer in by_client]
        for python in ("asyncpg", "asyncpg-conn"):
            if python in by_client:
                pairs += [(python, peer) for peer in ("pgjdbc", "vertx") if peer in by_client]
        if "asyncpg" in by_client and "asyncpg-conn" in by_client:
            pairs.append(("asyncpg", "asyncpg-conn"))
        bars = []
        for ours, peer in pairs:
            if statistics.median(by_client[peer].values()) <= 0:
                print(f"    {ours} / {peer}: no ratio, {peer}'s median is 0")
                continue
            median, low, high = ratio_line(by_client[ours], by_client[peer])
            target = ""
            if ours.startswith(OURS) and peer in TARGETS:
                met = "met" if median >= TARGETS[peer] else "not met"
                target = f"   target >= {TARGETS[peer]:.1f}: {met}"
            print(f"    {ours} / {peer}: {median:.2f} (one round: {low:.2f}-{high:.2f}){target}")
            like_for_like = {("eventloop-conn", "asyncpg-conn"): "a connection per caller, vs asyncpg likewise",
                             ("eventloop-pool", "asyncpg"): "PgPool, vs asyncpg's pool"}
            if ours == base or (base == OURS and (ours, peer) in like_for_like):
                label = LABELS[peer] if ours == base else like_for_like[(ours, peer)]
                bars.append({"peer": peer if ours == base else ours, "label": label, "ratio": f"{median:.2f}",
                             "low": f"{low:.2f}", "high": f"{high:.2f}"})
        if base not in by_client:
            print(f"    ({shape}: {base} has no figure, no ratio)")
            continue
        if not bars:
            continue  # no peer measured for this shape: nothing to draw
        groups.append({"shape": title,
                       "detail": f"{base} {statistics.median(by_client[base].values()):,.0f} {unit}",
                       "bars": bars})
    chart = {
        "title": f"PostgreSQL clients against one PostgreSQL 15 server: {base} / each peer",
        "date": machine.get("date", ""),
        "machine": machine.get("machine", ""),
        "better": "higher",
        "ours": base,
        "measure": f"{base}'s queries or rows per second / the peer's, medians of the rounds",
        "spread": "the lowest and highest ratio within one round",
        "source": "benchmarks/run-postgres.sh",
        "groups": groups,
    }
    (root / "chart.json").write_text(json.dumps(chart, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
