"""Prints the summary of a run of benchmarks/run-all.sh or benchmarks/run-scheduler.sh: results,
ratios against the peers, the targets, and the ChainsRun tables if the run wrote any
(chains*.json). Usage: python3 benchmarks/summary.py benchmarks/target/results

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
    ("callSoon chained, 1000 idle channels on both", "CallSoonBenchmark.eventloopChainedIdle1000",
     "CallSoonBenchmark.nettyChainedIdle1000"),
    ("callSoon fan-out", "CallSoonBenchmark.eventloopFanOut", "CallSoonBenchmark.nettyFanOut"),
    ("callSoon fan-out, 1000 idle channels on both", "CallSoonBenchmark.eventloopFanOutIdle1000",
     "CallSoonBenchmark.nettyFanOutIdle1000"),
    ("future + map vs promise + listener", "ContinuationBenchmark.eventloopMap",
     "ContinuationBenchmark.nettyPromiseListener"),
    ("future + onDone vs promise + listener", "ContinuationBenchmark.eventloopOnDone",
     "ContinuationBenchmark.nettyPromiseListener"),
    ("timers, 100k pending, 50% cancelled", "TimerBenchmark.eventloopTimers[background=0,cancelled=50000]",
     "TimerBenchmark.nettyTimers[background=0,cancelled=50000]"),
    ("timers, 100k pending, 90% cancelled", "TimerBenchmark.eventloopTimers[background=0,cancelled=90000]",
     "TimerBenchmark.nettyTimers[background=0,cancelled=90000]"),
    ("timers, 100k + 100k long pending, 50% cancelled",
     "TimerBenchmark.eventloopTimers[background=100000,cancelled=50000]",
     "TimerBenchmark.nettyTimers[background=100000,cancelled=50000]"),
    ("timers, 100k + 100k long pending, 90% cancelled",
     "TimerBenchmark.eventloopTimers[background=100000,cancelled=90000]",
     "TimerBenchmark.nettyTimers[background=100000,cancelled=90000]"),
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
    print(f"{'benchmark':<66} {'mode':<6} {'score':>10} {'error':>10} {'best':>10}  unit")
    for name, r in sorted(results.items()):
        m = r["primaryMetric"]
        its = iterations(m)
        best = (max(its) if r["mode"] == "thrpt" else min(its)) if its else float("nan")
        print(f"{name:<66} {r['mode']:<6} {m['score']:>10.3f} {float(m['scoreError']):>10.3f} {best:>10.3f}  {m['scoreUnit']}")
        for sname, s in sorted(r.get("secondaryMetrics", {}).items()):
            print(f"{'  :' + sname:<66} {'':<6} {float(s['score']):>10.1f} {'':>10} {'':>10}  {s['scoreUnit']}")
    print()

    ratios = {}
    print("This library relative to Netty 4.2 (above 1: this library is faster)")
    print(f"{'shape':<50} {'ours':>10} {'peer':>10} {'ratio (means)':>14} {'ratio (best)':>13}")
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
        print(f"{label:<50} {a['primaryMetric']['score']:>10.2f} {b['primaryMetric']['score']:>10.2f} "
              f"{mean:>13.2f}x {best:>12.2f}x")
    print()

    print("Targets")
    for target, labels in RATIO_TARGETS:
        for label in labels:
            if label in ratios:
                mean, best = ratios[label]
                verdict = "met" if mean >= target else "MISSED"
                print(f"  {label:<50} >= {target:.1f}x: {mean:.2f}x (best {best:.2f}x) {verdict}")
    wake = results.get("WakeupBenchmark.eventloopWakeups")
    if wake:
        sec = wake.get("secondaryMetrics", {})
        wakeups, sleeps = sec["wakeups"]["score"], sec["sleeps"]["score"]
        per_sleep = wakeups / sleeps if sleeps else float("nan")
        verdict = "met" if per_sleep <= 1.0 else "MISSED"
        print(f"  {'wake-ups per sleep, 3 submitting threads':<50} <= 1: "
              f"{per_sleep:.3f} ({wakeups:.0f} wake-ups / {sleeps:.0f} sleeps per iteration) {verdict}")

    print_chains(out)

    java_fp = os.path.join(out, "footprint-java.json")
    py_fp = os.path.join(out, "footprint-python.json")
    if os.path.exists(java_fp):
        j = load(java_fp)
        task = j["pending_task"]
        verdict = "met" if task <= PENDING_TASK_TARGET else "MISSED"
        print(f"  {'pending task (own future)':<50} <= {PENDING_TASK_TARGET:.0f} B: {task:.1f} B {verdict}")
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


def print_chains(out):
    """The ChainsRun results (chains*.json): medians of the interleaved rounds and their ratio."""
    files = sorted(f for f in os.listdir(out) if f.startswith("chains") and f.endswith(".json"))
    for name in files:
        c = load(os.path.join(out, name))
        print()
        print(f"ChainsRun ({name}): {c['chains']} chains, {c['callbacks_per_round']:,} callbacks per round, "
              f"GC {c['gc']}{', full GC after warm-up' if c.get('full_gc') else ''}; ns per callback, median of the rounds (min); ratio = Netty / ours")
        print(f"{'idle channels':>13} {'ours':>16} {'netty':>16} {'ratio':>8} {'per-round':>10} {'GCs ours/netty':>15}")
        for cfg in c["configs"]:
            if "ratio" not in cfg:
                continue
            print(f"{cfg['idle']:>13} {cfg['ours_median']:>7.2f} ({min(cfg['ours']):>6.2f}) "
                  f"{cfg['netty_median']:>7.2f} ({min(cfg['netty']):>6.2f}) {cfg['ratio']:>7.2f}x "
                  f"{cfg['ratio_per_round_median']:>9.2f}x {cfg['ours_gcs']:>7}/{cfg['netty_gcs']}")


if __name__ == "__main__":
    main()
