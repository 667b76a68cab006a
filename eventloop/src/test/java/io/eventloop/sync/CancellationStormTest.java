package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.ThrowingSupplier;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized cancellation storms, one per primitive: thousands of tasks using a bounded queue, a
 * lock or a semaphore in every way the API allows (awaiting the primitive's future directly,
 * through {@code withLock}, a timeout scope or {@code waitFor}, or polling), cancelled at random
 * moments. Random moments alone rarely hit the narrow window that matters (a waiter that was just
 * handed something and has not resumed yet), so the storm also aims: after each hand-off it
 * cancels, now or one or two iterations later, the oldest task still waiting on the primitive,
 * which is the one that was just served. Everything runs on fake time, so a run takes
 * milliseconds and a seed replays exactly; the seed is in the test's name.
 * {@code -Dstorm.seeds=N} runs seeds 1..N (20 by default).
 *
 * <p>Invariants checked: items put = items got + items left, none twice; never two lock holders;
 * never more semaphore holders than permits and every permit back at the end; no waiter left
 * behind; no task failed with anything but a cancellation (a double release would throw).
 */
class CancellationStormTest {
    private static final int TASKS = 2000;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Integer.getInteger("storm.seeds", 20));
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /**
     * Cancels tasks: random ones at random moments, and, right after each hand-off, the oldest
     * task still waiting on the primitive (the one just served), now or an iteration or two later.
     */
    private static final class Chaos {
        final Random rnd;
        final EventLoop loop;
        final List<Task<?>> tasks;
        /** Tasks that called a waiting operation and have not resumed from it, oldest first (per side). */
        final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
        final ArrayDeque<Task<?>> waitingOther = new ArrayDeque<>();
        int cancels;

        Chaos(Random rnd, EventLoop loop, List<Task<?>> tasks) {
            this.rnd = rnd;
            this.loop = loop;
            this.tasks = tasks;
        }

        void atRandomMoments(int count, int horizonMillis) {
            for (int i = 0; i < count; i++) {
                loop.callLater(ms(rnd.nextInt(horizonMillis)), () -> cancel(tasks.get(rnd.nextInt(tasks.size()))));
            }
        }

        /** The running task is about to wait on the primitive ({@code other}: the queue's putters). */
        void willWait(boolean other) {
            (other ? waitingOther : waiting).addLast(loop.currentTask());
        }

        /** The running task resumed from its wait. */
        void resumed(boolean other) {
            (other ? waitingOther : waiting).remove(loop.currentTask());
        }

        /** Called right after a release, put or get: aim at the waiter just served (on {@code other}'s side). */
        void handedOff(boolean other) {
            ArrayDeque<Task<?>> q = other ? waitingOther : waiting;
            while (!q.isEmpty() && q.peekFirst().isDone()) {
                q.pollFirst();
            }
            Task<?> served = q.peekFirst();
            switch (rnd.nextInt(8)) {
                case 0, 1 -> cancel(served);
                case 2 -> loop.callSoon(() -> cancel(served));
                case 3 -> loop.callSoon(() -> loop.callSoon(() -> cancel(served)));
                case 4 -> cancel(tasks.get(rnd.nextInt(tasks.size())));
                default -> { }
            }
        }

        void cancel(Task<?> t) {
            if (t != null && t.cancel()) {
                cancels++;
            }
        }
    }

    /** Runs until every task is done: first the storm, then a final cancel of whatever still waits. */
    private static void finish(FakeTimeLoop f, List<Task<?>> tasks, Chaos chaos) {
        chaos.atRandomMoments(TASKS / 4, 60);
        f.loop().callLater(ms(150), () -> tasks.forEach(Task::cancel));
        Settle.all(f, tasks);
        for (Task<?> t : tasks) {
            assertTrue(t.isCancelled() || t.exception() == null, () -> t + " failed: " + t.exception());
        }
        assertTrue(f.errors().isEmpty(), f.errors()::toString);
        assertTrue(chaos.cancels > TASKS / 10, "the storm cancelled " + chaos.cancels + " tasks");
    }

    // ------------------------------------------------------------------ queue

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void queueStormNeitherLosesNorDuplicatesAnItem(long seed) {
        Random rnd = new Random(seed);
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            EventLoop loop = f.loop();
            int max = 1 + rnd.nextInt(4);
            AsyncQueue<Integer> q = switch ((int) (seed % 3)) {
                case 0 -> new AsyncQueue<>(max);
                case 1 -> new AsyncLifoQueue<>(max);
                default -> new AsyncPriorityQueue<>(max);
            };
            Set<Integer> put = new HashSet<>();
            List<Integer> got = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            Chaos chaos = new Chaos(rnd, loop, tasks);
            for (int i = 0; i < TASKS / 2; i++) {
                int item = i;
                Duration delay = ms(rnd.nextInt(40));
                Duration limit = ms(1 + rnd.nextInt(20));
                int producerKind = rnd.nextInt(3);
                int consumerKind = rnd.nextInt(4);
                tasks.add(loop.createTask(() -> Async.sleep(delay)
                        .then(v -> produce(q, item, producerKind, limit, put, chaos))));
                tasks.add(loop.createTask(() -> Async.sleep(delay)
                        .then(v -> consume(q, consumerKind, limit, got, chaos))));
            }
            finish(f, tasks, chaos);

            List<Integer> left = new ArrayList<>();
            Integer item;
            while ((item = q.poll()) != null) {
                left.add(item);
                q.taskDone();
            }
            Set<Integer> all = new HashSet<>(got);
            all.addAll(left);
            assertEquals(got.size() + left.size(), all.size(), "an item came out twice");
            assertEquals(put, all, "items put = items got + items left");
            assertEquals(0, q.waitingGetters(), "getters left behind");
            assertEquals(0, q.waitingPutters(), "putters left behind");
            assertEquals(0, q.unfinished());
            assertTrue(q.join().isDone());
        }
    }

    private static Future<Void> produce(AsyncQueue<Integer> q, int item, int kind, Duration limit, Set<Integer> put,
            Chaos chaos) {
        Supplier<Future<Void>> putAndRecord = () -> {
            chaos.willWait(true);
            return q.put(item).map(v -> {
                chaos.resumed(true);
                put.add(item);
                chaos.handedOff(false); // the item may have gone to a waiting getter
                return null;
            });
        };
        switch (kind) {
            case 0:
                return putAndRecord.get();
            case 1:
                return Async.timeout(limit, putAndRecord::get).recover(TimeoutException.class, e -> Async.completed(null));
            default:
                return Async.repeat(() -> {
                    if (q.offer(item)) {
                        put.add(item);
                        chaos.handedOff(false);
                        return Async.completed(false);
                    }
                    return Async.sleep(ms(1)).map(v -> true);
                });
        }
    }

    private static Future<Void> consume(AsyncQueue<Integer> q, int kind, Duration limit, List<Integer> got, Chaos chaos) {
        if (kind < 3) {
            chaos.willWait(false);
        }
        switch (kind) {
            case 0:
                return q.get().map(x -> record(q, x, got, chaos));
            case 1:
                return Async.waitFor(q.get(), limit).map(x -> record(q, x, got, chaos))
                        .recover(TimeoutException.class, e -> Async.completed(null));
            case 2:
                return Async.timeout(limit, q::get).then(x -> {
                    record(q, x, got, chaos);
                    return Async.yieldNow();
                }).recover(TimeoutException.class, e -> Async.completed(null));
            default:
                return Async.repeat(() -> {
                    Integer x = q.poll();
                    if (x != null) {
                        record(q, x, got, chaos);
                        return Async.completed(false);
                    }
                    return Async.sleep(ms(1)).map(v -> true);
                });
        }
    }

    private static Void record(AsyncQueue<Integer> q, int item, List<Integer> got, Chaos chaos) {
        chaos.resumed(false);
        got.add(item);
        q.taskDone();
        chaos.handedOff(true); // the room may have gone to a waiting putter
        return null;
    }

    // ------------------------------------------------------------------ lock

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lockStormNeverHasTwoHoldersAndEndsUnlocked(long seed) {
        Random rnd = new Random(seed);
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            EventLoop loop = f.loop();
            AsyncLock lock = new AsyncLock();
            Holders holders = new Holders();
            List<Task<?>> tasks = new ArrayList<>();
            Chaos chaos = new Chaos(rnd, loop, tasks);
            for (int i = 0; i < TASKS; i++) {
                Duration delay = ms(rnd.nextInt(50));
                Duration hold = ms(rnd.nextInt(5) == 0 ? 1 : 0); // mostly a yield: many turns per millisecond
                Duration limit = ms(1 + rnd.nextInt(10));
                int kind = rnd.nextInt(4);
                ThrowingSupplier<Future<Void>> critical = () -> holders.enter(hold, chaos);
                Runnable release = () -> {
                    lock.release();
                    chaos.handedOff(false);
                };
                tasks.add(loop.createTask(() -> Async.sleep(delay).then(v -> {
                    if (kind < 3) {
                        chaos.willWait(false);
                    }
                    return switch (kind) {
                        case 0 -> lock.withLock(critical).ensure(() -> chaos.handedOff(false));
                        case 1 -> lock.acquire().then(x -> critical.get().ensure(release));
                        case 2 -> Async.timeout(limit, () -> lock.withLock(critical))
                                .recover(TimeoutException.class, e -> Async.completed(null));
                        default -> Async.repeat(() -> lock.tryAcquire()
                                ? critical.get().ensure(release).map(x -> false)
                                : Async.sleep(ms(2)).map(x -> true));
                    };
                })));
            }
            finish(f, tasks, chaos);
            assertEquals(1, holders.max, "never two holders");
            assertEquals(0, holders.now);
            assertEquals(holders.entered, holders.exited);
            assertTrue(holders.entered > TASKS / 10, "entered " + holders.entered);
            assertFalse(lock.isLocked());
            assertEquals(0, lock.waiting(), "waiters left behind");
        }
    }

    /** Counts the tasks inside a critical section. */
    private static final class Holders {
        int now;
        int max;
        int entered;
        int exited;

        Future<Void> enter(Duration hold, Chaos chaos) {
            chaos.resumed(false);
            now++;
            max = Math.max(max, now);
            entered++;
            return Async.sleep(hold).ensure(() -> {
                now--;
                exited++;
            });
        }
    }

    // ------------------------------------------------------------------ semaphore

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void semaphoreStormNeverExceedsThePermitsAndReturnsThemAll(long seed) {
        Random rnd = new Random(seed);
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            EventLoop loop = f.loop();
            int permits = 1 + rnd.nextInt(4);
            AsyncSemaphore sem = seed % 2 == 0 ? new AsyncBoundedSemaphore(permits) : new AsyncSemaphore(permits);
            Holders holders = new Holders();
            List<Task<?>> tasks = new ArrayList<>();
            Chaos chaos = new Chaos(rnd, loop, tasks);
            for (int i = 0; i < TASKS; i++) {
                Duration delay = ms(rnd.nextInt(50));
                Duration hold = ms(rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 0);
                Duration limit = ms(1 + rnd.nextInt(10));
                int kind = rnd.nextInt(4);
                ThrowingSupplier<Future<Void>> critical = () -> holders.enter(hold, chaos);
                Runnable release = () -> {
                    sem.release();
                    chaos.handedOff(false);
                };
                tasks.add(loop.createTask(() -> Async.sleep(delay).then(v -> {
                    if (kind < 3) {
                        chaos.willWait(false);
                    }
                    return switch (kind) {
                        case 0 -> sem.withPermit(critical).ensure(() -> chaos.handedOff(false));
                        case 1 -> sem.acquire().then(x -> critical.get().ensure(release));
                        case 2 -> Async.waitFor(sem.withPermit(critical), limit)
                                .recover(TimeoutException.class, e -> Async.completed(null));
                        default -> Async.repeat(() -> sem.tryAcquire()
                                ? critical.get().ensure(release).map(x -> false)
                                : Async.sleep(ms(2)).map(x -> true));
                    };
                })));
            }
            finish(f, tasks, chaos);
            assertTrue(holders.max <= permits, "at most " + permits + " holders, saw " + holders.max);
            assertEquals(0, holders.now);
            assertEquals(holders.entered, holders.exited);
            assertEquals(permits, sem.available(), "every permit came back");
            assertEquals(0, sem.waiting(), "waiters left behind");
        }
    }
}
