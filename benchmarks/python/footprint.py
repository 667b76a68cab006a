"""Bytes per pending asyncio item, the peer of io.eventloop.bench.Footprint.

For each kind, several rounds on a fresh event loop: collect garbage, start tracemalloc, create N
items, let the loop run one iteration (tasks start and suspend on their future), collect, read the
traced memory and stop tracing; the figure is the median of traced bytes / N. Tracing only while
the items are created keeps the run short (tracemalloc slows every allocation down).

  pending task                 an asyncio.Task awaiting a Future of its own that never completes
                               (task + coroutine + future)
  pending task (shared future) the same, all tasks awaiting one future
  pending timer                loop.call_later(3600, f) with one shared f (TimerHandle + heap slot)

tracemalloc counts the bytes Python asked its allocators for; allocator overhead is not counted.

Usage: python3 footprint.py [json-output-file]
"""

import asyncio
import gc
import json
import platform
import statistics
import sys
import tracemalloc

N = 100_000
ROUNDS = 3


def nothing():
    pass


async def wait_on(fut):
    await fut


def start_tracing():
    gc.collect()
    tracemalloc.start()
    return tracemalloc.get_traced_memory()[0]


def stop_tracing():
    gc.collect()
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return used


async def pending_tasks(keep, shared):
    loop = asyncio.get_running_loop()
    common = loop.create_future() if shared else None
    before = start_tracing()
    for i in range(N):
        keep[i] = loop.create_task(wait_on(common if shared else loop.create_future()))
    await asyncio.sleep(0)  # one iteration: every task starts and suspends on its future
    after = stop_tracing()
    for t in keep:
        t.cancel()
    while not all(t.done() for t in keep):
        await asyncio.sleep(0)
    return after - before


async def pending_timers(keep, shared):
    loop = asyncio.get_running_loop()
    before = start_tracing()
    for i in range(N):
        keep[i] = loop.call_later(3600, nothing)
    after = stop_tracing()
    for h in keep:
        h.cancel()
    return after - before


def measure(name, scenario, shared=False):
    per_item = []
    for round_ in range(-1, ROUNDS):  # round -1 warms up and is not counted
        keep = [None] * N
        delta = asyncio.run(scenario(keep, shared))
        del keep
        if round_ >= 0:
            per_item.append(delta / N)
    median = statistics.median(per_item)
    rounds = " ".join(f"{v:.1f}" for v in per_item)
    print(f"{name:<30} {median:7.1f} bytes/item  (median of {ROUNDS} rounds of {N}; rounds: {rounds})")
    return median


def main():
    task = measure("pending task (own future)", pending_tasks)
    shared = measure("pending task (shared future)", pending_tasks, shared=True)
    timer = measure("pending timer (call_later)", pending_timers)
    result = {
        "items": N,
        "rounds": ROUNDS,
        "pending_task": round(task, 1),
        "pending_task_shared_future": round(shared, 1),
        "pending_timer": round(timer, 1),
        "python": platform.python_version(),
    }
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as out:
            json.dump(result, out)
            out.write("\n")


if __name__ == "__main__":
    main()
