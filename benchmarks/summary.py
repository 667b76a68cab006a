"""Prints the summary of a run of benchmarks/run-all.sh: results, ratios against the peers,
and the targets. Usage: python3 benchmarks/summary.py benchmarks/target/results

Ratios are "this library relative to the peer": above 1 means this library is faster (for
times, peer / ours; for throughputs, ours / peer). Each ratio is given twice: from the means of
the measurement iterations, and from the best iteration of each side (the least disturbed one on
a shared, noisy machine).
"""

import json
import os
import sys

# (label, ours, peer); names are method names of the JMH benchmarks.
PAIRS = [
    ("callSoon chained", "CallSoonBenchmark.eventloopChained", "CallSoonBenchmark.nettyChained"),
    ("callSoon chained, idle channel registered", "CallSoonBenchmark.eventloopChainedIdleChannel",
     "CallSoonBenchmark.nettyChained"),
    ("callSoon fan-out", "CallSoonBenchmark.eventloopFanOut", "CallSoonBenchmark.nettyFanOut"),
    ("future + map vs promise + listener", "ContinuationBenchmark.eventloopMap",
     "ContinuationBenchmark.nettyPromiseListener"),
    ("future + onDone vs promise + listener", "ContinuationBenchmark.eventloopOnDone",
     "ContinuationBenchmark.nettyPromiseListener"),
    ("timers, 100k pending, 50% cancelled", "TimerBenchmark.eventloopTimers[cancelled=50000]",
     "TimerBenchmark.nettyTimers[cancelled=50000]"),
    ("timers, 100k pending, 90% cancelled", "TimerBenchmark.eventloopTimers[cancelled=90000]",
     "TimerBenchmark.nettyTimers[cancelled=90000]"),
    ("cross-thread throughput, 1 producer", "CrossThreadBenchmark.eventloopThroughput1Producer",
     "CrossThreadBenchmark.nettyThroughput1Producer"),
    ("cross-thread throughput, 3 producers", "CrossThreadBenchmark.eventloopThroughput3Producers",
     "CrossThreadBenchmark.nettyThroughput3Producers"),
    ("cross-thread round trip", "CrossThreadBenchmark.eventloopRoundTrip", "CrossThreadBenchmark.nettyRoundTrip"),
    ("submit + wait (API)", "CrossThreadBenchmark.eventloopSubmit", "CrossThreadBenchmark.nettySubmit"),
]

# (target, ratio labels that must each reach it)
RATIO_TARGETS = [
    (1.5, ["callSoon chained", "callSoon fan-out"]),
    (1.0, ["cross-thread throughput, 1 producer", "cross-thread throughput, 3 producers"]),
    (2.0, ["timers, 100k pending, 50% cancelled", "timers, 100k pending, 90% cancelled"]),
]

PENDING_TASK_TARGET = 200.0


def load(path):
    with open(path) as f:
        return json.load(f)


def short(result):
    parts = result["benchmark"].split(".")
    name = parts[-2] + "." + parts[-1]
    params = result.get("params")
    if params:
        name += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
    return name


def iterations(metric):
    return [v for fork in metric.get("rawData", []) for v in fork]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/results"
    results = {short(r): r for r in load(os.path.join(out, "jmh.json"))}

    machine = os.path.join(out, "machine.txt")
    if os.path.exists(machine):
        print(open(machine).read().rstrip())
        print()

    print("JMH results (1 fork; score = mean of the measurement iterations, error = 99.9% CI)")
    print(f"{'benchmark':<52} {'mode':<6} {'score':>10} {'error':>10} {'best':>10}  unit")
    for name, r in sorted(results.items()):
        m = r["primaryMetric"]
        its = iterations(m)
        best = (max(its) if r["mode"] == "thrpt" else min(its)) if its else float("nan")
        print(f"{name:<52} {r['mode']:<6} {m['score']:>10.3f} {float(m['scoreError']):>10.3f} {best:>10.3f}  {m['scoreUnit']}")
        for sname, s in sorted(r.get("secondaryMetrics", {}).items()):
            print(f"{'  :' + sname:<52} {'':<6} {float(s['score']):>10.1f} {'':>10} {'':>10}  {s['scoreUnit']}")
    print()

    ratios = {}
    print("This library relative to Netty 4.2 (above 1: this library is faster)")
    print(f"{'shape':<44} {'ratio (means)':>14} {'ratio (best)':>13}")
    for label, ours, peer in PAIRS:
        if ours not in results or peer not in results:
            continue
        a, b = results[ours], results[peer]
        ia, ib = iterations(a["primaryMetric"]), iterations(b["primaryMetric"])
        if a["mode"] == "thrpt":
            mean = a["primaryMetric"]["score"] / b["primaryMetric"]["score"]
            best = max(ia) / max(ib)
        else:
            mean = b["primaryMetric"]["score"] / a["primaryMetric"]["score"]
            best = min(ib) / min(ia)
        ratios[label] = (mean, best)
        print(f"{label:<44} {mean:>13.2f}x {best:>12.2f}x")
    print()

    print("Targets")
    for target, labels in RATIO_TARGETS:
        for label in labels:
            if label in ratios:
                mean, best = ratios[label]
                verdict = "met" if mean >= target else "MISSED"
                print(f"  {label:<44} >= {target:.1f}x: {mean:.2f}x (best {best:.2f}x) {verdict}")
    wake = results.get("WakeupBenchmark.eventloopWakeups")
    if wake:
        sec = wake.get("secondaryMetrics", {})
        wakeups, sleeps = sec["wakeups"]["score"], sec["sleeps"]["score"]
        per_sleep = wakeups / sleeps if sleeps else float("nan")
        verdict = "met" if per_sleep <= 1.0 else "MISSED"
        print(f"  {'wake-ups per sleep, 3 submitting threads':<44} <= 1: "
              f"{per_sleep:.3f} ({wakeups:.0f} wake-ups / {sleeps:.0f} sleeps per iteration) {verdict}")

    java_fp = os.path.join(out, "footprint-java.json")
    py_fp = os.path.join(out, "footprint-python.json")
    if os.path.exists(java_fp):
        j = load(java_fp)
        task = j["pending_task"]
        verdict = "met" if task <= PENDING_TASK_TARGET else "MISSED"
        print(f"  {'pending task (own future)':<44} <= {PENDING_TASK_TARGET:.0f} B: {task:.1f} B {verdict}")
        print()
        p = load(py_fp) if os.path.exists(py_fp) else {}
        print(f"Heap bytes per pending item ({j['items']} items, median of {j['rounds']} rounds)")
        print(f"{'item':<32} {'eventloop':>10} {'asyncio':>10}")
        for key, label in [("pending_task", "pending task (own future)"),
                           ("pending_task_shared_future", "pending task (shared future)"),
                           ("pending_timer", "pending timer")]:
            py = p.get(key)
            print(f"{label:<32} {j[key]:>10.1f} {py if py is not None else float('nan'):>10.1f}")
        if p:
            print(f"(Java {j['java']}; Python {p['python']}, tracemalloc)")


if __name__ == "__main__":
    main()
