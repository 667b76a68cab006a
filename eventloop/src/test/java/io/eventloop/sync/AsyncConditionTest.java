package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS H.81-82: AsyncCondition. */
class AsyncConditionTest {
    /** A task that waits on the condition under its lock, then logs and releases. */
    private static Task<Void> waiter(FakeTimeLoop f, AsyncCondition cond, int n, List<Integer> log) {
        return f.loop().createTask(() -> cond.withLock(() -> cond.await().map(v -> {
            log.add(n);
            return null;
        })));
    }

    private static Future<Void> locked(AsyncCondition cond, Runnable action) {
        return cond.withLock(() -> {
            action.run();
            return Async.completed(null);
        });
    }

    @Test
    void awaitOrSignalWithoutTheLockThrowsAndChangesNothing() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            assertThrows(IllegalStateException.class, cond::await);
            assertThrows(IllegalStateException.class, () -> cond.awaitUntil(() -> true));
            assertThrows(IllegalStateException.class, cond::signal);
            assertThrows(IllegalStateException.class, cond::signalAll);
            assertEquals(0, cond.waiting());
            assertFalse(cond.isLocked());
        }
    }

    @Test
    void signalWithANegativeCountThrows() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            cond.acquire();
            assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
        }
    }

    @Test
    void awaitReleasesTheLockAndHoldsItAgainWhenSignalled() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<String> log = new ArrayList<>();
            Task<Void> t = f.loop().createTask(() -> cond.withLock(() -> cond.await().map(v -> {
                log.add("woken, locked=" + cond.isLocked());
                return null;
            })));
            f.iterate(3);
            assertEquals(1, cond.waiting());
            assertFalse(cond.isLocked(), "released while waiting");
            f.run(locked(cond, cond::signal));
            f.run(t);
            assertEquals(List.of("woken, locked=true"), log);
            assertFalse(cond.isLocked());
        }
    }

    @Test
    void signalWakesAtMostNAndSignalAllWakesTheRestInOrder() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<Integer> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                tasks.add(waiter(f, cond, i, log));
            }
            f.iterate(10);
            assertEquals(5, cond.waiting());
            f.run(locked(cond, () -> cond.signal(2)));
            f.iterate(5);
            assertEquals(List.of(1, 2), log);
            f.run(locked(cond, cond::signal));
            f.iterate(5);
            assertEquals(List.of(1, 2, 3), log);
            f.run(locked(cond, cond::signalAll));
            f.run(Async.gather(tasks));
            assertEquals(List.of(1, 2, 3, 4, 5), log);
        }
    }

    @Test
    void cancelledAwaitReacquiresTheLockBeforeTheCancellationPropagates() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<String> log = new ArrayList<>();
            Task<Void> waiting = f.loop().createTask(() -> cond.withLock(() -> cond.await()
                    .recover(CancellationException.class, e -> {
                        log.add("cancelled, locked=" + cond.isLocked());
                        return Async.failed(e);
                    })));
            f.iterate(3);
            Task<Void> holder = f.loop().createTask(() -> cond.withLock(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> {
                log.add("holder releases");
                return null;
            })));
            f.iterate(3);
            assertTrue(cond.isLocked());
            waiting.cancel();
            Settle.all(f, waiting, holder);
            assertEquals(List.of("holder releases", "cancelled, locked=true"), log);
            assertTrue(waiting.isCancelled());
            assertFalse(cond.isLocked(), "withLock released it after the cancellation");
            assertEquals(0, cond.waiting());
            assertEquals(0, cond.lock().waiting());
        }
    }

    @Test
    void waitForAroundAwaitTimesOutWithTheLockHeld() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<String> log = new ArrayList<>();
            Task<Void> t = f.loop().createTask(() -> cond.withLock(() -> Async.waitFor(cond.await(), Duration.ofMillis(500))
                    .recover(TimeoutException.class, e -> {
                        log.add("timed out, locked=" + cond.isLocked());
                        return Async.failed(e);
                    })));
            Settle.all(f, t);
            assertInstanceOf(TimeoutException.class, t.exception());
            assertEquals(List.of("timed out, locked=true"), log);
            assertFalse(cond.isLocked());
            assertEquals(500, f.nowMillis());
        }
    }

    @Test
    void signalledWaiterCancelledBeforeItResumesPassesTheSignalOn() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<Integer> log = new ArrayList<>();
            Task<Void> first = waiter(f, cond, 1, log);
            Task<Void> second = waiter(f, cond, 2, log);
            f.iterate(5);
            cond.acquire();
            cond.signal();   // first is moved to the lock's queue...
            first.cancel();  // ...and cancelled before it got the lock back
            cond.release();
            Settle.all(f, first, second);
            assertTrue(first.isCancelled());
            assertEquals(List.of(2), log, "the signal was not lost");
            assertFalse(cond.isLocked());
        }
    }

    @Test
    void signalledWaiterWhoseTaskIsCancelledAfterItHoldsTheLockPassesTheSignalOn() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            List<Integer> log = new ArrayList<>();
            Task<Void> first = waiter(f, cond, 1, log);
            Task<Void> second = waiter(f, cond, 2, log);
            f.iterate(5);
            cond.acquire();
            cond.signal();
            cond.release(); // the lock goes to first: its await completes...
            first.cancel(); // ...but first is cancelled before it resumes
            Settle.all(f, first, second);
            assertTrue(first.isCancelled());
            assertEquals(List.of(2), log);
            assertFalse(cond.isLocked(), "first's withLock released the lock it got back");
        }
    }

    @Test
    void awaitUntilChecksThePredicateFirstAndAfterEveryWakeUp() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            int[] value = {0};
            int[] checks = {0};
            Task<Void> t = f.loop().createTask(() -> cond.withLock(() -> cond.awaitUntil(() -> {
                checks[0]++;
                return value[0] >= 3;
            })));
            for (int i = 1; i <= 3; i++) {
                f.iterate(5);
                f.run(locked(cond, () -> {
                    value[0]++;
                    cond.signalAll();
                }));
            }
            f.run(t);
            assertEquals(4, checks[0], "once at first, then after each of the three signals");
            assertFalse(cond.isLocked());

            Future<Void> already = cond.withLock(() -> cond.awaitUntil(() -> true));
            f.run(already);
            assertEquals(0, cond.waiting());
        }
    }

    @Test
    void predicateThatThrowsFailsAwaitUntilWithTheLockHeld() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncCondition cond = new AsyncCondition();
            IllegalStateException boom = new IllegalStateException("predicate");
            List<Boolean> lockedWhenFailed = new ArrayList<>();
            Future<Void> r = cond.withLock(() -> cond.awaitUntil(() -> {
                throw boom;
            }).recover(IllegalStateException.class, e -> {
                lockedWhenFailed.add(cond.isLocked());
                return Async.failed(e);
            }));
            Settle.all(f, r);
            assertSame(boom, r.exception());
            assertEquals(List.of(true), lockedWhenFailed);
            assertFalse(cond.isLocked());
        }
    }

    @Test
    void conditionsMayShareALock() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            AsyncCondition notEmpty = new AsyncCondition(lock);
            AsyncCondition notFull = new AsyncCondition(lock);
            List<Integer> items = new ArrayList<>();
            List<Integer> got = new ArrayList<>();
            Task<Void> consumer = f.loop().createTask(() -> Async.forEach(List.of(1, 2, 3, 4), i -> lock.withLock(() ->
                    notEmpty.awaitUntil(() -> !items.isEmpty()).map(v -> {
                        got.add(items.remove(0));
                        notFull.signal();
                        return null;
                    }))));
            Task<Void> producer = f.loop().createTask(() -> Async.forEach(List.of(1, 2, 3, 4), i -> lock.withLock(() ->
                    notFull.awaitUntil(() -> items.size() < 1).map(v -> {
                        items.add(i);
                        notEmpty.signal();
                        return null;
                    }))));
            f.run(Async.gather(consumer, producer));
            assertEquals(List.of(1, 2, 3, 4), got);
            assertFalse(lock.isLocked());
        }
    }
}
