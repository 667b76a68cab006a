"""The asyncpg side of benchmarks/run-postgres.sh: asyncpg on uvloop, the shapes of PgBench.java.

    /usr/bin/python3 benchmarks/python/pg_bench.py [--host 127.0.0.1] [--port 5432]
        [--user postgres] [--database postgres] [--pool 10] [--callers 50]
        [--warmup 2] [--duration 4] [--insert-rows 100000] [--shapes select,rows,executemany,copy]
        [--mode pool|conn]

Run with Debian's interpreter, /usr/bin/python3, for which python3-asyncpg (0.27) and
python3-uvloop are installed. The shapes, as an asyncpg user writes them:

  select       `await pool.fetchval("SELECT $1::int", i)`, `callers` tasks over an asyncpg pool of
               `pool` connections (min_size = max_size = pool), each awaiting its next query when
               the last one's value has arrived; queries per second. The pool resets a connection
               when it is given back (Connection.reset: one more query, a round trip), as asyncpg's
               pool does. With --mode conn (printed as asyncpg-conn) there is one task per
               connection instead, each holding its connection for the whole run and calling
               `conn.fetchval` (the shape of asyncpg's own benchmark): no acquire, no reset
  rows         `await pool.fetch("SELECT a, b, c, d, e FROM pg_bench_rows")` (1,000 rows of int4,
               text, float8, timestamp, bool), the same tasks and pool; asyncpg decodes every value
               into its Record as the rows arrive; rows per second
  executemany  `conn.executemany(INSERT, records)` of `insert-rows` rows in one transaction
               (`async with conn.transaction()`), on one connection of the pool; rows per second
  copy         `conn.copy_records_to_table("pg_bench_insert", records=..., columns=...)` (binary
               COPY), the same rows; rows per second

Every shape is warmed up first: the query shapes for `warmup` seconds, the inserts by one
unmeasured insert of a fifth of the rows. Output, one line per figure: `result asyncpg SHAPE VALUE`.
"""
import argparse
import asyncio
import datetime
import sys
import time

import asyncpg
import uvloop

SELECT = "SELECT $1::int"
ROWS = "SELECT a, b, c, d, e FROM pg_bench_rows"
ROW_COUNT = 1000
TABLE = "pg_bench_insert"
INSERT = "INSERT INTO pg_bench_insert (a, b, c, d, e) VALUES ($1, $2, $3, $4, $5)"
EPOCH = datetime.datetime(2026, 1, 1)


def records(n):
    """The rows the insert shapes write, the same values as PgBench.records."""
    second = datetime.timedelta(seconds=1)
    return [(i, f"name-{i}", i / 4.0, EPOCH + i * second, i % 2 == 0) for i in range(n)]


async def queries(sources, callers, query, warmup, duration):
    done = 0
    running = True

    async def caller(k):
        nonlocal done
        pool = sources[k % len(sources)]
        i = k * 1_000_000
        while running:
            if query == SELECT:
                value = await pool.fetchval(SELECT, i)
                if value != i:
                    raise RuntimeError(f"SELECT $1::int with {i} returned {value!r}")
                done += 1
            else:
                rows = await pool.fetch(ROWS)
                if len(rows) != ROW_COUNT:
                    raise RuntimeError(f"expected {ROW_COUNT} rows from pg_bench_rows, got {len(rows)}")
                done += len(rows)
            i += 1

    tasks = [asyncio.create_task(caller(k)) for k in range(callers)]
    await asyncio.sleep(warmup)
    before = done
    start = time.perf_counter()
    await asyncio.sleep(duration)
    count = done - before
    seconds = time.perf_counter() - start
    running = False
    await asyncio.gather(*tasks)
    return count / seconds


async def insert(pool, shape, rows):
    async with pool.acquire() as conn:
        if shape == "copy":
            await conn.copy_records_to_table(TABLE, records=rows, columns=["a", "b", "c", "d", "e"])
        else:
            async with conn.transaction():
                await conn.executemany(INSERT, rows)


async def main(args):
    pool = await asyncpg.create_pool(host=args.host, port=args.port, user=args.user,
                                     database=args.database, min_size=args.pool, max_size=args.pool)
    name = "asyncpg"
    sources, callers = [pool], args.callers
    if args.mode == "conn":
        # each caller holds one connection of the pool for the whole run
        name = "asyncpg-conn"
        sources = [await pool.acquire() for _ in range(args.pool)]
        callers = args.pool
    try:
        for shape in args.shapes.split(","):
            if shape in ("select", "rows"):
                value = await queries(sources, callers, SELECT if shape == "select" else ROWS,
                                      args.warmup, args.duration)
            elif shape in ("executemany", "copy"):
                warm, rows = records(args.insert_rows // 5), records(args.insert_rows)
                await pool.execute(f"TRUNCATE {TABLE}")
                await insert(pool, shape, warm)
                await pool.execute(f"TRUNCATE {TABLE}")
                start = time.perf_counter()
                await insert(pool, shape, rows)
                seconds = time.perf_counter() - start
                await pool.execute(f"TRUNCATE {TABLE}")
                value = len(rows) / seconds
            else:
                raise SystemExit(f"unknown shape {shape} (select, rows, executemany, copy)")
            print(f"result {name} {shape} {value:.0f}", flush=True)
    finally:
        if args.mode == "conn":
            for conn in sources:
                await pool.release(conn)
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="postgres")
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--duration", type=float, default=4)
    parser.add_argument("--insert-rows", type=int, default=100_000)
    parser.add_argument("--shapes", default="select,rows,executemany,copy")
    parser.add_argument("--mode", choices=("pool", "conn"), default="pool")
    arguments = parser.parse_args()
    if arguments.pool < 1 or arguments.callers < 1 or arguments.insert_rows < 5:
        sys.exit("--pool, --callers need at least 1 and --insert-rows at least 5")
    uvloop.install()
    asyncio.run(main(arguments))
