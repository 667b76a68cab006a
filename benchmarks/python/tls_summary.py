"""Summary of benchmarks/run-tls.sh: this library's TLS against Netty's SslHandler, per shape, with
the targets. Reads DIR/echo/echo.json (EchoBench --tls on) and DIR/https/http.json
(http_summary.py), whichever exist.

Echo shapes (rr1k, rr64k: requests/s; handshake: full handshakes/s): the rate over all slices of
all repetitions; the ratio ours/theirs of those totals; the spread: the median and range of the
per-round ratios (the two slices of one round run next to each other in time, so they share
whatever else the machine was doing). CPU per unit: server CPU (utime + stime of the whole
process) over everything completed in the slices, theirs/ours (above 1: ours uses less). The load
generator's CPU share says whether it could have been the limit.

HTTPS (wrk): the median requests/s over the rounds, the ratio of the medians, and the median and
range of the per-round ratios.

Idle: heap per connection after GC with 10,000 TLS connections open, per repetition.

Usage: python3 tls_summary.py DIR
"""

import json
import os
import re
import statistics
import sys

OURS = "eventloop"
PEER = "netty"
# (shape, label, target ratio ours/theirs for throughput)
ECHO_TARGETS = [
    ("rr1k", "TLS 1.3 echo, 1 KiB, 10 connections (req/s)", 1.0),
    ("rr64k", "TLS 1.3 echo, 64 KiB, 10 connections (req/s)", 1.0),
    ("handshake", "full TLS 1.3 handshakes/s (new connection each)", 1.0),
]
HTTPS_TARGET = 1.1


def fmt_ratio(values):
    if not values:
        return "-"
    return "%.2fx [%.2f-%.2f]" % (statistics.median(values), min(values), max(values))


def echo(directory, verdicts):
    path = os.path.join(directory, "echo", "echo.json")
    if not os.path.exists(path):
        return
    data = json.load(open(path))
    slices = data["slices"]
    print("== Echo, handshakes, idle connections (EchoBench --tls on; eventloop / netty)")
    print("%-10s %11s %11s %7s %22s %9s %14s %14s %9s %9s %19s" % (
        "shape", "eventloop", "netty", "ratio", "per round: med [range]", "per rep",
        "CPU/unit ours", "CPU/unit Netty", "CPU ratio", "cli CPU", "r/w calls ours|Netty"))
    for load, label, target in ECHO_TARGETS:
        mine = [s for s in slices if s["server"] == OURS and s["load"] == load]
        theirs = [s for s in slices if s["server"] == PEER and s["load"] == load]
        if not mine or not theirs:
            continue

        def rate(ss):
            return sum(s["requests"] for s in ss) / sum(s["seconds"] for s in ss)

        def cpu(ss):
            return sum(s["server_cpu_s"] for s in ss) * 1e6 / max(1, sum(s["all_requests"] for s in ss))

        def client(ss):
            return sum(s["client_cpu_s"] for s in ss) / sum(s["window_s"] for s in ss)

        def calls(ss):
            units = max(1, sum(s["all_requests"] for s in ss))
            return "%.2f/%.2f" % (sum(s.get("server_read_calls", 0) for s in ss) / units,
                                  sum(s.get("server_write_calls", 0) for s in ss) / units)

        by_round = {(s["rep"], s["round"]): s for s in theirs}
        per_round = [s["requests"] / s["seconds"] / (by_round[(s["rep"], s["round"])]["requests"]
                                                     / by_round[(s["rep"], s["round"])]["seconds"])
                     for s in mine if (s["rep"], s["round"]) in by_round and by_round[(s["rep"], s["round"])]["requests"]]
        reps = sorted({s["rep"] for s in mine})
        per_rep = ["%.2f" % (rate([s for s in mine if s["rep"] == r]) / rate([s for s in theirs if s["rep"] == r]))
                   for r in reps]
        ratio = rate(mine) / rate(theirs)
        print("%-10s %11.0f %11.0f %6.2fx %22s %9s %14.1f %14.1f %8.2fx %4.0f%%/%2.0f%% %19s" % (
            load, rate(mine), rate(theirs), ratio, fmt_ratio(per_round), "/".join(per_rep),
            cpu(mine), cpu(theirs), cpu(theirs) / cpu(mine), 100 * client(mine), 100 * client(theirs),
            calls(mine) + "|" + calls(theirs)))
        verdicts.append((label, ">= %.1fx Netty" % target,
                         "%.2fx (per round %s)" % (ratio, fmt_ratio(per_round)), ratio >= target))
    print("  (CPU/unit: server CPU us per request or handshake; cli CPU: the load generator's share of its core, ours/Netty's;"
          " r/w calls: the server's read and write system calls per unit)")
    idles = data.get("idle", [])
    if idles:
        print()
        print("idle TLS connections (%d open): heap bytes per connection after GC, per repetition" % idles[0]["connections"])
        heap = {}
        for server in (OURS, PEER):
            heap[server] = [(i["heap_after"] - i["heap_before"]) / i["connections"] for i in idles if i["server"] == server]
            rss = [(i["rss_after"] - i["rss_before"]) / i["connections"] for i in idles if i["server"] == server]
            print("  %-10s heap %s   RSS outside the heap %s" % (
                server, " ".join("%.0f" % h for h in heap[server]), " ".join("%.0f" % r for r in rss)))
        if heap[OURS] and heap[PEER]:
            worst_ours = max(heap[OURS])
            best_theirs = min(heap[PEER])
            ratios = [a / b for a, b in zip(heap[OURS], heap[PEER])]
            print("  ours / Netty's: %s" % " ".join("%.2f" % r for r in ratios))
            verdicts.append(("heap per idle TLS connection (%d open)" % idles[0]["connections"], "<= Netty's",
                             "%s vs %s B (%s)" % ("/".join("%.0f" % h for h in heap[OURS]),
                                                   "/".join("%.0f" % h for h in heap[PEER]),
                                                   " ".join("%.2fx" % r for r in ratios)),
                             worst_ours <= best_theirs))
    print()


def https(directory, verdicts):
    path = os.path.join(directory, "https", "http.json")
    if not os.path.exists(path):
        return
    runs = json.load(open(path))
    servers = list(dict.fromkeys(r["server"] for r in runs))
    rounds = sorted({r["round"] for r in runs})
    by = {(r["server"], r["round"]): r for r in runs}
    print("== HTTPS hello world under wrk (%d rounds)" % len(rounds))
    print("%-16s %11s %9s %9s %11s %8s %6s %6s" % ("server", "req/s med", "p50 us", "p99 us", "CPU us/req", "(user)",
                                                 "CPU0", "CPU1"))
    med = {}
    for name in servers:
        mine = [r for r in runs if r["server"] == name]
        med[name] = statistics.median([r["rate"] for r in mine])
        print("%-16s %11.0f %9.0f %9.0f %11.2f %8.2f %5.0f%% %5.0f%%" % (
            name, med[name], statistics.median([r["latency"].get("50", float("nan")) for r in mine]),
            statistics.median([r["latency"].get("99", float("nan")) for r in mine]),
            statistics.median([r["cpu_us_per_request"] for r in mine]),
            statistics.median([r["user_us_per_request"] for r in mine]),
            100 * statistics.median([r["cpu0_busy"] for r in mine]),
            100 * statistics.median([r["cpu1_busy"] for r in mine])))
    for a, b in [(OURS, PEER), ("eventloop-plain", "netty-plain"), ("eventloop-plain", "example"),
                 (OURS, "eventloop-plain"), (PEER, "netty-plain")]:
        if a in med and b in med:
            per_round = [by[(a, r)]["rate"] / by[(b, r)]["rate"] for r in rounds
                         if (a, r) in by and (b, r) in by and by[(b, r)]["rate"] > 0]
            print("  %s / %s: req/s %.2fx (per round %s)" % (a, b, med[a] / med[b], fmt_ratio(per_round)))
            if (a, b) == (OURS, PEER):
                ratio = med[a] / med[b]
                verdicts.append(("HTTPS hello world, wrk -c%s (req/s)" % connections(directory), ">= %.1fx Netty" % HTTPS_TARGET,
                                 "%.2fx (per round %s)" % (ratio, fmt_ratio(per_round)), ratio >= HTTPS_TARGET))
    calls, sched = extras(directory, runs)
    if calls:
        print("  the server's read/write system calls per request (median over the rounds): %s" % ", ".join(
            "%s %.2f/%.2f" % (name, statistics.median(r for r, w in calls[name]), statistics.median(w for r, w in calls[name]))
            for name in servers if name in calls))
    if sched:
        print("  share of each run (median over the rounds) that the server's event-loop thread and wrk spent running,"
              " and ready but waiting for a CPU (/proc/PID/task/TID/schedstat):")
        for name in servers:
            if name in sched:
                cols = list(zip(*sched[name]))
                print("    %-16s server running %3.0f%%, waiting %3.0f%%;  wrk running %3.0f%%, waiting %3.0f%%" % (
                    name, *(100 * statistics.median(c) for c in cols)))
    errors = sum(r["socket_errors"] + r["non_2xx"] for r in runs)
    print("  wrk socket errors and non-2xx responses, all runs: %d" % errors)
    print()


def extras(directory, runs):
    """From the fields of runs.tsv after run-http.sh's: {server: [(reads, writes) per request]} and
    {server: [(server running, server waiting, wrk running, wrk waiting) as shares of the run]},
    one entry per round."""
    by = {(r["server"], r["round"]): r for r in runs}
    calls, sched = {}, {}
    try:
        lines = open(os.path.join(directory, "https", "runs.tsv")).read().splitlines()
    except OSError:
        return calls, sched
    for line in lines:
        fields = line.rstrip("\t").split("\t")
        run = by.get((fields[0], int(fields[1]))) if len(fields) > 1 else None
        if run is None:
            continue
        n = max(1, run["requests"])
        if len(fields) >= 20:
            r0, w0, r1, w1 = (int(x) for x in fields[16:20])
            calls.setdefault(fields[0], []).append(((r1 - r0) / n, (w1 - w0) / n))
        if len(fields) >= 26 and run["seconds"] > 0:
            run0, wait0, run1, wait1, wrk_run, wrk_wait = (int(x) for x in fields[20:26])
            ns = run["seconds"] * 1e9
            sched.setdefault(fields[0], []).append(
                ((run1 - run0) / ns, (wait1 - wait0) / ns, wrk_run / ns, wrk_wait / ns))
    return calls, sched


def connections(directory):
    try:
        text = open(os.path.join(directory, "machine.txt")).read()
        return re.search(r"connections (\d+)", text).group(1)
    except (OSError, AttributeError):
        return "?"


def main(directory):
    verdicts = []
    echo(directory, verdicts)
    https(directory, verdicts)
    if verdicts:
        print("== Targets")
        for label, target, measured, met in verdicts:
            print("  %-52s %-14s %-40s %s" % (label, target, measured, "met" if met else "MISSED"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/results/tls")
