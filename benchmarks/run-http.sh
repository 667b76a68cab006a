#!/usr/bin/env bash
# The HTTP hello-world benchmark of docs/benchmarks.md ("HTTP hello world") in one go:
#   1. builds the examples and the benchmarks jar (mvn -q -pl examples,benchmarks -am package -DskipTests);
#   2. installs wrk (and Debian's python3-uvloop) with apt-get when missing and run as root;
#      without uvloop it runs the other three servers and says so;
#   3. starts the four servers, each pinned to CPU 0 (taskset -c 0) on a free loopback port:
#      this library's http-server example (io.eventloop.examples.http.HttpBinServer), Netty 4.2
#      NIO on one event-loop thread (io.eventloop.bench.http.NettyHttpServer), and the asyncio
#      and uvloop protocol servers of benchmarks/python/http_hello.py;
#   4. checks that every peer answers GET / with exactly the bytes of ours (curl -si) and keeps
#      the connection alive; stops if not;
#   5. drives each server with wrk pinned to CPU 1 (wrk -t1 -c50 -d10s --latency http://.../):
#      a warm-up run of each, then rounds in which every server is driven once, the first server
#      of a round rotating; reads each server's CPU time (/proc/PID/stat) and both CPUs' busy
#      time (/proc/stat) around every run;
#   6. prints the summary (benchmarks/python/http_summary.py): requests/s, p50/p99 latency and
#      server CPU per request for each server and round, their medians, and the ratios.
# About 5 minutes: the rounds stop early rather than run past HTTP_BUDGET seconds from the start.
# Results land in benchmarks/target/results/http/ (wrk-*.txt, runs.tsv, summary.txt, http.json,
# machine.txt, responses, the servers' logs). Settings (environment):
#   HTTP_ROUNDS=5 HTTP_DURATION=10 HTTP_WARMUP=10 HTTP_CONNECTIONS=50 HTTP_BUDGET=320
#   HTTP_SERVERS="eventloop netty asyncio uvloop" HTTP_OUT=benchmarks/target/results/http
#   HTTP_SERVER_JVM_ARGS="..."   more JVM options for both Java servers; {name} becomes the server's
#     name, e.g. HTTP_SERVER_JVM_ARGS="-XX:StartFlightRecording=filename=/tmp/{name}.jfr,settings=profile"
# A smoke run: HTTP_ROUNDS=1 HTTP_DURATION=2 HTTP_WARMUP=1 benchmarks/run-http.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${HTTP_OUT:-benchmarks/target/results/http}"
python=/usr/bin/python3
rounds="${HTTP_ROUNDS:-5}"
duration="${HTTP_DURATION:-10}"
warmup="${HTTP_WARMUP:-10}"
connections="${HTTP_CONNECTIONS:-50}"
budget="${HTTP_BUDGET:-320}"
read -r -a servers <<< "${HTTP_SERVERS:-eventloop netty asyncio uvloop}"
# The same JVM settings as the echo benchmark's Java servers.
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)
read -r -a extra_jvm <<< "${HTTP_SERVER_JVM_ARGS:-}"
tick="$(getconf CLK_TCK)"

# shellcheck source=benchmarks/servers.sh
source "$root/benchmarks/servers.sh"

mvn -q -pl examples,benchmarks -am package -DskipTests
mkdir -p "$out"
rm -f "$out"/server-*.log "$out"/wrk-*.txt "$out"/response-*.txt "$out"/runs.tsv

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  "$python" -c 'import uvloop' 2>/dev/null || missing+=(python3-uvloop)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]} (apt-get)"
    apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null || true
  fi
fi
for tool in wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "run-http.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
if ! "$python" -c 'import uvloop' 2>/dev/null; then
  echo "uvloop is not available for $python (apt-get install python3-uvloop); running without it"
  read -r -a servers <<< "$(printf '%s\n' "${servers[@]}" | grep -vx uvloop | tr '\n' ' ')"
fi
if [ ! -f examples/target/classes/io/eventloop/examples/http/HttpBinServer.class ]; then
  echo "this build has no http-server example (io.eventloop.examples.http.HttpBinServer); running the peers only"
  read -r -a servers <<< "$(printf '%s\n' "${servers[@]}" | grep -vx eventloop | tr '\n' ' ')"
fi

command_of() {
  case "$1" in
    eventloop) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
      io.eventloop.examples.Examples http-server --host 127.0.0.1 --port 0 ;;
    netty) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -Dio.netty.leakDetection.level=disabled \
      -cp benchmarks/target/benchmarks.jar io.eventloop.bench.http.NettyHttpServer 0 ;;
    asyncio|uvloop) echo "$python" benchmarks/python/http_hello.py "$1" 0 ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
}

# utime and stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after
# the command name, which may hold spaces).
process_cpu() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'
}

# Busy and total jiffies of one CPU from /proc/stat (busy: all but idle and iowait).
cpu_busy() {
  awk -v cpu="cpu$1" '$1 == cpu { total = 0; for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat
}

# One wrk run against one server; appends a line to runs.tsv unless it is a warm-up.
drive() {
  local name="$1" round="$2" seconds="$3" file before after c0a c0b c1a c1b
  file="$out/wrk-$name-$round.txt"
  before="$(process_cpu "${pid_of[$name]}")"
  c0a="$(cpu_busy 0)"; c1a="$(cpu_busy 1)"
  timeout $((seconds + 30)) taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency \
    "http://127.0.0.1:${port_of[$name]}/" > "$file"
  after="$(process_cpu "${pid_of[$name]}")"
  c0b="$(cpu_busy 0)"; c1b="$(cpu_busy 1)"
  if [ "$round" != warmup ]; then
    # server, round, wrk output, ticks per second, server utime stime before and after, CPU 0
    # busy and total before and after, the same for CPU 1
    # shellcheck disable=SC2086 # each pair is split into its two fields on purpose
    { printf '%s\t' "$name" "$round" "$file" "$tick" $before $after $c0a $c0b $c1a $c1b; echo; } >> "$out/runs.tsv"
  fi
  echo "  $name round $round: $(grep -h 'Requests/sec' "$file" | tr -s ' ')"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "vm: $(java -version 2>&1 | tail -1)"
  echo "python: $("$python" --version 2>&1)"
  echo "uvloop: $("$python" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo none)"
  echo "netty: $(sed -n 's|.*<netty.version>\(.*\)</netty.version>.*|\1|p' pom.xml) (netty-transport, netty-codec-http)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "servers: ${servers[*]}"
  echo "settings: rounds $rounds, duration ${duration}s, warm-up ${warmup}s, connections $connections, budget ${budget}s"
  echo "uptime before: $(uptime)"
} > "$out/machine.txt"

for name in "${servers[@]}"; do
  start "$name"
done

# The peers must answer with our bytes, and all must keep the connection open between requests.
# The one field that may differ is the value of Date (the clock's second), when it is a well-formed
# IMF-fixdate: it is replaced by a placeholder before comparing.
imf_fixdate='[A-Z][a-z][a-z], [0-3][0-9] [A-Z][a-z][a-z] [0-9]\{4\} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT'
reference="${servers[0]}"
for name in "${servers[@]}"; do
  url="http://127.0.0.1:${port_of[$name]}/"
  curl -si --max-time 5 "$url" | tee "$out/response-$name.raw.txt" \
    | sed "s/^Date: $imf_fixdate\r\$/Date: (IMF-fixdate)\r/" > "$out/response-$name.txt"
  connects="$(curl -s -o /dev/null -o /dev/null --max-time 5 -w '%{num_connects} ' "$url" "$url")"
  if [ "$connects" != "1 0 " ]; then
    echo "$name did not keep the connection alive (curl connects per request: $connects)" >&2
    exit 1
  fi
  if ! cmp -s "$out/response-$reference.txt" "$out/response-$name.txt"; then
    echo "$name answers other bytes than $reference:" >&2
    diff <(od -c "$out/response-$reference.txt") <(od -c "$out/response-$name.txt") >&2 || true
    exit 1
  fi
done
echo "responses: byte-identical but for the Date value ($(wc -c < "$out/response-$reference.raw.txt") bytes, curl -si), keep-alive: all"

echo "warm-up: ${warmup}s each"
for name in "${servers[@]}"; do
  drive "$name" warmup "$warmup"
done

n="${#servers[@]}"
done_rounds=0
for ((round = 1; round <= rounds; round++)); do
  # A whole round or none: every server gets the same number of runs.
  if [ $((SECONDS + n * (duration + 2))) -gt "$budget" ]; then
    echo "stopping after $done_rounds rounds: round $round would end past the ${budget}s budget"
    break
  fi
  echo "round $round"
  for ((i = 0; i < n; i++)); do
    drive "${servers[$(((round - 1 + i) % n))]}" "$round" "$duration"
  done
  done_rounds=$round
done

echo "uptime after: $(uptime)" >> "$out/machine.txt"
echo "rounds: $done_rounds of $rounds; run time ${SECONDS}s" >> "$out/machine.txt"
cleanup
"$python" benchmarks/python/http_summary.py "$out" | tee "$out/summary.txt"
cat "$out/machine.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py "$out" "$out/chart.svg"
