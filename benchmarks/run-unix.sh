#!/usr/bin/env bash
# The Unix-socket and file-serving benchmarks of docs/benchmarks.md ("Unix domain sockets" and
# "Sending files"), in one go:
#   1. builds the benchmarks jar and the examples;
#   2. Unix-socket echo: io.eventloop.bench.echo.EchoBench --unix, this library's protocol echo
#      server (Net.createUnixServer) against Netty 4.2 NIO's NioServerDomainSocketChannel, both
#      pinned to CPU 0, driven from CPU 1 with 50 connections exchanging 1 KiB messages
#      (request/response), interleaved slice by slice;
#   3. file serving: the http-server example with --dir (StaticFiles, bodies sent with
#      Transport.sendFile) against Debian's nginx (sendfile on, one process, access log off), both
#      pinned to CPU 0 and serving the same directory, in alternating rounds:
#        - a 1 GiB file downloaded whole with curl (pinned to CPU 1), MiB/s;
#        - 10,000 small files (1-4 KiB) fetched round-robin by wrk (one thread, 50 connections,
#          pinned to CPU 1), requests/s;
#      our server runs with a 64 MiB heap; its heap in use after a full GC is read with jstat
#      before and after the loads ("no heap growth").
# Results land in benchmarks/target/results/unix/ (summary.txt, the servers' logs, machine.txt).
# UNIX_ROUNDS (default 5) sets the rounds of each file load, UNIX_SECONDS (10) the wrk duration,
# ECHO_SETTINGS adds EchoBench options (e.g. "--reps 1 --duration 3" for a smoke run).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/benchmarks/target/results/unix"
rounds="${UNIX_ROUNDS:-5}"
seconds="${UNIX_SECONDS:-10}"
work="$(mktemp -d /tmp/eventloop-unix-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx wrk curl jstat jcmd; do
  command -v "$tool" >/dev/null || { echo "run-unix.sh needs $tool (apt-get install -y nginx wrk curl; jstat/jcmd come with the JDK)" >&2; exit 1; }
done

mvn -q -pl benchmarks -am package -DskipTests
mvn -q -pl examples -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
touch examples/target/classpath.txt
mkdir -p "$out"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "nginx: $(nginx -v 2>&1)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "curl: $(curl --version | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

echo "== Unix-socket echo, 1 KiB request/response: eventloop vs Netty 4.2 NIO"
taskset -c 1 java -cp benchmarks/target/benchmarks.jar io.eventloop.bench.echo.EchoBench \
  --out "$out/echo" --servers eventloop,netty --loads rr1k --idle 0 --server-cpu 0 --unix "$work/sockets" \
  ${ECHO_SETTINGS:-} | tee "$out/echo.txt"

echo "== files: making a 1 GiB file and 10,000 small ones in $work/www"
www="$work/www"
mkdir -p "$www/small"
head -c $((1 << 30)) /dev/urandom > "$www/big.bin"
python3 - "$www/small" <<'EOF'
import os, random, sys
d = sys.argv[1]
r = random.Random(7)
for i in range(10000):
    with open(os.path.join(d, "f%05d.txt" % i), "wb") as f:
        f.write(bytes(r.getrandbits(8) for _ in range(r.randint(1024, 4096))))
EOF
cat "$www/big.bin" > /dev/null # into the page cache for both servers
cat > "$work/paths.lua" <<'EOF'
local i = 0
request = function()
  i = i % 10000 + 1
  return wrk.format("GET", string.format("/small/f%05d.txt", i - 1))
end
EOF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ours_port="$(free_port)"
taskset -c 0 java -XX:+UseParallelGC -Xms64m -Xmx64m -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
  io.eventloop.examples.Examples http-server --dir "$www" --port "$ours_port" > "$out/server-eventloop.log" 2>&1 &
ours=$!
pids+=("$ours")

nginx_port="$(free_port)"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $work/nginx.pid;
error_log $out/server-nginx.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $www; }
}
EOF
taskset -c 0 nginx -c "$work/nginx.conf" -e "$out/server-nginx.log" &
pids+=("$!")

for i in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$ours_port/small/f00000.txt" \
    && curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/small/f00000.txt" && break
  sleep 0.2
done

heap() { # bytes in use after a full GC: survivor, eden and old generation of jstat -gc
  jcmd "$ours" GC.run > /dev/null
  jstat -gc "$ours" | awk 'NR==2 { printf "%.0f\n", ($3 + $4 + $6 + $8) * 1024 }'
}

echo "== checking every byte of the 1 GiB file from both servers"
for p in "$ours_port" "$nginx_port"; do
  taskset -c 1 curl -sf "http://127.0.0.1:$p/big.bin" | cmp - "$www/big.bin"
done
for i in 0 1 2 3 4 5 6 7 8 9; do # warm-up of the small-file path, and a spot check of the content
  curl -sf "http://127.0.0.1:$ours_port/small/f0000$i.txt" | cmp - "$www/small/f0000$i.txt"
done
taskset -c 1 wrk -t1 -c50 -d3s -s "$work/paths.lua" "http://127.0.0.1:$ours_port" > /dev/null
taskset -c 1 wrk -t1 -c50 -d3s -s "$work/paths.lua" "http://127.0.0.1:$nginx_port" > /dev/null
heap_before="$(heap)"

: > "$out/files.txt"
for r in $(seq "$rounds"); do
  for s in eventloop nginx; do
    port=$([ "$s" = eventloop ] && echo "$ours_port" || echo "$nginx_port")
    mibs="$(taskset -c 1 curl -sf -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$port/big.bin" \
      | awk '{ printf "%.1f", $1 / 1048576 }')"
    w="$(taskset -c 1 wrk -t1 -c50 -d"${seconds}s" -s "$work/paths.lua" "http://127.0.0.1:$port")"
    if echo "$w" | grep -q 'Non-2xx'; then echo "$s answered errors:"; echo "$w"; exit 1; fi
    rps="$(echo "$w" | awk '/Requests\/sec/ { print $2 }')"
    echo "round $r $s big_MiB_s $mibs small_req_s $rps" | tee -a "$out/files.txt"
  done
done
heap_after="$(heap)"

python3 - "$out/files.txt" "$heap_before" "$heap_after" <<'EOF' | tee "$out/summary.txt"
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def med(server, field):
    return statistics.median(float(r[r.index(field) + 1]) for r in rows if r[2] == server)
for field, unit in (("big_MiB_s", "MiB/s, 1 GiB file with curl"), ("small_req_s", "requests/s, 10,000 small files with wrk")):
    e, n = med("eventloop", field), med("nginx", field)
    per = [float(a[a.index(field) + 1]) / float(b[b.index(field) + 1])
           for a, b in zip([r for r in rows if r[2] == "eventloop"], [r for r in rows if r[2] == "nginx"])]
    print("%-44s eventloop %10.1f  nginx %10.1f  ratio %.2fx (per round %.2f-%.2fx)" % (unit, e, n, e / n, min(per), max(per)))
print("eventloop heap in use after a full GC: before the loads %d B, after %d B" % (int(sys.argv[2]), int(sys.argv[3])))
EOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
sed -n '/^== rr1k/,$p' "$out/echo.txt" >> "$out/summary.txt"
cat "$out/machine.txt"
