#!/usr/bin/python3
"""The shapes of io.eventloop.benchmarks.sync.SyncBenchmark, with asyncio and uvloop.

Run by benchmarks/run-sync.sh beside JMH. Prints one JSON object per line:
{"loop": "asyncio"|"uvloop", "bench": <JMH method name>, "ns_per_op": <median>, "runs": [...]}

Each shape runs in a fresh coroutine on a loop kept for the whole script (one per loop kind);
it is repeated RUNS times after WARMUP untimed runs, and the median is reported. The operation
counts match the Java side: N per looping benchmark, FAN waiters or children per fan-out one.
"""

import asyncio
import json
import statistics
import sys
import time

N = 100_000
FAN = 10_000
WARMUP = 2
RUNS = 7


async def lock_with_lock():
    lock = asyncio.Lock()
    for _ in range(N):
        async with lock:
            pass
    return N


async def lock_acquire_release():
    lock = asyncio.Lock()
    for _ in range(N):
        await lock.acquire()
        lock.release()
    return N


async def semaphore_acquire_release():
    sem = asyncio.Semaphore(10)
    for _ in range(N):
        await sem.acquire()
        sem.release()
    return N


async def semaphore_with_permit():
    sem = asyncio.Semaphore(10)
    for _ in range(N):
        async with sem:
            pass
    return N


async def _hand_off(q):
    async def producer():
        for i in range(N):
            await q.put(i)

    async def consumer():
        for _ in range(N):
            await q.get()

    await asyncio.gather(asyncio.create_task(producer()), asyncio.create_task(consumer()))
    return N


async def queue_hand_off_capacity1():
    return await _hand_off(asyncio.Queue(1))


async def queue_hand_off_unbounded():
    return await _hand_off(asyncio.Queue())


async def event_wake_10k():
    """Times only the wake-up, as the Java side arms its waiters in an untimed setup."""
    event = asyncio.Event()
    waiters = [asyncio.create_task(event.wait()) for _ in range(FAN)]
    await asyncio.sleep(0)  # every task has started and waits
    t0 = time.perf_counter_ns()
    event.set()
    await asyncio.gather(*waiters)
    return FAN, time.perf_counter_ns() - t0


async def noop():
    pass


async def task_group_10k():
    async with asyncio.TaskGroup() as group:
        for _ in range(FAN):
            group.create_task(noop())
    return FAN


SHAPES = [
    ("lockWithLock", lock_with_lock),
    ("lockAcquireRelease", lock_acquire_release),
    ("lockAcquireAwaitRelease", lock_acquire_release),  # asyncio has one form: it never suspends
    ("semaphoreAcquireRelease", semaphore_acquire_release),
    ("semaphoreAcquireAwaitRelease", semaphore_acquire_release),
    ("semaphoreWithPermit", semaphore_with_permit),
    ("queueHandOffCapacity1", queue_hand_off_capacity1),
    ("queueHandOffUnbounded", queue_hand_off_unbounded),
    ("eventWake10k", event_wake_10k),
    ("taskGroup10k", task_group_10k),
]


def measure(loop, shape):
    """ns per operation of one run: the shape's own timing if it returns one, else the whole run."""
    t0 = time.perf_counter_ns()
    result = loop.run_until_complete(shape())
    elapsed = time.perf_counter_ns() - t0
    if isinstance(result, tuple):
        ops, elapsed = result
    else:
        ops = result
    return elapsed / ops


def main():
    loops = [("asyncio", asyncio.new_event_loop)]
    try:
        import uvloop
        loops.append(("uvloop", uvloop.new_event_loop))
    except ImportError:
        print("uvloop is not installed (apt-get install python3-uvloop); asyncio only", file=sys.stderr)
    only = set(sys.argv[1:])
    for name, factory in loops:
        loop = factory()
        asyncio.set_event_loop(loop)
        try:
            for bench, shape in SHAPES:
                if only and bench not in only:
                    continue
                for _ in range(WARMUP):
                    measure(loop, shape)
                runs = [measure(loop, shape) for _ in range(RUNS)]
                print(json.dumps({"loop": name, "bench": bench, "ns_per_op": statistics.median(runs),
                                  "runs": [round(r, 1) for r in runs]}), flush=True)
        finally:
            loop.close()
            asyncio.set_event_loop(None)


if __name__ == "__main__":
    main()
