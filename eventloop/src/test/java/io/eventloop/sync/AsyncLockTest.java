package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS H.75-79: AsyncLock. */
class AsyncLockTest {
    private static final Duration MS_10 = Duration.ofMillis(10);

    /** A task that acquires, logs its name, and keeps the lock. */
    private static Task<Void> acquirer(EventLoop loop, AsyncLock lock, String name, List<String> log) {
        return loop.createTask(name, () -> lock.acquire().map(v -> {
            log.add(name);
            return null;
        }));
    }

    private static Future<Void> logged(List<String> log, String entry) {
        log.add(entry);
        return Async.completed(null);
    }

    private static void settle(FakeTimeLoop f, Future<?>... futures) {
        Settle.all(f, futures);
    }

    @Test
    void lockIsGrantedInFifoOrder() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                tasks.add(f.loop().createTask(() -> lock.withLock(() -> {
                    order.add(n);
                    return Async.sleep(MS_10);
                })));
            }
            f.run(Async.gather(tasks));
            assertEquals(List.of(0, 1, 2, 3, 4), order);
            assertFalse(lock.isLocked());
            assertEquals(50, f.nowMillis());
        }
    }

    @Test
    void releaseHandsTheLockStraightToTheFirstWaiter() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            assertTrue(lock.acquire().isDone(), "uncontended acquire is done at once");
            Task<Void> b = acquirer(f.loop(), lock, "B", log);
            f.iterate(1);
            lock.release();
            assertTrue(lock.isLocked(), "held on B's behalf before B runs");
            assertFalse(lock.tryAcquire(), "no one can slip in before B");
            f.run(b);
            assertEquals(List.of("B"), log);
            assertTrue(lock.isLocked());
        }
    }

    @Test
    void releaseOfAnUnlockedLockThrowsAndChangesNothing() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
            assertFalse(lock.isLocked());
            assertTrue(lock.tryAcquire());
            lock.release();
            assertThrows(IllegalStateException.class, lock::release);
            assertFalse(lock.isLocked());
        }
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
    void wokenTaskAwaitingAcquireDirectlyPassesTheLockOnWhenCancelled() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            lock.acquire();
            Task<Void> b = f.loop().createTask(lock::acquire);
            Task<Void> c = f.loop().createTask(lock::acquire);
            f.iterate(1);
            lock.release();
            b.cancel();
            settle(f, b, c);
            assertTrue(b.isCancelled());
            assertTrue(c.isDone() && !c.isCancelled());
            assertTrue(lock.isLocked());
            lock.release();
            assertFalse(lock.isLocked(), "exactly one holder was left");
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

    @Test
    void taskAlreadyBeingCancelledDoesNotKeepAFreeLock() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            Task<Void> t = f.loop().createTask(() -> {
                f.loop().currentTask().cancel(); // the cancel lands at the next await
                return lock.acquire();
            });
            settle(f, t);
            assertTrue(t.isCancelled());
            assertFalse(lock.isLocked(), "the grant was handed back");
        }
    }

    // ------------------------------------------------------------------ withLock

    @Test
    void withLockReleasesOnValueFailureAndCancellation() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            assertEquals("v", f.run(lock.withLock(() -> Async.sleep(MS_10, "v"))));
            assertFalse(lock.isLocked());

            IOException boom = new IOException("boom");
            Future<String> failed = lock.withLock(() -> Async.sleep(MS_10).then(v -> Async.failed(boom)));
            settle(f, failed);
            assertSame(boom, failed.exception());
            assertFalse(lock.isLocked());

            Future<String> thrown = lock.withLock(() -> {
                throw new IllegalArgumentException("synchronous");
            });
            settle(f, thrown);
            assertInstanceOf(IllegalArgumentException.class, thrown.exception());
            assertFalse(lock.isLocked());

            Task<Void> cancelled = f.loop().createTask(() -> lock.withLock(() -> Async.sleep(Duration.ofSeconds(10))));
            f.loop().callLater(MS_10, cancelled::cancel);
            settle(f, cancelled);
            assertTrue(cancelled.isCancelled());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void withLockOnAFreeLockStartsTheBodyAtOnceAndAWaitingOneWhenHandedTheLock() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            Future<Void> first = lock.withLock(() -> {
                log.add("first");
                return Async.sleep(MS_10);
            });
            Future<Void> second = lock.withLock(() -> logged(log, "second"));
            assertEquals(List.of("first"), log, "the free lock was taken and the body called now");
            f.run(first);
            f.run(second);
            assertEquals(List.of("first", "second"), log);
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void withLockCancelledWhileWaitingNeitherRunsTheBodyNorReleases() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<String> t = f.loop().createTask(() -> lock.withLock(() -> {
                log.add("body");
                return Async.completed("x");
            }));
            f.iterate(1);
            t.cancel();
            settle(f, t);
            assertTrue(t.isCancelled());
            assertEquals(List.of(), log);
            assertTrue(lock.isLocked(), "still held by whoever held it");
            lock.release();
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void withLockWokenThenCancelledPassesTheLockOnWithoutRunningTheBody() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            Task<Void> b = f.loop().createTask(() -> lock.withLock(() -> logged(log, "B")));
            Task<Void> c = f.loop().createTask(() -> lock.withLock(() -> logged(log, "C")));
            f.iterate(1);
            lock.release();
            b.cancel();
            settle(f, b, c);
            assertEquals(List.of("C"), log);
            assertFalse(lock.isLocked(), "C released it");
        }
    }

    // ------------------------------------------------------------------ threads

    @Test
    void lockBoundToALoopRefusesOtherThreads() throws Exception {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            lock.acquire();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    lock.release();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            other.start();
            other.join(10_000);
            assertInstanceOf(IllegalStateException.class, thrown.get());
            assertTrue(thrown.get().getMessage().contains("callSoonThreadsafe"), thrown.get().getMessage());
            assertTrue(lock.isLocked(), "nothing changed");
        }
    }

    @Test
    void lockUsedOnAThreadWithoutALoopSaysSo() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                new AsyncLock().acquire();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        other.start();
        other.join(10_000);
        assertInstanceOf(IllegalStateException.class, thrown.get());
    }

    @Test
    void toStringShowsTheState() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncLock lock = new AsyncLock();
            assertEquals("AsyncLock[unlocked]", lock.toString());
            lock.acquire();
            Future<Void> w = lock.acquire();
            assertEquals("AsyncLock[locked, waiters=1]", lock.toString());
            assertEquals("AsyncLock.acquire[pending]", w.toString());
            w.cancel();
            assertEquals(CancellationException.class, assertThrows(CancellationException.class, w::result).getClass());
        }
    }
}
