package io.eventloop.benchmarks.sync;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.ThrowingSupplier;
import io.eventloop.sync.AsyncEvent;
import io.eventloop.sync.AsyncLock;
import io.eventloop.sync.AsyncQueue;
import io.eventloop.sync.AsyncSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The synchronisation primitives and TaskGroup, in the shapes {@code benchmarks/python/sync_bench.py}
 * runs with asyncio and uvloop; {@code benchmarks/run-sync.sh} runs both and prints the ratios
 * (method and figures: {@code docs/benchmarks.md, "Synchronisation primitives and TaskGroup"}).
 *
 * <p>Every benchmark awaits the way an application would (continuations through the loop, not
 * the synchronous fast paths alone), inside a task, as the Python side runs in its coroutine
 * task and as {@code EventLoop.run(main)} runs {@code main}, with {@code runUntilComplete} on a
 * real {@link EventLoop} driven by the benchmark thread. Scores are nanoseconds per operation: per acquire/release pair,
 * per item handed from one task to the other, per woken waiter, per child task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SyncBenchmark {
    /** Operations per invocation of the looping benchmarks. */
    static final int N = 100_000;
    /** Waiters / children per invocation of the fan-out benchmarks. */
    static final int FAN = 10_000;

    /** A loop driven by the benchmark thread. */
    @State(Scope.Thread)
    public static class LoopState {
        EventLoop loop;
        Future<Void> done;
        Future<Boolean> yes;
        Future<Boolean> no;
        ThrowingSupplier<Future<Void>> noop;

        @Setup(Level.Trial)
        public void open() {
            loop = new EventLoop();
            done = loop.createFuture();
            done.complete(null);
            yes = loop.createFuture();
            yes.complete(true);
            no = loop.createFuture();
            no.complete(false);
            noop = () -> done;
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.close();
        }
    }

    /**
     * Uncontended {@code acquire()} and {@code release()}, N pairs in one task step: the lock's
     * own cost. asyncio's {@code await lock.acquire(); lock.release()} does not suspend either
     * when the lock is free; here the future {@code acquire()} returns is already complete.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object lockAcquireRelease(LoopState s) {
        AsyncLock lock = new AsyncLock();
        return s.loop.runUntilComplete(s.loop.createTask(() -> {
            Future<Void> last = null;
            for (int i = 0; i < N; i++) {
                last = lock.acquire();
                lock.release();
            }
            return last;
        }));
    }

    /**
     * The same, continuing after each acquire through the loop ({@code acquire().map(...)}), as
     * code that does not know the lock is free must: one loop round trip per pair, where asyncio
     * has none.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int lockAcquireAwaitRelease(LoopState s) {
        AsyncLock lock = new AsyncLock();
        int[] i = {0};
        s.loop.runUntilComplete(s.loop.createTask(() -> Async.repeat(() -> lock.acquire().map(v -> {
            lock.release();
            return ++i[0] < N;
        }))));
        return i[0];
    }

    /** Uncontended {@code withLock}, N times in a row: Python's {@code async with lock: pass}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int lockWithLock(LoopState s) {
        AsyncLock lock = new AsyncLock();
        int[] i = {0};
        ThrowingSupplier<Future<Boolean>> body = () -> ++i[0] < N ? s.yes : s.no;
        s.loop.runUntilComplete(s.loop.createTask(() -> Async.repeat(() -> lock.withLock(body))));
        return i[0];
    }

    /** {@link #lockAcquireRelease} for a semaphore with 10 permits. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object semaphoreAcquireRelease(LoopState s) {
        AsyncSemaphore sem = new AsyncSemaphore(10);
        return s.loop.runUntilComplete(s.loop.createTask(() -> {
            Future<Void> last = null;
            for (int i = 0; i < N; i++) {
                last = sem.acquire();
                sem.release();
            }
            return last;
        }));
    }

    /** {@link #lockAcquireAwaitRelease} for a semaphore with 10 permits. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int semaphoreAcquireAwaitRelease(LoopState s) {
        AsyncSemaphore sem = new AsyncSemaphore(10);
        int[] i = {0};
        s.loop.runUntilComplete(s.loop.createTask(() -> Async.repeat(() -> sem.acquire().map(v -> {
            sem.release();
            return ++i[0] < N;
        }))));
        return i[0];
    }

    /** {@code withPermit} of a semaphore with 10 permits: {@code async with sem: pass}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int semaphoreWithPermit(LoopState s) {
        AsyncSemaphore sem = new AsyncSemaphore(10);
        int[] i = {0};
        ThrowingSupplier<Future<Boolean>> body = () -> ++i[0] < N ? s.yes : s.no;
        s.loop.runUntilComplete(s.loop.createTask(() -> Async.repeat(() -> sem.withPermit(body))));
        return i[0];
    }

    /** One task puts N items, another gets them, through a queue of capacity 1: a strict hand-off. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int queueHandOffCapacity1(LoopState s) {
        return handOff(s, new AsyncQueue<>(1));
    }

    /** The same through an unbounded queue. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int queueHandOffUnbounded(LoopState s) {
        return handOff(s, new AsyncQueue<>());
    }

    private static int handOff(LoopState s, AsyncQueue<Integer> q) {
        int[] put = {0};
        int[] got = {0};
        Task<Void> producer = s.loop.createTask(() -> Async.repeat(() -> q.put(put[0]).map(v -> ++put[0] < N)));
        Task<Void> consumer = s.loop.createTask(() -> Async.repeat(() -> q.get().map(x -> ++got[0] < N)));
        s.loop.runUntilComplete(Async.gather(producer, consumer));
        return got[0];
    }

    /**
     * 10,000 tasks waiting on an event, armed before each invocation (untimed). It has a loop of
     * its own: JMH hands a state's setup method a separate instance of a state it depends on.
     */
    @State(Scope.Thread)
    public static class EventState {
        EventLoop loop;
        AsyncEvent event;
        List<Task<Void>> waiters;

        @Setup(Level.Trial)
        public void open() {
            loop = new EventLoop();
        }

        @Setup(Level.Invocation)
        public void arm() {
            event = new AsyncEvent();
            waiters = new ArrayList<>(FAN);
            for (int i = 0; i < FAN; i++) {
                waiters.add(loop.createTask(event::await));
            }
            loop.runUntilComplete(Async.yieldNow()); // every task has started and waits
        }

        @TearDown(Level.Trial)
        public void close() {
            loop.close();
        }
    }

    /** {@code event.set()} and every one of 10,000 waiting tasks resumed; per waiter. */
    @Benchmark
    @OperationsPerInvocation(FAN)
    public Object eventWake10k(EventState e) {
        e.event.set();
        return e.loop.runUntilComplete(Async.gather(e.waiters));
    }

    /** A TaskGroup of 10,000 children that return at once; per child. */
    @Benchmark
    @OperationsPerInvocation(FAN)
    public Object taskGroup10k(LoopState s) {
        return s.loop.runUntilComplete(TaskGroup.run(group -> {
            for (int i = 0; i < FAN; i++) {
                group.spawn(s.noop);
            }
            return s.done;
        }));
    }
}
