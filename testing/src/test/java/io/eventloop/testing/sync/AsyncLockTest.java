package io.eventloop.testing.sync;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.sync.AsyncLock;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.75-79: AsyncLock, through the public API, on {@code @EventLoopTest}.
 * What needs the package-private counts (waiters) is tested in the
 * library's own {@code io.eventloop.sync.AsyncLockTest}.
 */
@EventLoopTest
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

    private static void settle(Future<?>... futures) {
        Settle.all(futures);
    }

    @Test
    void lockIsGrantedInFifoOrder(EventLoop loop, TestClock clock) {
        AsyncLock lock = new AsyncLock();
        List<Integer> order = new ArrayList<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(loop.createTask(() -> lock.withLock(() -> {
                order.add(n);
                return Async.sleep(MS_10);
            })));
        }
        assertCompletes(Async.gather(tasks));
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertFalse(lock.isLocked());
        assertEquals(50, clock.elapsed().toMillis());
    }

    @Test
    void releaseHandsTheLockStraightToTheFirstWaiter(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        List<String> log = new ArrayList<>();
        assertTrue(lock.acquire().isDone(), "uncontended acquire is done at once");
        Task<Void> b = acquirer(loop, lock, "B", log);
        runIterations(loop, 1);
        lock.release();
        assertTrue(lock.isLocked(), "held on B's behalf before B runs");
        assertFalse(lock.tryAcquire(), "no one can slip in before B");
        assertCompletes(b);
        assertEquals(List.of("B"), log);
        assertTrue(lock.isLocked());
    }

    @Test
    void releaseOfAnUnlockedLockThrowsAndChangesNothing() {
        AsyncLock lock = new AsyncLock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
        assertFalse(lock.isLocked());
        assertTrue(lock.tryAcquire());
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
        assertFalse(lock.isLocked());
    }

    @Test
    void wokenTaskAwaitingAcquireDirectlyPassesTheLockOnWhenCancelled(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        lock.acquire();
        Task<Void> b = loop.createTask(lock::acquire);
        Task<Void> c = loop.createTask(lock::acquire);
        runIterations(loop, 1);
        lock.release();
        b.cancel();
        settle(b, c);
        assertTrue(b.isCancelled());
        assertTrue(c.isDone() && !c.isCancelled());
        assertTrue(lock.isLocked());
        lock.release();
        assertFalse(lock.isLocked(), "exactly one holder was left");
    }

    @Test
    void taskAlreadyBeingCancelledDoesNotKeepAFreeLock(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        Task<Void> t = loop.createTask(() -> {
            loop.currentTask().cancel(); // the cancel lands at the next await
            return lock.acquire();
        });
        settle(t);
        assertTrue(t.isCancelled());
        assertFalse(lock.isLocked(), "the grant was handed back");
    }

    // ------------------------------------------------------------------ withLock

    @Test
    void withLockReleasesOnValueFailureAndCancellation(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        assertEquals("v", assertCompletes(lock.withLock(() -> Async.sleep(MS_10, "v"))));
        assertFalse(lock.isLocked());

        IOException boom = new IOException("boom");
        Future<String> failed = lock.withLock(() -> Async.sleep(MS_10).then(v -> Async.failed(boom)));
        settle(failed);
        assertSame(boom, failed.exception());
        assertFalse(lock.isLocked());

        Future<String> thrown = lock.withLock(() -> {
            throw new IllegalArgumentException("synchronous");
        });
        settle(thrown);
        assertInstanceOf(IllegalArgumentException.class, thrown.exception());
        assertFalse(lock.isLocked());

        Task<Void> cancelled = loop.createTask(() -> lock.withLock(() -> Async.sleep(Duration.ofSeconds(10))));
        loop.callLater(MS_10, cancelled::cancel);
        settle(cancelled);
        assertTrue(cancelled.isCancelled());
        assertFalse(lock.isLocked());
    }

    @Test
    void withLockOnAFreeLockStartsTheBodyAtOnceAndAWaitingOneWhenHandedTheLock() {
        AsyncLock lock = new AsyncLock();
        List<String> log = new ArrayList<>();
        Future<Void> first = lock.withLock(() -> {
            log.add("first");
            return Async.sleep(MS_10);
        });
        Future<Void> second = lock.withLock(() -> logged(log, "second"));
        assertEquals(List.of("first"), log, "the free lock was taken and the body called now");
        assertCompletes(first);
        assertCompletes(second);
        assertEquals(List.of("first", "second"), log);
        assertFalse(lock.isLocked());
    }

    @Test
    void withLockCancelledWhileWaitingNeitherRunsTheBodyNorReleases(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        List<String> log = new ArrayList<>();
        lock.acquire();
        Task<String> t = loop.createTask(() -> lock.withLock(() -> {
            log.add("body");
            return Async.completed("x");
        }));
        runIterations(loop, 1);
        t.cancel();
        settle(t);
        assertTrue(t.isCancelled());
        assertEquals(List.of(), log);
        assertTrue(lock.isLocked(), "still held by whoever held it");
        lock.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void withLockWokenThenCancelledPassesTheLockOnWithoutRunningTheBody(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        List<String> log = new ArrayList<>();
        lock.acquire();
        Task<Void> b = loop.createTask(() -> lock.withLock(() -> logged(log, "B")));
        Task<Void> c = loop.createTask(() -> lock.withLock(() -> logged(log, "C")));
        runIterations(loop, 1);
        lock.release();
        b.cancel();
        settle(b, c);
        assertEquals(List.of("C"), log);
        assertFalse(lock.isLocked(), "C released it");
    }

    // ------------------------------------------------------------------ threads

    @Test
    void lockBoundToALoopRefusesOtherThreads() throws Exception {
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
