#!/usr/bin/env bash
# The PostgreSQL client benchmark of docs/benchmarks.md ("PostgreSQL"): this library's PgConnection
# (io.eventloop.postgres) against asyncpg on uvloop, pgjdbc on platform threads and vertx-pg-client
# (Netty), all driving one PostgreSQL 15 server in the same run:
#   1. builds the benchmarks jar (mvn -q -pl benchmarks -am package -DskipTests);
#   2. creates a cluster in a temporary directory (initdb as the postgres system user, trust
#      authentication on 127.0.0.1, fsync=off and synchronous_commit=off so that the insert shapes
#      measure the clients and the server's CPU rather than the disk) and starts it on a free port,
#      pinned to CPU 0; creates pg_bench_rows (1,000 rows: a int4, b text, c float8, d timestamp,
#      e bool) and the empty pg_bench_insert of the same columns;
#   3. in each of PG_REPS rounds runs every client once, pinned to CPU 1, the clients' order
#      rotating from one round to the next; each client runs, warmed up then measured, the shapes
#      select (SELECT $1::int, 50 callers over a pool of 10 connections; queries/s), rows (the
#      1,000 rows, the same callers and pool; rows/s), executemany and copy (100k rows into the
#      empty table in one batch or one COPY; rows/s). asyncpg: benchmarks/python/pg_bench.py on
#      Debian's /usr/bin/python3; the Java clients: io.eventloop.bench.postgres.PgBench;
#   4. prints the medians and ratios (benchmarks/python/pg_summary.py) and draws chart.svg.
# Each client's own way of running the shapes is described in PgBench.java and pg_bench.py. A client
# that has no API for a shape (vertx-pg-client: COPY) leaves it out. A client that fails is left
# out of the later rounds (failed.txt names it and its log), and the script exits 1 after the
# summary. Our client is skipped, with a line saying so, when this tree has no postgres module or
# the benchmarks no driver for it. About 10 minutes. Results land in
# benchmarks/target/results/postgres/ (runs.tsv, summary.txt, chart.json, chart.svg, machine.txt,
# the clients' logs, server.log, skipped.txt, failed.txt). Settings (environment):
#   PG_REPS=5 PG_WARMUP=2 PG_DURATION=4 PG_CALLERS=50 PG_POOL=10 PG_INSERT_ROWS=100000
#   PG_THREADS=           pgjdbc's threads (default: as many as the pool's connections)
#   PG_CLIENTS="eventloop eventloop-pool eventloop-conn asyncpg asyncpg-conn pgjdbc vertx"
#     asyncpg-conn: asyncpg without its pool, one caller per connection holding it for the whole run;
#     eventloop-conn: our client in the same shape, one caller per connection (both select and rows only)
#     eventloop-pool: our PgPool's shortcuts (pool.fetchVal, pool.fetch), asyncpg's pool shape (select and rows);
#     eventloop-pool-noreset (not in the default set): the same with PgPoolOptions.resetQuery("") (no reset per use)
# A smoke run, about two minutes:
#   PG_REPS=1 PG_WARMUP=0.5 PG_DURATION=1 PG_INSERT_ROWS=10000 benchmarks/run-postgres.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="benchmarks/target/results/postgres"
reps="${PG_REPS:-5}"
warmup="${PG_WARMUP:-2}"
duration="${PG_DURATION:-4}"
callers="${PG_CALLERS:-50}"
pool="${PG_POOL:-10}"
threads="${PG_THREADS:-$pool}"
insert_rows="${PG_INSERT_ROWS:-100000}"
read -r -a wanted <<< "${PG_CLIENTS:-eventloop eventloop-pool eventloop-conn asyncpg asyncpg-conn pgjdbc vertx}"
pgbin=/usr/lib/postgresql/15/bin
python=/usr/bin/python3
jar=benchmarks/target/benchmarks.jar
jvm=(-XX:+UseParallelGC -Xms512m -Xmx512m)

need() {
  command -v "$1" >/dev/null || { echo "run-postgres.sh needs $1 (Debian: apt-get install $2)" >&2; exit 1; }
}
need taskset util-linux
need runuser util-linux
need java openjdk-17-jdk-headless
need mvn maven
for tool in initdb pg_ctl postgres psql; do
  [ -x "$pgbin/$tool" ] || { echo "run-postgres.sh needs $pgbin/$tool (Debian: apt-get install postgresql-15)" >&2; exit 1; }
done
id postgres >/dev/null 2>&1 || { echo "run-postgres.sh needs the postgres system user (Debian: apt-get install postgresql-15)" >&2; exit 1; }
[ -x "$python" ] || { echo "run-postgres.sh needs $python (Debian: apt-get install python3)" >&2; exit 1; }
"$python" -c 'import asyncpg' 2>/dev/null || { echo "run-postgres.sh needs asyncpg for $python (Debian: apt-get install python3-asyncpg)" >&2; exit 1; }
"$python" -c 'import uvloop' 2>/dev/null || { echo "run-postgres.sh needs uvloop for $python (Debian: apt-get install python3-uvloop)" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "run-postgres.sh pins the server to CPU 0 and the clients to CPU 1: it needs 2 CPUs" >&2; exit 1; }

mvn -q -B -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
rm -rf "$out"
mkdir -p "$out"

clients=()
for c in "${wanted[@]}"; do
  case "$c" in
    eventloop|eventloop-conn|eventloop-pool|eventloop-pool-noreset)
      if [ ! -f postgres/pom.xml ]; then
        echo "skipping $c: this tree has no postgres module (io.eventloop.postgres), nothing to measure" | tee -a "$out/skipped.txt"
      elif [ ! -f benchmarks/target/classes/io/eventloop/bench/postgres/EventloopClient.class ]; then
        echo "skipping $c: the benchmarks have no driver for io.eventloop.postgres yet (EventloopClient)" | tee -a "$out/skipped.txt"
      else
        clients+=("$c")
      fi ;;
    asyncpg|asyncpg-conn|pgjdbc|vertx) clients+=("$c") ;;
    *) echo "unknown client $c (eventloop, eventloop-conn, eventloop-pool, eventloop-pool-noreset, asyncpg, asyncpg-conn, pgjdbc, vertx)" >&2; exit 1 ;;
  esac
done
[ "${#clients[@]}" -gt 0 ] || { echo "no client to run" >&2; exit 1; }

port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="$(mktemp -d -t pgbench.XXXXXX)"
chown postgres: "$dir"
cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    local pid
    pid="$(head -1 "$dir/data/postmaster.pid")"
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  [ -f "$dir/server.log" ] && cp "$dir/server.log" "$root/$out/server.log"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

runuser -u postgres -- "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C > "$out/initdb.log"
# pg_ctl starts the postmaster in the background; it and its backends inherit the CPU affinity.
taskset -c 0 runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start > /dev/null
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE pg_bench_rows (a int4, b text, c float8, d timestamp, e bool);
INSERT INTO pg_bench_rows
  SELECT i, 'name-' || i, i / 4.0, timestamp '2026-01-01' + i * interval '1 second', i % 2 = 0
  FROM generate_series(1, 1000) AS i;
CREATE TABLE pg_bench_insert (a int4, b text, c float8, d timestamp, e bool);
VACUUM ANALYZE;
SQL

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postgres: $("$pgbin/postgres" --version) (fsync=off, synchronous_commit=off, otherwise initdb's defaults)"
  echo "python: $("$python" --version 2>&1); asyncpg $("$python" -c 'import asyncpg; print(asyncpg.__version__)'); uvloop $("$python" -c 'import uvloop; print(uvloop.__version__)')"
  echo "pgjdbc: $(sed -n 's|.*<pgjdbc.version>\(.*\)</pgjdbc.version>.*|\1|p' pom.xml)"
  echo "vertx-pg-client: $(sed -n 's|.*<vertx.version>\(.*\)</vertx.version>.*|\1|p' pom.xml) on netty $(sed -n 's|.*<netty.version>\(.*\)</netty.version>.*|\1|p' pom.xml)"
  echo "clients: ${clients[*]}"
  echo "settings: reps $reps, warm-up ${warmup}s, duration ${duration}s, $callers callers, pool $pool, pgjdbc threads $threads, $insert_rows rows inserted, server on CPU 0, clients on CPU 1"
  echo "uptime before: $(uptime)"
} > "$out/machine.txt"

common=(--port "$port" --pool "$pool" --callers "$callers" --warmup "$warmup" --duration "$duration" --insert-rows "$insert_rows")
printf 'rep\tclient\tshape\tper_second\n' > "$out/runs.tsv"
declare -A failed=()
n=${#clients[@]}
for rep in $(seq "$reps"); do
  for i in $(seq 0 $((n - 1))); do
    c="${clients[$(( (i + rep) % n ))]}"
    log="$out/$c-$rep.log"
    if [ "$c" = asyncpg ]; then
      cmd=("$python" benchmarks/python/pg_bench.py "${common[@]}")
    elif [ "$c" = asyncpg-conn ]; then
      cmd=("$python" benchmarks/python/pg_bench.py --mode conn --shapes select,rows "${common[@]}")
    elif [ "$c" = eventloop-pool ] || [ "$c" = eventloop-pool-noreset ]; then
      cmd=(java "${jvm[@]}" -cp "$jar" io.eventloop.bench.postgres.PgBench --client "$c" "${common[@]}"
        --shapes select,rows)
    elif [ "$c" = eventloop-conn ]; then
      cmd=(java "${jvm[@]}" -cp "$jar" io.eventloop.bench.postgres.PgBench --client eventloop --name "$c" "${common[@]}"
        --callers "$pool" --shapes select,rows)
    else
      cmd=(java "${jvm[@]}" -cp "$jar" io.eventloop.bench.postgres.PgBench --client "$c" --threads "$threads" "${common[@]}")
    fi
    if [ -n "${failed[$c]:-}" ]; then
      continue
    fi
    if ! taskset -c 1 "${cmd[@]}" > "$log.out" 2> "$log"; then
      # the other clients' rounds go on; the run fails at the end
      failed[$c]=$rep
      echo "$c failed in round $rep, left out of the later rounds: see $log" | tee -a "$out/failed.txt" >&2
      tail -5 "$log" >&2
    fi
    awk -v rep="$rep" '$1 == "result" { printf "%s\t%s\t%s\t%s\n", rep, $2, $3, $4 }' "$log.out" >> "$out/runs.tsv"
    cat "$log.out" >> "$log"
    rm "$log.out"
  done
  echo "rep $rep done: $(uptime)" >> "$out/machine.txt"
done

"$python" benchmarks/python/pg_summary.py "$out" | tee "$out/summary.txt"
if grep -q '"bars"' "$out/chart.json"; then
  "$python" benchmarks/python/chart.py "$out/chart.json" "$out/chart.svg"
else
  echo "chart: no peer was measured, nothing to draw"
fi
if [ -f "$out/failed.txt" ]; then
  cat "$out/failed.txt" >&2
  exit 1
fi
