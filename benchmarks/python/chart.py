"""Draws one benchmark run as an SVG chart: this library against each peer, shape by shape.

    python3 benchmarks/python/chart.py [--title TEXT] [--name SERVER=LABEL ...] SOURCE OUT.svg

SOURCE is a results directory written by one of the benchmarks/run-*.sh scripts (each of them
ends with this command and writes chart.svg beside its raw results), or a chart data file (JSON,
described at the end). Standard library only, the SVG written by hand, so that a run needs nothing
that CI or a user's machine may lack (matplotlib, a browser).

The chart: for each shape (a benchmark case) a group of horizontal bars, one per peer. A bar is
the ratio of this library to that peer, the ratio docs/benchmarks.md quotes (absolute figures
drift more from run to run on a shared machine, see its "Noise"), drawn from the line at 1x
(level) on a log scale, so that 2x and 0.5x are the same length either way and 80x fits beside
1.1x. The chart says whether higher or lower is better. The whisker across a bar is the spread of
the rounds or iterations behind it; the value column repeats the ratio and the spread in
figures. The title carries the run's date and machine line when the results have a machine.txt.
The same input gives the same file, byte for byte: no clock, no randomness, fixed rounding.

What is read from a results directory, by the files in it (a directory with none of them is read
through its subdirectories in name order: run-echo-streams.sh's c10/ and c50/, for instance):

  echo.json                   EchoBench (run-echo.sh, run-echo-streams.sh): per load, throughput
                              ours / theirs over all slices, for the pairs EchoBench's summary
                              reports; whisker: the per-round ratios (slices next to each other
                              in time)
  http.json                   run-http.sh (written by http_summary.py): requests/s ours / theirs,
                              from the medians of the rounds, and server CPU per request theirs /
                              ours; whisker: the per-round ratios
  jmh.json, chains-*.json,    run-all.sh and run-scheduler.sh: the pairs of benchmarks/summary.py,
  footprint-*.json            Netty's time per operation / ours (or our throughput / Netty's),
                              from the means of the iterations; whisker: from our slowest
                              iteration against Netty's fastest to the reverse. ChainsRun: Netty /
                              ours of the medians; whisker: the per-round ratios. Bytes per
                              pending item, asyncio's / ours
  jmh.json + python.jsonl     run-sync.sh: Python's ns per operation / ours, on asyncio and uvloop;
                              whisker: our slowest JMH iteration against Python's fastest timed
                              run, to the reverse
  before-N.json, after-N.json run-ab.sh: after / before in time per operation, from the medians of
                              the rounds (lower is better); whisker: every round against every
                              other
  rounds.tsv                  run-http-ab.sh: after / before in requests/s and before / after in
                              CPU per request, from the medians; whisker: the per-round ratios

--name SERVER=LABEL shows a server under another name (e.g. --name eventloop@/tmp/before.jar=before);
--title replaces the title.

A chart data file is the chart itself, for figures whose raw results were not kept (the charts of
docs/img/ drawn from a table of docs/benchmarks.md):

  {"title": "...", "date": "2026-11-22 02:04 UTC", "machine": "2 CPUs, ...",
   "better": "higher" or "lower", "measure": "what a bar is", "spread": "what a whisker is",
   "source": "where the figures come from",
   "groups": [{"shape": "1 KiB request/response", "detail": "eventloop 130,799 requests/s",
               "bars": [{"peer": "netty", "ratio": "1.07", "low": "1.02", "high": "1.09"}]}]}

Only title, better and groups are required, and a bar needs only peer and ratio. A ratio, low or
high written as a string is printed as written (to keep a table's precision); "label" replaces
the bar's label ("vs Netty"); "ours" names the side whose ratio the bars are (eventloop), and
"left" and "right" replace the captions over the two ends of the axis ("← peer ahead").
"""

import argparse
import glob
import json
import math
import os
import re
import statistics
import sys
import textwrap

# benchmarks/summary.py holds the JMH pairs: one list for the summary and the chart. Importing it
# must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import summary  # noqa: E402

OURS = "eventloop"
MIB = 1024 * 1024

# ------------------------------------------------------------------ reading results


def load_json(path):
    with open(path) as f:
        return json.load(f)


def read_machine(directory):
    """The date and a one-line machine description from machine.txt (as the run-*.sh scripts write it)."""
    path = os.path.join(directory, "machine.txt")
    if not os.path.exists(path):
        return {}
    fields = []
    with open(path) as f:
        for line in f:
            key, sep, value = line.partition(":")
            if sep:
                fields.append((key.strip(), value.strip()))
    get = dict(fields)
    parts = []
    if "nproc" in get:
        parts.append(f"{get['nproc']} CPUs" + (f" ({get['cpu']})" if get.get("cpu") else ""))
    m = re.match(r'(\w+) version "([^"]+)"', get.get("java", ""))
    if m:
        parts.append(("OpenJDK " if m.group(1) == "openjdk" else "Java ") + m.group(2))
    if get.get("netty"):
        parts.append("Netty " + get["netty"].split()[0])
    if get.get("python"):
        parts.append(get["python"])
    if get.get("uvloop") and get["uvloop"] != "none":
        parts.append("uvloop " + get["uvloop"])
    if get.get("wrk"):
        m = re.search(r"\d+\.\d+(\.\d+)?", get["wrk"])
        parts.append("wrk " + (m.group(0) if m else get["wrk"]))
    if get.get("jmh settings"):
        parts.append("JMH " + get["jmh settings"])
    before = [v for k, v in fields if k in ("load before", "uptime before")]
    after = [v for k, v in fields if k.startswith("load after") or k == "uptime after"]
    if before and after:
        parts.append(f"load average {first_load(before[0])} before, {first_load(after[-1])} after")
    return {"date": get.get("date", ""), "machine": ", ".join(parts)}


def first_load(text):
    m = re.search(r"load average: ([0-9.]+)", text)
    return m.group(1) if m else text.split()[0]


def display(name, names):
    if name in names:
        return names[name]
    if "@" in name:
        base, _, path = name.partition("@")
        return base + "@" + os.path.basename(path)
    return {"netty": "Netty"}.get(name, name)


def bar(ours, peer, ratio, spread, names, full=False):
    """One bar: ours over the peer. Its label names ours too when ours is not this library's
    default server (or, with full, always)."""
    label = ("vs " if ours == OURS and not full else display(ours, names) + " vs ") + display(peer, names)
    b = {"peer": peer, "label": label, "ratio": ratio}
    if spread and len(spread) > 1:  # one round has no spread to show
        b["low"], b["high"] = min(spread), max(spread)
    return b


def envelope(denominators, numerators):
    """The smallest and the largest ratio of any one figure of a side to any one of the other's."""
    return [min(numerators) / max(denominators), max(numerators) / min(denominators)]


def number(v):
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


LOADS = {"rr1k": "1 KiB request/response", "rr64k": "64 KiB request/response",
         "rr100k": "100 KiB request/response", "bulk": "bulk streaming",
         "handshake": "full TLS handshakes, a new connection each"}


def echo_pairs(servers):
    """EchoBench.pairs: eventloop over every protocol server, eventloop-streams over eventloop and
    every other streams server; failing both, the first eventloop server over the others."""
    def streams(s):
        return s.split("@")[0].endswith("-streams")
    pairs = []
    if OURS in servers:
        pairs += [(OURS, p) for p in servers if p != OURS and not streams(p)]
    if "eventloop-streams" in servers:
        pairs += [("eventloop-streams", p) for p in servers
                  if p == OURS or (streams(p) and p != "eventloop-streams")]
    if not pairs and servers:
        ours = next((s for s in servers if s.startswith(OURS)), servers[0])
        pairs = [(ours, p) for p in servers if p != ours]
    return pairs


def read_echo(directory, names, suffix):
    slices = load_json(os.path.join(directory, "echo.json"))["slices"]
    servers = list(dict.fromkeys(s["server"] for s in slices))
    loads = list(dict.fromkeys(s["load"] for s in slices))

    def rate(rs, bulk):
        seconds = sum(r["seconds"] for r in rs)
        return sum(r["bytes"] / MIB if bulk else r["requests"] for r in rs) / seconds

    pairs = echo_pairs(servers)
    first = pairs[0][0] if pairs else OURS
    full = len({ours for ours, _ in pairs}) > 1  # several of ours (protocol and streams): name both sides
    groups = []
    for load in loads:
        bulk = load == "bulk"
        of = {s: [r for r in slices if r["server"] == s and r["load"] == load] for s in servers}
        bars = []
        for ours, peer in pairs:
            if not of[ours] or not of[peer]:
                continue
            theirs = {(r["rep"], r["round"]): r for r in of[peer]}
            per_round = [rate([a], bulk) / rate([theirs[(a["rep"], a["round"])]], bulk)
                         for a in of[ours] if (a["rep"], a["round"]) in theirs]
            bars.append(bar(ours, peer, rate(of[ours], bulk) / rate(of[peer], bulk), per_round, names, full))
        if bars:
            unit = "MiB/s" if bulk else ("handshakes/s" if load == "handshake" else "requests/s")
            groups.append({"shape": LOADS.get(load, load) + suffix,
                           "detail": f"{display(first, names)} {number(rate(of[first], bulk))} {unit}",
                           "bars": bars})
    streams = any(s.split("@")[0].endswith("-streams") for s in servers)
    chart = {"title": "Echo over loopback: the streams server" if streams else "Echo server over loopback",
             "measure": "throughput over all slices, ours / theirs",
             "spread": "the per-round ratios (two slices next to each other in time), lowest to highest",
             "groups": groups}
    if full:
        chart.update(ours="the first-named server", left="← second ahead", right="first ahead →")
    return chart


def read_http(directory, names, suffix):
    runs = load_json(os.path.join(directory, "http.json"))
    servers = list(dict.fromkeys(r["server"] for r in sorted(runs, key=lambda r: r["round"])))
    ours = OURS if OURS in servers else servers[0]
    peers = [s for s in servers if s != ours]
    by = {(r["server"], r["round"]): r for r in runs}
    rounds = sorted({r["round"] for r in runs})

    def med(server, key):
        return statistics.median(r[key] for r in runs if r["server"] == server)

    def per_round(peer, key, ours_over_theirs):
        out = []
        for rnd in rounds:
            a, b = by.get((ours, rnd)), by.get((peer, rnd))
            if a and b and a[key] > 0 and b[key] > 0:
                out.append(a[key] / b[key] if ours_over_theirs else b[key] / a[key])
        return out

    rate_bars = [bar(ours, p, med(ours, "rate") / med(p, "rate"), per_round(p, "rate", True), names)
                 for p in peers]
    cpu_bars = [bar(ours, p, med(p, "cpu_us_per_request") / med(ours, "cpu_us_per_request"),
                    per_round(p, "cpu_us_per_request", False), names) for p in peers]
    return {"title": "HTTP hello world under wrk",
            "measure": "requests/s ours / theirs and server CPU per request theirs / ours, from the medians of the rounds",
            "spread": "the per-round ratios, lowest to highest",
            "groups": [
                {"shape": "hello world: requests per second" + suffix,
                 "detail": f"{display(ours, names)} {number(med(ours, 'rate'))} requests/s", "bars": rate_bars},
                {"shape": "hello world: server CPU per request" + suffix,
                 "detail": f"{display(ours, names)} {number(med(ours, 'cpu_us_per_request'))} µs", "bars": cpu_bars}]}


def iterations(result):
    return summary.iterations(result["primaryMetric"]) or [result["primaryMetric"]["score"]]


def read_jmh_pairs(directory, names):
    """run-all.sh and run-scheduler.sh: JMH pairs, ChainsRun, memory per pending item; each part
    adds its groups and says what its bars and whiskers are."""
    groups, measure, spread = [], [], []
    path = os.path.join(directory, "jmh.json")
    results = {summary.short(r): r for r in load_json(path)} if os.path.exists(path) else {}
    for label, ours, peer in summary.PAIRS:
        if ours not in results or peer not in results:
            continue
        a, b = results[ours], results[peer]
        if a["mode"] == "thrpt":
            ratio = a["primaryMetric"]["score"] / b["primaryMetric"]["score"]
            whisker = envelope(iterations(b), iterations(a))
        else:
            ratio = b["primaryMetric"]["score"] / a["primaryMetric"]["score"]
            whisker = envelope(iterations(a), iterations(b))
        groups.append({"shape": label,
                       "detail": f"eventloop {number(a['primaryMetric']['score'])} {a['primaryMetric']['scoreUnit']}",
                       "bars": [bar(OURS, "netty", ratio, whisker, names)]})
    if groups:
        measure.append("Netty's time per operation / ours (throughput: ours / Netty's), from the means of the "
                       "JMH iterations")
        spread.append("JMH: from our slowest iteration against Netty's fastest to the reverse")
    chains = sorted(glob.glob(os.path.join(directory, "chains-*.json")))
    for path in chains:
        c = load_json(path)
        gc = os.path.basename(path)[len("chains-"):-len(".json")]
        for cfg in c["configs"]:
            if "ratio" not in cfg:
                continue
            per_round = [n / o for o, n in zip(cfg["ours"], cfg["netty"])]
            idle = f"{cfg['idle']:,} idle pipes" if cfg["idle"] else "no channel"
            groups.append({"shape": f"{c['chains']} chains, {idle} (ChainsRun, {'G1' if gc == 'G1' else gc + 'GC'})",
                           "detail": f"eventloop {number(cfg['ours_median'])} ns per callback",
                           "bars": [bar(OURS, "netty", cfg["ratio"], per_round, names)]})
    if chains:
        measure.append("ChainsRun: Netty's / ours, from the medians of its rounds")
        spread.append("ChainsRun: the per-round ratios")
    java_fp, py_fp = (os.path.join(directory, f"footprint-{side}.json") for side in ("java", "python"))
    if os.path.exists(java_fp) and os.path.exists(py_fp):
        j, p = load_json(java_fp), load_json(py_fp)
        for key, label in [("pending_task", "memory per pending task (own future)"),
                           ("pending_task_shared_future", "memory per pending task (shared future)"),
                           ("pending_timer", "memory per pending timer")]:
            if key in j and key in p:
                groups.append({"shape": label, "detail": f"eventloop {number(j[key])} bytes",
                               "bars": [bar(OURS, "asyncio", p[key] / j[key], None, names)]})
        measure.append("memory: asyncio's bytes per pending item / ours (the same in every round, no whisker)")
    return {"title": "The loop's core operations against Netty 4.2",
            "measure": "; ".join(measure), "spread": "; ".join(spread), "groups": groups}


NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def read_sync(directory, names):
    jmh = load_json(os.path.join(directory, "jmh.json"))
    python = {}
    with open(os.path.join(directory, "python.jsonl")) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                python[(r["loop"], r["bench"])] = r
    groups = []
    for r in jmh:
        name = r["benchmark"].rsplit(".", 1)[1]
        scale = NS.get(r["primaryMetric"]["scoreUnit"], 1.0)
        ours = r["primaryMetric"]["score"] * scale
        its = [v * scale for v in iterations(r)]
        bars = []
        for loop in ("asyncio", "uvloop"):
            p = python.get((loop, name))
            if p:
                bars.append(bar(OURS, loop, p["ns_per_op"] / ours, envelope(its, p.get("runs") or [p["ns_per_op"]]), names))
        if bars:
            groups.append({"shape": name, "detail": f"eventloop {number(ours)} ns/op", "bars": bars})
    jdk = jmh[0].get("jdkVersion", "") if jmh else ""
    return {"title": "Synchronisation primitives and TaskGroup against asyncio and uvloop",
            "machine": f"OpenJDK {jdk}, JMH {jmh[0].get('jmhVersion', '')}" if jdk else "",
            "measure": "Python's time per operation / ours (JMH's mean; Python's median of its timed runs)",
            "spread": "from our slowest JMH iteration against Python's fastest run to the reverse",
            "groups": groups}


def read_ab(directory, names):
    rounds = {}
    for path in sorted(glob.glob(os.path.join(directory, "*-*.json"))):
        side = os.path.basename(path).split("-")[0]
        if side not in ("before", "after"):
            continue
        for r in load_json(path):
            rounds.setdefault(summary.short(r), {}).setdefault(side, []).append(r)
    groups = []
    for name, sides in sorted(rounds.items()):
        if "before" not in sides or "after" not in sides:
            continue
        thrpt = sides["after"][0]["mode"] == "thrpt"
        # time per operation either way: a throughput's inverse
        cost = {s: [(1 / r["primaryMetric"]["score"]) if thrpt else r["primaryMetric"]["score"] for r in rs]
                for s, rs in sides.items()}
        ratio = statistics.median(cost["after"]) / statistics.median(cost["before"])
        first = sides["after"][0]["primaryMetric"]
        groups.append({"shape": name, "detail": f"after {number(statistics.median(r['primaryMetric']['score'] for r in sides['after']))} {first['scoreUnit']}",
                       "bars": [{"peer": "before", "label": "after / before", "ratio": ratio,
                                 "low": min(cost["after"]) / max(cost["before"]),
                                 "high": max(cost["after"]) / min(cost["before"])}]})
    chart = {"title": "This build against an earlier one",
             "better": "lower", "ours": "after", "left": "← after faster", "right": "after slower →",
             "measure": "time per operation after / before, from the medians of the rounds (each round: the mean of its iterations)",
             "spread": "every round against every other: from after's fastest against before's slowest to the reverse",
             "groups": groups}
    machine = os.path.join(directory, "machine.txt")
    if os.path.exists(machine):
        m = re.search(r"^before: (\S+)", open(machine).read(), re.M)
        if m:
            chart["title"] = f"This build against {m.group(1)[:7]}"
    return chart


def read_http_ab(directory, names):
    sides = {}
    with open(os.path.join(directory, "rounds.tsv")) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3:
                sides[fields[0]] = ([float(x) for x in fields[1].split()], [float(x) for x in fields[2].split()])
    (rb, cb), (ra, ca) = sides["before"], sides["after"]
    chart = {"title": "HTTP hello world: this build against an earlier one", "ours": "after",
             "left": "← before ahead", "right": "after ahead →",
             "measure": "requests/s after / before and CPU per request before / after, from the medians of the rounds",
             "spread": "the per-round ratios, lowest to highest",
             "groups": [
                 {"shape": "requests per second", "detail": f"after {number(statistics.median(ra))} requests/s",
                  "bars": [{"peer": "before", "label": "after vs before", "ratio": statistics.median(ra) / statistics.median(rb),
                            "low": min(a / b for a, b in zip(ra, rb)), "high": max(a / b for a, b in zip(ra, rb))}]},
                 {"shape": "server CPU per request", "detail": f"after {statistics.median(ca):.3f} ticks per 1,000 requests",
                  "bars": [{"peer": "before", "label": "after vs before", "ratio": statistics.median(cb) / statistics.median(ca),
                            "low": min(b / a for a, b in zip(ca, cb)), "high": max(b / a for a, b in zip(ca, cb))}]}]}
    machine = os.path.join(directory, "machine.txt")
    if os.path.exists(machine):
        m = re.search(r"^before: (\S+)", open(machine).read(), re.M)
        if m:
            chart["title"] = f"HTTP hello world: this build against {m.group(1)[:7]}"
    return chart


def natural(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def read_results(directory, names, suffix=""):
    """The charts of one results directory, or of its subdirectories when it has no results of its own."""
    has = lambda f: os.path.exists(os.path.join(directory, f))  # noqa: E731
    if has("echo.json"):
        return [read_echo(directory, names, suffix)]
    if has("http.json"):
        return [read_http(directory, names, suffix)]
    if has("rounds.tsv"):
        return [read_http_ab(directory, names)]
    if has("jmh.json") and has("python.jsonl"):
        return [read_sync(directory, names)]
    if glob.glob(os.path.join(directory, "after-*.json")):
        return [read_ab(directory, names)]
    if has("jmh.json") or glob.glob(os.path.join(directory, "chains-*.json")) or has("footprint-java.json"):
        return [read_jmh_pairs(directory, names)]
    charts = []
    for sub in sorted(os.listdir(directory), key=natural):
        path = os.path.join(directory, sub)
        if os.path.isdir(path):
            m = re.fullmatch(r"c(\d+)", sub)
            charts += read_results(path, names, f", {int(m.group(1)):,} connections" if m else suffix)
    return charts


def chart_of(source, names, title):
    if os.path.isfile(source):
        chart = load_json(source)
    else:
        charts = [c for c in read_results(source, names) if c["groups"]]
        if not charts:
            sys.exit(f"chart.py: no results in {source} (echo.json, http.json, jmh.json, chains-*.json, "
                     "after-*.json or rounds.tsv, or subdirectories holding them)")
        chart = dict(charts[0])
        for other in charts[1:]:
            chart["groups"] = chart["groups"] + other["groups"]
            for key in ("title", "measure", "spread"):
                if other[key] not in chart[key]:
                    chart[key] = chart[key] + "; " + other[key]
        machine = read_machine(source)
        if not machine:
            subs = sorted((os.path.join(source, d) for d in os.listdir(source)), key=natural)
            machine = next((read_machine(d) for d in subs if os.path.isdir(d) and read_machine(d)), {})
        for key, value in machine.items():
            if value:
                chart[key] = value
        chart["source"] = "Drawn by benchmarks/python/chart.py from the raw results of this run."
    if title:
        chart["title"] = title
    if names:
        chart["names"] = names  # for the legend
    return chart


# ------------------------------------------------------------------ drawing

WIDTH = 800
MARGIN = 16
FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif"
# One colour per peer, the same in every chart (Tableau 10); peers not listed take the rest in turn.
COLOURS = {"netty": "#4e79a7", "uvloop": "#f28e2b", "asyncio": "#59a14f", "eventloop": "#76b7b2",
           "build": "#9c755f", "before": "#9c755f"}
SPARE = ["#e15759", "#b07aa1", "#edc948", "#ff9da7", "#bab0ac"]
NICE = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
FINE = [0.5, 0.75, 1, 1.25, 1.5, 2]
CHAR = 6.6  # average width of a 12 px sans-serif character, for layout only
INK, GREY, GRID = "#24292f", "#57606a", "#d0d7de"


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def px(v):
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def value(v):
    return float(v) if isinstance(v, str) else v


def ratio_text(v):
    if isinstance(v, str):
        return v
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def colour_key(peer):
    if "@" in peer:
        return "build"
    base = peer[:-len("-streams")] if peer.endswith("-streams") else peer
    return base


def axis(chart):
    values = [1.0]
    for g in chart["groups"]:
        for b in g["bars"]:
            values += [value(b[k]) for k in ("ratio", "low", "high") if k in b]
    lo = max([n for n in NICE if n <= min(values)] or [NICE[0]])
    hi = min([n for n in NICE if n >= max(values)] or [NICE[-1]])
    lo, hi = min(lo, 0.5), max(hi, 2)
    ticks = FINE if (lo, hi) == (0.5, 2) else [n for n in NICE if lo <= n <= hi]
    return lo, hi, ticks


def render(chart):
    better = chart.get("better", "higher")
    ours = chart.get("ours", OURS)
    groups = chart["groups"]
    bars = [b for g in groups for b in g["bars"]]
    lo, hi, ticks = axis(chart)
    keys = list(dict.fromkeys(colour_key(b["peer"]) for b in bars))
    spare = iter(SPARE)
    colour = {k: COLOURS.get(k) or next(spare, "#888888") for k in keys}
    # Every shape with a single bar: the shape labels its bar, one row each, and the heading rows go.
    compact = all(len(g["bars"]) == 1 for g in groups)

    def label_of(b):
        return b.get("label") or "vs " + display(b["peer"], {})

    def spread_text(b):
        return f"{ratio_text(b['low'])}–{ratio_text(b['high'])}" if "low" in b and "high" in b else ""

    labels = [g["shape"] for g in groups] if compact else [label_of(b) for b in bars]
    label_chars = min(max(len(s) for s in labels), int((360 - 14) / CHAR))  # longer labels wrap
    label_w = max(90, int(label_chars * CHAR) + 14)
    value_w = 52 + int(max([len(spread_text(b)) for b in bars] + [0]) * CHAR * 0.92)
    x0 = MARGIN + label_w
    x1 = WIDTH - MARGIN - value_w - 8

    def x(v):
        v = min(max(value(v), lo), hi)
        return x0 + (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * (x1 - x0)

    out = []

    def text(tx, ty, s, size=12, weight=None, fill=None, anchor=None, tail=""):
        attrs = f'x="{px(tx)}" y="{px(ty)}" font-size="{size:g}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        if fill:
            attrs += f' fill="{fill}"'
        if anchor:
            attrs += f' text-anchor="{anchor}"'
        out.append(f"<text {attrs}>{esc(s)}{tail}</text>")

    def tspan(s, dx=8, size=None):
        return (f'<tspan dx="{dx}" font-weight="normal"' + (f' font-size="{size:g}"' if size else "")
                + f' fill="{GREY}">{esc(s)}</tspan>')

    # title, date and machine, what a bar is
    y = 4
    for line in textwrap.wrap(chart["title"], 84):
        y += 22
        text(MARGIN, y, line, size=16, weight="bold")
    head = " · ".join(s for s in (chart.get("date", ""), chart.get("machine", "")) if s)
    for line in textwrap.wrap(head, 122):
        y += 16
        text(MARGIN, y, line, size=11, fill=GREY)
    direction = (f"Higher is better: right of the 1× line, {ours} is ahead." if better == "higher"
                 else f"Lower is better: left of the 1× line, {ours} is ahead.")
    measure = chart.get("measure")
    sentence = (f"Bars: {measure}; log scale, from the line at 1× (level). " if measure
                else "Bars: ratios on a log scale, from the line at 1× (level). ") + direction
    y += 6
    for line in textwrap.wrap(sentence, 112):
        y += 16
        text(MARGIN, y, line)

    # legend: a swatch per peer, then what the whisker is
    y += 24
    lx = MARGIN
    for k in keys:
        peer = next(b["peer"] for b in bars if colour_key(b["peer"]) == k)
        name = "other build" if k == "build" else display(peer if k == "before" else k, {})
        name = chart.get("names", {}).get(peer, name) if k != "build" else name
        out.append(f'<rect x="{px(lx)}" y="{px(y - 10)}" width="12" height="12" fill="{colour[k]}"/>')
        text(lx + 17, y, name)
        lx += 17 + len(name) * CHAR + 20
    has_spread = any(spread_text(b) for b in bars)
    if has_spread:
        note = "whisker: " + (chart.get("spread") or "the spread of the rounds")
    else:
        note = "no whisker: " + (chart.get("spread") or "the spread of the rounds behind these figures is not known")
    # the note goes beside the swatches, or under them when less than half the width is left
    if WIDTH - MARGIN - lx - 27 < (WIDTH - 2 * MARGIN) / 2:
        lx, y = MARGIN, y + 20
    if has_spread:
        out.append(f'<path d="M{px(lx)} {px(y - 4)}h20M{px(lx)} {px(y - 8)}v8M{px(lx + 20)} {px(y - 8)}v8" '
                   f'stroke="{INK}" stroke-width="1.2" fill="none"/>')
        lx += 27
    lines = textwrap.wrap(note, int((WIDTH - MARGIN - lx) / (CHAR * 0.92)))
    for i, line in enumerate(lines):
        text(lx, y + 16 * i, line, size=11, fill=GREY)
    y += 16 * (len(lines) - 1)

    # the axis: which side is ahead, the ticks
    y += 30
    left, right = chart.get("left"), chart.get("right")
    if not left:
        left, right = (("← peer ahead", f"{ours} ahead →") if better == "higher"
                       else (f"← {ours} ahead", "peer ahead →"))
    text(x0, y, left, size=11, fill=GREY)
    text(x1, y, right, size=11, fill=GREY, anchor="end")
    y += 17
    for t in ticks:
        text(x(t), y, f"{t:g}×", size=11, fill=INK if t == 1 else GREY, anchor="middle",
             weight="bold" if t == 1 else None)
    y += 6

    # the groups; the grid is drawn behind each group's bars
    rows, spans = [], []
    for g in groups:
        if compact:
            y += 4
        else:
            y += 20
            text(MARGIN, y, g["shape"], weight="bold", tail=tspan(g["detail"]) if g.get("detail") else "")
            y += 4
        start = y
        for b in g["bars"]:
            tip = f"{g['shape']}: {label_of(b)} {ratio_text(b['ratio'])}×" + (
                f", spread {spread_text(b)}" if spread_text(b) else "") + (
                f" ({g['detail']})" if compact and g.get("detail") else "")
            if compact:
                names = textwrap.wrap(g["shape"], label_chars)
            else:
                names = [label_of(b)]
            height = 22 + 15 * (len(names) - 1)
            mid = y + height / 2
            for i, line in enumerate(names):
                text(x0 - 10, mid + 4 - 7.5 * (len(names) - 1) + 15 * i, line, anchor="end")
            xa, xb = sorted((x(1), x(b["ratio"])))
            rows.append(f'<rect class="bar" x="{px(xa)}" y="{px(mid - 7)}" width="{px(max(xb - xa, 1.0))}" '
                        f'height="14" fill="{colour[colour_key(b["peer"])]}"><title>{esc(tip)}</title></rect>')
            if spread_text(b):
                wa, wb = x(b["low"]), x(b["high"])
                rows.append(f'<path class="whisker" d="M{px(wa)} {px(mid)}H{px(wb)}M{px(wa)} {px(mid - 4)}v8'
                            f'M{px(wb)} {px(mid - 4)}v8" stroke="{INK}" stroke-width="1.2" fill="none"/>')
            text(x1 + 14, mid + 4, ratio_text(b["ratio"]) + "×", weight="bold",
                 tail=tspan(spread_text(b), dx=6, size=11) if spread_text(b) else "")
            y += height
        spans.append((start, y))
        y += 0 if compact else 6
    if compact:
        spans = [(spans[0][0], spans[-1][1])]
    grid = []
    for top, bottom in spans:
        for t in ticks:
            grid.append(f'<line x1="{px(x(t))}" y1="{px(top)}" x2="{px(x(t))}" y2="{px(bottom)}" '
                        + (f'stroke="{INK}" stroke-width="1.5"/>' if t == 1 else f'stroke="{GRID}" stroke-width="1"/>'))

    # ticks again below, then where the figures come from
    y += 18
    for t in ticks:
        text(x(t), y, f"{t:g}×", size=11, fill=GREY, anchor="middle")
    if chart.get("source"):
        y += 6
        for line in textwrap.wrap(chart["source"], 128):
            y += 15
            text(MARGIN, y, line, size=10.5, fill=GREY)
    height = int(y + 14)

    title = chart["title"] + (f" ({chart['date']})" if chart.get("date") else "")
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" fill="{INK}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ] + grid + rows + out + ["</svg>", ""])


def main(argv):
    parser = argparse.ArgumentParser(description="Draws one benchmark run as an SVG chart.")
    parser.add_argument("source", help="a results directory of a benchmarks/run-*.sh script, or a chart data file (.json)")
    parser.add_argument("out", help="the SVG file to write")
    parser.add_argument("--title", help="replaces the chart's title")
    parser.add_argument("--name", action="append", default=[], metavar="SERVER=LABEL",
                        help="shows a server under another name")
    args = parser.parse_args(argv)
    names = dict(n.split("=", 1) for n in args.name)
    chart = chart_of(args.source, names, args.title)
    svg = render(chart)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(svg)
    print(f"chart: {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
