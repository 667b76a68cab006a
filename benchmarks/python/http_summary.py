"""Summary of benchmarks/run-http.sh: reads runs.tsv and the wrk outputs in DIR, prints the tables.

Per run: requests/s and latency percentiles from wrk; server CPU per request from the server
process's utime + stime around the run (the whole process: a JVM's GC and JIT threads too);
how busy CPU 0 (the servers) and CPU 1 (wrk) were over the run, whatever ran on them.
Per server: the medians over the rounds. Ratios: this library (eventloop) over each peer, from
the medians, and the median and range of the per-round ratios (two runs close in time).
Writes DIR/http.json with every run.

Usage: python3 http_summary.py DIR
"""

import json
import os
import re
import statistics
import sys

UNITS = {"us": 1.0, "ms": 1000.0, "s": 1000000.0}
OURS = "eventloop"
TARGET_RATE = 1.1  # req/s against Netty's, with a p99 no worse


def micros(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(path):
    text = open(path).read()
    run = {"latency": {}}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    run["rate"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([0-9.]+)(us|ms|s)", text)
    run["requests"] = int(m.group(1)) if m else 0
    run["seconds"] = micros(m.group(2) + m.group(3)) / 1e6 if m else 0.0
    for p, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", text, re.M):
        run["latency"][p] = micros(value)
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    run["socket_errors"] = sum(int(g) for g in m.groups()) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    run["non_2xx"] = int(m.group(1)) if m else 0
    return run


def load(directory):
    runs = []
    with open(os.path.join(directory, "runs.tsv")) as f:
        for line in f:
            fields = line.rstrip("\n").rstrip("\t").split("\t")
            if len(fields) < 16:
                continue
            name, rnd, path, tick = fields[0], int(fields[1]), fields[2], int(fields[3])
            u0, s0, u1, s1, b0a, t0a, b0b, t0b, b1a, t1a, b1b, t1b = (int(x) for x in fields[4:16])
            run = parse_wrk(path)
            run.update(server=name, round=rnd)
            requests = max(run["requests"], 1)
            run["cpu_us_per_request"] = ((u1 - u0) + (s1 - s0)) / tick * 1e6 / requests
            run["user_us_per_request"] = (u1 - u0) / tick * 1e6 / requests
            run["cpu0_busy"] = (b0b - b0a) / max(t0b - t0a, 1)
            run["cpu1_busy"] = (b1b - b1a) / max(t1b - t1a, 1)
            runs.append(run)
    return runs


def median(values):
    return statistics.median(values) if values else float("nan")


def main(directory):
    runs = load(directory)
    if not runs:
        print("no runs in %s" % directory)
        return
    with open(os.path.join(directory, "http.json"), "w") as f:
        json.dump(runs, f, indent=1)
    servers = list(dict.fromkeys(r["server"] for r in sorted(runs, key=lambda r: r["round"])))
    if OURS in servers:
        servers.remove(OURS)
        servers.insert(0, OURS)
    rounds = sorted({r["round"] for r in runs})
    by = {(r["server"], r["round"]): r for r in runs}

    print("== HTTP hello world: wrk -t1 -c%s, %d rounds" % (connections(directory), len(rounds)))
    print()
    print("%-9s %5s %11s %9s %9s %10s %10s %6s %6s %7s" % (
        "server", "round", "req/s", "p50 us", "p99 us", "CPU us/req", "(user)", "CPU0", "CPU1", "errors"))
    for name in servers:
        for rnd in rounds:
            r = by.get((name, rnd))
            if r is None:
                continue
            print("%-9s %5d %11.0f %9.0f %9.0f %10.2f %10.2f %5.0f%% %5.0f%% %7d" % (
                name, rnd, r["rate"], r["latency"].get("50", float("nan")), r["latency"].get("99", float("nan")),
                r["cpu_us_per_request"], r["user_us_per_request"], 100 * r["cpu0_busy"], 100 * r["cpu1_busy"],
                r["socket_errors"] + r["non_2xx"]))
    print()
    print("Medians over the rounds")
    print("%-9s %11s %9s %9s %10s %10s %6s %6s" % (
        "server", "req/s", "p50 us", "p99 us", "CPU us/req", "(user)", "CPU0", "CPU1"))
    med = {}
    for name in servers:
        mine = [r for r in runs if r["server"] == name]
        med[name] = {
            "rate": median([r["rate"] for r in mine]),
            "p50": median([r["latency"].get("50", float("nan")) for r in mine]),
            "p99": median([r["latency"].get("99", float("nan")) for r in mine]),
            "cpu": median([r["cpu_us_per_request"] for r in mine]),
            "user": median([r["user_us_per_request"] for r in mine]),
            "cpu0": median([r["cpu0_busy"] for r in mine]),
            "cpu1": median([r["cpu1_busy"] for r in mine]),
        }
        m = med[name]
        print("%-9s %11.0f %9.0f %9.0f %10.2f %10.2f %5.0f%% %5.0f%%" % (
            name, m["rate"], m["p50"], m["p99"], m["cpu"], m["user"], 100 * m["cpu0"], 100 * m["cpu1"]))
    errors = sum(r["socket_errors"] + r["non_2xx"] for r in runs)
    print()
    print("wrk socket errors and non-2xx responses, all runs: %d" % errors)
    if OURS not in med:
        return
    print()
    print("Ratios, %s over each peer: req/s ours/theirs (medians; per-round median [range]);"
          " p99 ours/theirs (below 1: ours lower); CPU per request theirs/ours (above 1: ours uses less)" % OURS)
    for name in servers[1:]:
        per_round = [by[(OURS, rnd)]["rate"] / by[(name, rnd)]["rate"] for rnd in rounds
                     if (OURS, rnd) in by and (name, rnd) in by and by[(name, rnd)]["rate"] > 0]
        rate = med[OURS]["rate"] / med[name]["rate"]
        p99 = med[OURS]["p99"] / med[name]["p99"]
        cpu = med[name]["cpu"] / med[OURS]["cpu"]
        print("  vs %-8s req/s %.2fx (per round %.2fx [%.2f-%.2f]), p99 %.2f, CPU/request %.2fx" % (
            name, rate, median(per_round), min(per_round), max(per_round), p99, cpu))
        if name == "netty":
            met = rate >= TARGET_RATE and p99 <= 1.0
            print("  target (>= %.1fx Netty's req/s, p99 no worse): %s" % (TARGET_RATE, "met" if met else "MISSED"))


def connections(directory):
    try:
        text = open(os.path.join(directory, "machine.txt")).read()
        return re.search(r"connections (\d+)", text).group(1)
    except (OSError, AttributeError):
        return "?"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/results/http")
