#!/usr/bin/env bash
# The TLS benchmarks of docs/benchmarks.md ("TLS") in one go: this library's TLS (TlsTransport on
# the JDK's SSLEngine) against Netty 4.2's SslHandler on the JDK's SSLEngine (SslProvider.JDK),
# same certificate (one EC P-256 SelfSignedCertificate written to PEM, loaded by both), same
# cipher suites, same run:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. raises the open-files limit for the 10,000 idle connections;
#   3. runs io.eventloop.bench.echo.EchoBench --tls on, pinned to CPU 1; it starts both echo
#      servers pinned to CPU 0 and measures, interleaved (each server warmed up 3 s, then 10 rounds
#      in which each is driven for 1 s in turn): TLS 1.3 echo with 1 KiB and 64 KiB messages over 10
#      connections, full handshakes a second (a new connection each, no session resumption, 10 at
#      a time), then heap per idle TLS connection with 10,000 open on a fresh process of each; all
#      of it twice. The load generator speaks TLS through BoringSSL (netty-tcnative), so that its
#      cryptography costs a fraction of the servers' (see ClientTls);
#   4. HTTPS hello world under wrk: starts io.eventloop.bench.http.EventloopHelloServer --tls (this
#      library; the http-server example has no TLS option) and NettyHttpServer --tls (HttpServerCodec
#      over SslHandler), pinned to CPU 0; checks that both answer GET / with the same bytes over TLS
#      1.3 and keep the connection alive; then wrk -t1 -c50 -d10s https://... pinned to CPU 1: a
#      warm-up run of each, then rounds in which every server is driven once, the first server of a
#      round rotating (the rounds stop early rather than run past TLS_HTTP_BUDGET seconds); around
#      every run it reads the server's CPU time and system calls, how long its event-loop thread
#      and wrk ran and waited for a CPU, and both CPUs' busy time;
#   5. prints the summary: every figure with its ratio, and the targets (benchmarks/python/tls_summary.py).
# 7.5 to 9 minutes. Results land in benchmarks/target/results/tls/: echo/ (EchoBench's run.txt,
# summary.txt, echo.json, the servers' logs, the certificate), https/ (wrk-*.txt, runs.tsv,
# summary.txt, http.json, negotiated.txt), machine.txt and summary.txt. Settings (environment):
#   TLS_ECHO_SETTINGS="..."   more EchoBench options, e.g. --reps 1 --idle 1000 --client-tls jdk
#   TLS_HTTP_ROUNDS=5 TLS_HTTP_DURATION=10 TLS_HTTP_WARMUP=10 TLS_HTTP_CONNECTIONS=50 TLS_HTTP_BUDGET=200
#   TLS_HTTP_SERVERS="eventloop netty"   add eventloop-plain, netty-plain (the same servers without
#     TLS) or example (the http-server example, plain HTTP) to compare against plain HTTP
#   TLS_PARTS="echo https"   leave a part out
#   TLS_SERVER_JVM_ARGS="..."   more JVM options for the Java servers of both parts; {name} becomes the
#     server's name, e.g. TLS_SERVER_JVM_ARGS="-XX:StartFlightRecording=filename=/tmp/{name}.jfr,settings=profile"
#     (the echo part starts each server more than once: the last recording of each name is kept)
# A smoke run, about a minute and a half:
#   TLS_ECHO_SETTINGS="--reps 1 --warmup 0.5 --duration 1 --idle 500" TLS_HTTP_ROUNDS=1 \
#     TLS_HTTP_DURATION=2 TLS_HTTP_WARMUP=1 benchmarks/run-tls.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/tls"
python=/usr/bin/python3
idle=10000
read -r -a parts <<< "${TLS_PARTS:-echo https}"
rounds="${TLS_HTTP_ROUNDS:-5}"
duration="${TLS_HTTP_DURATION:-10}"
warmup="${TLS_HTTP_WARMUP:-10}"
connections="${TLS_HTTP_CONNECTIONS:-50}"
budget="${TLS_HTTP_BUDGET:-200}"
read -r -a servers <<< "${TLS_HTTP_SERVERS:-eventloop netty}"
# The same JVM settings as the echo and HTTP benchmarks' Java servers.
jvm=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch)
read -r -a extra_jvm <<< "${TLS_SERVER_JVM_ARGS:-}"
tick="$(getconf CLK_TCK)"
jar=benchmarks/target/benchmarks.jar

# shellcheck source=benchmarks/servers.sh
source "$root/benchmarks/servers.sh"
server_logs="$out/https"

has_part() {
  printf '%s\n' "${parts[@]}" | grep -qx "$1"
}

modules=benchmarks
if printf '%s\n' "${servers[@]}" | grep -qx example; then
  modules=examples,benchmarks
fi
mvn -q -pl "$modules" -am package -DskipTests
for tool in taskset wrk curl openssl; do
  command -v "$tool" >/dev/null || { echo "run-tls.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/echo" "$out/https"

# The server holds one descriptor per connection, the load generator another.
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ] || [ "$hard" -ge 20000 ]; then
  ulimit -n 20000
else
  ulimit -n "$hard"
  if [ "$hard" -lt $((idle + 500)) ]; then
    idle=$((hard - 500))
    echo "open-files limit is $hard: measuring $idle idle connections instead of 10000"
  fi
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'aes|pclmulqdq|avx2|sha_ni|adx|bmi2' | tr '\n' ' ')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "vm: $(java -version 2>&1 | tail -1)"
  echo "netty: $(sed -n 's|.*<netty.version>\(.*\)</netty.version>.*|\1|p' pom.xml) (SslProvider.JDK);" \
    "netty-tcnative $(sed -n 's|.*<tcnative.version>\(.*\)</tcnative.version>.*|\1|p' pom.xml) (the load generator's BoringSSL)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "openssl: $(openssl version)"
  echo "open files: $(ulimit -n)"
  echo "parts: ${parts[*]}; https servers: ${servers[*]}"
  echo "https settings: rounds $rounds, duration ${duration}s, warm-up ${warmup}s, connections $connections, budget ${budget}s"
  echo "uptime before: $(uptime)"
} > "$out/machine.txt"

# ------------------------------------------------------------------ echo, handshakes, idle connections

if has_part echo; then
  echo_jvm=()
  if [ "${#extra_jvm[@]}" -gt 0 ]; then
    echo_jvm=(--server-jvm-args "${extra_jvm[*]}")
  fi
  # shellcheck disable=SC2086 # TLS_ECHO_SETTINGS is split into options on purpose
  taskset -c 1 java -cp "$jar" io.eventloop.bench.echo.EchoBench \
    --out "$out/echo" --servers eventloop,netty --tls on --loads rr1k,rr64k,handshake \
    --connections 10 --idle "$idle" --server-cpu 0 "${echo_jvm[@]}" ${TLS_ECHO_SETTINGS:-} | tee "$out/echo/run.txt"
  sed -n '/^== /,$p' "$out/echo/run.txt" > "$out/echo/summary.txt"
  echo "echo part done: $(uptime)" >> "$out/machine.txt"
fi

# ------------------------------------------------------------------ HTTPS hello world under wrk

cert="$out/https/tls-cert.pem"
key="$out/https/tls-key.pem"

command_of() {
  local tls=(--tls "$cert" "$key")
  case "$1" in
    eventloop) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -cp "$jar" io.eventloop.bench.http.EventloopHelloServer 0 "${tls[@]}" ;;
    netty) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -Dio.netty.leakDetection.level=disabled \
      -cp "$jar" io.eventloop.bench.http.NettyHttpServer 0 "${tls[@]}" ;;
    eventloop-plain) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -cp "$jar" io.eventloop.bench.http.EventloopHelloServer 0 ;;
    netty-plain) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -Dio.netty.leakDetection.level=disabled \
      -cp "$jar" io.eventloop.bench.http.NettyHttpServer 0 ;;
    example) echo java "${jvm[@]}" "${extra_jvm[@]//\{name\}/$1}" -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
      io.eventloop.examples.Examples http-server --host 127.0.0.1 --port 0 ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
}

scheme_of() {
  case "$1" in
    eventloop|netty) echo https ;;
    *) echo http ;;
  esac
}

# utime and stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after
# the command name, which may hold spaces).
process_cpu() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'
}

# Read-like and write-like system calls of a process so far (syscr, syscw of /proc/PID/io).
process_calls() {
  awk '$1 == "syscr:" { r = $2 } $1 == "syscw:" { w = $2 } END { print r, w }' "/proc/$1/io"
}

# Nanoseconds the threads of a process have run and have waited on a run queue so far (fields 1
# and 2 of /proc/PID/task/TID/schedstat; the wait is time a thread was ready to run while another
# had the CPU): all of its threads, or with a second argument only those whose name (comm) starts
# with it.
process_sched() {
  local task comm run=0 wait=0 r w
  for task in /proc/"$1"/task/*; do
    comm="$(cat "$task/comm" 2>/dev/null)" || continue
    if [ -n "${2:-}" ] && [ "${comm#"$2"}" = "$comm" ]; then
      continue
    fi
    read -r r w _ < "$task/schedstat" 2>/dev/null || continue
    run=$((run + r)); wait=$((wait + w))
  done
  echo "$run $wait"
}

# The name (comm) of the thread that runs a server's event loop: for this library's servers the Java
# main thread, which the kernel knows as "java" (as it does the launcher's thread, which only waits
# for it); for Netty's, the one thread of its event-loop group (names are cut to 15 characters).
loop_thread() {
  case "$1" in
    netty*) echo multiThreadIoEv ;;
    *) echo java ;;
  esac
}

# Busy and total jiffies of one CPU from /proc/stat (busy: all but idle and iowait).
cpu_busy() {
  awk -v cpu="cpu$1" '$1 == cpu { total = 0; for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat
}

url_of() {
  echo "$(scheme_of "$1")://127.0.0.1:${port_of[$1]}/"
}

# One wrk run against one server; appends a line to runs.tsv unless it is a warm-up.
drive() {
  local name="$1" round="$2" seconds="$3" file before after c0a c0b c1a c1b calls_before calls_after
  local sched_before sched_after wrk_pid wrk_sched="0 0" now limit=$((SECONDS + seconds + 30))
  file="$out/https/wrk-$name-$round.txt"
  before="$(process_cpu "${pid_of[$name]}")"
  calls_before="$(process_calls "${pid_of[$name]}")"
  sched_before="$(process_sched "${pid_of[$name]}" "$(loop_thread "$name")")"
  c0a="$(cpu_busy 0)"; c1a="$(cpu_busy 1)"
  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$(url_of "$name")" > "$file" &
  wrk_pid=$! # taskset execs wrk: the same process
  # wrk's own run and run-queue time, read every 0.5 s until it exits: the largest reading, as its
  # worker thread's figures leave with the thread; a wrk still running 30 s after its time is stopped
  while kill -0 "$wrk_pid" 2>/dev/null; do
    now="$(process_sched "$wrk_pid")"
    [ "${now%% *}" -le "${wrk_sched%% *}" ] || wrk_sched="$now"
    if [ "$SECONDS" -ge "$limit" ]; then
      echo "wrk did not finish within $((seconds + 30)) s: stopping it" >&2
      kill "$wrk_pid" 2>/dev/null || true
    fi
    sleep 0.5
  done
  wait "$wrk_pid" || true
  after="$(process_cpu "${pid_of[$name]}")"
  calls_after="$(process_calls "${pid_of[$name]}")"
  sched_after="$(process_sched "${pid_of[$name]}" "$(loop_thread "$name")")"
  c0b="$(cpu_busy 0)"; c1b="$(cpu_busy 1)"
  if [ "$round" != warmup ]; then
    # server, round, wrk output, ticks per second, server utime stime before and after, CPU 0
    # busy and total before and after, the same for CPU 1 (the format of run-http.sh); then what
    # http_summary.py leaves aside: the server's read and write calls before and after, its event-loop
    # thread's run and run-queue nanoseconds before and after, and wrk's (all its threads) over the run
    # shellcheck disable=SC2086 # each pair is split into its two fields on purpose
    { printf '%s\t' "$name" "$round" "$file" "$tick" $before $after $c0a $c0b $c1a $c1b $calls_before $calls_after \
        $sched_before $sched_after $wrk_sched
      echo; } >> "$out/https/runs.tsv"
  fi
  echo "  $name round $round: $(grep -h 'Requests/sec' "$file" | tr -s ' ')"
}

if has_part https; then
  java -cp "$jar" io.eventloop.bench.ServerTls "$cert" "$key"
  for name in "${servers[@]}"; do
    start "$name"
  done

  # Both answer with the same bytes (the Date value aside) and keep the connection alive; say what
  # each negotiates with OpenSSL's client (wrk's library).
  imf_fixdate='[A-Z][a-z][a-z], [0-3][0-9] [A-Z][a-z][a-z] [0-9]\{4\} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT'
  reference="${servers[0]}"
  for name in "${servers[@]}"; do
    url="$(url_of "$name")"
    curl -si --max-time 5 --cacert "$cert" "$url" | tee "$out/https/response-$name.raw.txt" \
      | sed "s/^Date: $imf_fixdate\r\$/Date: (IMF-fixdate)\r/" > "$out/https/response-$name.txt"
    connects="$(curl -s -o /dev/null -o /dev/null --max-time 5 --cacert "$cert" -w '%{num_connects} ' "$url" "$url")"
    if [ "$connects" != "1 0 " ]; then
      echo "$name did not keep the connection alive (curl connects per request: $connects)" >&2
      exit 1
    fi
    if ! cmp -s "$out/https/response-$reference.txt" "$out/https/response-$name.txt"; then
      echo "$name answers other bytes than $reference:" >&2
      diff <(od -c "$out/https/response-$reference.txt") <(od -c "$out/https/response-$name.txt") >&2 || true
      exit 1
    fi
    if [ "$(scheme_of "$name")" = https ]; then
      echo "$name: $(openssl s_client -connect "127.0.0.1:${port_of[$name]}" -CAfile "$cert" -brief </dev/null 2>&1 \
        | grep -E '^(Protocol version|Ciphersuite|Server Temp Key|Verification):' | tr '\n' ' ')" \
        | tee -a "$out/https/negotiated.txt"
    fi
  done
  echo "responses: byte-identical but for the Date value ($(wc -c < "$out/https/response-$reference.raw.txt") bytes, curl -si), keep-alive: all"

  echo "warm-up: ${warmup}s each"
  for name in "${servers[@]}"; do
    drive "$name" warmup "$warmup"
  done

  n="${#servers[@]}"
  https_start=$SECONDS
  done_rounds=0
  for ((round = 1; round <= rounds; round++)); do
    # A whole round or none: every server gets the same number of runs.
    if [ $((SECONDS - https_start + n * (duration + 2))) -gt "$budget" ]; then
      echo "stopping after $done_rounds rounds: round $round would end past the ${budget}s budget"
      break
    fi
    echo "round $round"
    for ((i = 0; i < n; i++)); do
      drive "${servers[$(((round - 1 + i) % n))]}" "$round" "$duration"
    done
    done_rounds=$round
  done
  echo "https rounds: $done_rounds of $rounds" >> "$out/machine.txt"
  cleanup
  cp "$out/machine.txt" "$out/https/machine.txt" # http_summary.py reads the connections from it
  "$python" benchmarks/python/http_summary.py "$out/https" > "$out/https/summary.txt"
fi

echo "uptime after: $(uptime)" >> "$out/machine.txt"
echo "run time: ${SECONDS}s" >> "$out/machine.txt"
"$python" benchmarks/python/tls_summary.py "$out" | tee "$out/summary.txt"
cat "$out/machine.txt"

# The chart of this run, beside its raw results (docs/benchmarks.md, "Charts").
python3 benchmarks/python/chart.py --title "TLS: eventloop against Netty, both on the JDK's SSLEngine" "$out" "$out/chart.svg"
