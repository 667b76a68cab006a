package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.75-79: AsyncLock, what needs the package-private counts (waiters).
 * The rest, on the public API, is in eventloop-testing's
 * {@code io.eventloop.testing.sync.AsyncLockTest}.
 */
class AsyncLockTest {
    /** A task that acquires, logs its name, and keeps the lock. */
    private static Task<Void> acquirer(EventLoop loop, AsyncLock lock, String name, List<String> log) {
        return loop.createTask(name, () -> lock.acquire().map(v -> {
            log.add(name);
            return null;
        }));
    }

    private static void settle(FakeTimeLoop f, Future<?>... futures) {
        Settle.all(f, futures);
    }

    @Test
    void cancelledAcquireLeavesNoWaiterBehind() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> b = acquirer(f.loop(), lock, "B", log);
            f.iterate(1);
            assertEquals(1, lock.waiting());
            b.cancel();
            assertEquals(0, lock.waiting(), "the waiter leaves at once");
            settle(f, b);
            assertTrue(b.isCancelled());
            lock.release();
            assertFalse(lock.isLocked(), "nobody was waiting any more");
            assertEquals(List.of(), log);
        }
    }

    @Test
    void waiterCancelledInTheSameIterationAsTheReleaseLetsTheNextAcquire() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            Future<Void> blocker = f.loop().createFuture();
            Task<Void> a = f.loop().createTask(() -> lock.withLock(() -> blocker.map(v -> {
                log.add("A");
                return null;
            })));
            f.iterate(1);
            Task<Void> b = acquirer(f.loop(), lock, "B", log);
            Task<Void> c = acquirer(f.loop(), lock, "C", log);
            f.iterate(1);
            assertEquals(2, lock.waiting());
            blocker.complete(null); // A releases on its next step
            b.cancel();
            settle(f, a, b, c);
            assertEquals(List.of("A", "C"), log);
            assertTrue(b.isCancelled());
            assertTrue(lock.isLocked(), "C holds it");
            assertEquals(0, lock.waiting());
        }
    }

    @Test
    void wokenWaiterCancelledBeforeItRunsPassesTheLockOn() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> b = acquirer(f.loop(), lock, "B", log);
            Task<Void> c = acquirer(f.loop(), lock, "C", log);
            f.iterate(1);
            lock.release(); // hands the lock to B...
            b.cancel();     // ...which is cancelled before it resumes
            settle(f, b, c);
            assertTrue(b.isCancelled());
            assertEquals(List.of("C"), log);
            assertTrue(lock.isLocked());
            assertEquals(0, lock.waiting());
        }
    }

    @Test
    void cancelAndReleaseInOneCallbackNeverMakeTwoHolders() {
        for (boolean cancelFirst : new boolean[] {true, false}) {
            try (FakeTimeLoop f = new FakeTimeLoop()) {
                AsyncLock lock = new AsyncLock();
                AtomicInteger holders = new AtomicInteger();
                AtomicReference<Task<Void>> t1 = new AtomicReference<>();
                Runnable trigger = () -> {
                    if (cancelFirst) {
                        t1.get().cancel();
                        lock.release();
                    } else {
                        lock.release();
                        t1.get().cancel();
                    }
                };
                Task<Void> t0 = f.loop().createTask(() -> lock.acquire().map(v -> {
                    f.loop().callSoon(trigger);
                    return null;
                }));
                t1.set(f.loop().createTask(() -> lock.acquire().map(v -> {
                    holders.incrementAndGet();
                    return null;
                })));
                Task<Void> t2 = f.loop().createTask(() -> lock.acquire().map(v -> {
                    holders.incrementAndGet();
                    return null;
                }));
                settle(f, t0, t1.get(), t2);
                assertEquals(1, holders.get(), "cancel first: " + cancelFirst);
                assertTrue(t1.get().isCancelled());
                assertTrue(t2.isDone() && !t2.isCancelled());
                assertTrue(lock.isLocked());
                assertEquals(0, lock.waiting());
            }
        }
    }
}
