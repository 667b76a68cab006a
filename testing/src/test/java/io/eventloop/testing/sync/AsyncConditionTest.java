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
import io.eventloop.sync.AsyncCondition;
import io.eventloop.sync.AsyncLock;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.81-82: AsyncCondition, through the public API, on {@code @EventLoopTest}.
 * What needs the package-private counts (waiters) is tested in the
 * library's own {@code io.eventloop.sync.AsyncConditionTest}.
 */
@EventLoopTest
class AsyncConditionTest {
    /** A task that waits on the condition under its lock, then logs and releases. */
    private static Task<Void> waiter(EventLoop loop, AsyncCondition cond, int n, List<Integer> log) {
        return loop.createTask(() -> cond.withLock(() -> cond.await().map(v -> {
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
    void signalWithANegativeCountThrows() {
        AsyncCondition cond = new AsyncCondition();
        cond.acquire();
        assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
    }

    @Test
    void waitForAroundAwaitTimesOutWithTheLockHeld(EventLoop loop, TestClock clock) {
        AsyncCondition cond = new AsyncCondition();
        List<String> log = new ArrayList<>();
        Task<Void> t = loop.createTask(() -> cond.withLock(() -> Async.waitFor(cond.await(), Duration.ofMillis(500))
                .recover(TimeoutException.class, e -> {
                    log.add("timed out, locked=" + cond.isLocked());
                    return Async.failed(e);
                })));
        Settle.all(t);
        assertInstanceOf(TimeoutException.class, t.exception());
        assertEquals(List.of("timed out, locked=true"), log);
        assertFalse(cond.isLocked());
        assertEquals(500, clock.elapsed().toMillis());
    }

    @Test
    void signalledWaiterCancelledBeforeItResumesPassesTheSignalOn(EventLoop loop) {
        AsyncCondition cond = new AsyncCondition();
        List<Integer> log = new ArrayList<>();
        Task<Void> first = waiter(loop, cond, 1, log);
        Task<Void> second = waiter(loop, cond, 2, log);
        runIterations(loop, 5);
        cond.acquire();
        cond.signal();   // first is moved to the lock's queue...
        first.cancel();  // ...and cancelled before it got the lock back
        cond.release();
        Settle.all(first, second);
        assertTrue(first.isCancelled());
        assertEquals(List.of(2), log, "the signal was not lost");
        assertFalse(cond.isLocked());
    }

    @Test
    void signalledWaiterWhoseTaskIsCancelledAfterItHoldsTheLockPassesTheSignalOn(EventLoop loop) {
        AsyncCondition cond = new AsyncCondition();
        List<Integer> log = new ArrayList<>();
        Task<Void> first = waiter(loop, cond, 1, log);
        Task<Void> second = waiter(loop, cond, 2, log);
        runIterations(loop, 5);
        cond.acquire();
        cond.signal();
        cond.release(); // the lock goes to first: its await completes...
        first.cancel(); // ...but first is cancelled before it resumes
        Settle.all(first, second);
        assertTrue(first.isCancelled());
        assertEquals(List.of(2), log);
        assertFalse(cond.isLocked(), "first's withLock released the lock it got back");
    }

    @Test
    void predicateThatThrowsFailsAwaitUntilWithTheLockHeld() {
        AsyncCondition cond = new AsyncCondition();
        IllegalStateException boom = new IllegalStateException("predicate");
        List<Boolean> lockedWhenFailed = new ArrayList<>();
        Future<Void> r = cond.withLock(() -> cond.awaitUntil(() -> {
            throw boom;
        }).recover(IllegalStateException.class, e -> {
            lockedWhenFailed.add(cond.isLocked());
            return Async.failed(e);
        }));
        Settle.all(r);
        assertSame(boom, r.exception());
        assertEquals(List.of(true), lockedWhenFailed);
        assertFalse(cond.isLocked());
    }

    @Test
    void conditionsMayShareALock(EventLoop loop) {
        AsyncLock lock = new AsyncLock();
        AsyncCondition notEmpty = new AsyncCondition(lock);
        AsyncCondition notFull = new AsyncCondition(lock);
        List<Integer> items = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        Task<Void> consumer = loop.createTask(() -> Async.forEach(List.of(1, 2, 3, 4), i -> lock.withLock(() ->
                notEmpty.awaitUntil(() -> !items.isEmpty()).map(v -> {
                    got.add(items.remove(0));
                    notFull.signal();
                    return null;
                }))));
        Task<Void> producer = loop.createTask(() -> Async.forEach(List.of(1, 2, 3, 4), i -> lock.withLock(() ->
                notFull.awaitUntil(() -> items.size() < 1).map(v -> {
                    items.add(i);
                    notEmpty.signal();
                    return null;
                }))));
        assertCompletes(Async.gather(consumer, producer));
        assertEquals(List.of(1, 2, 3, 4), got);
        assertFalse(lock.isLocked());
    }
}
