package io.eventloop.testing.sync;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.sync.AsyncBoundedSemaphore;
import io.eventloop.sync.AsyncSemaphore;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.83-86: AsyncSemaphore and AsyncBoundedSemaphore, through the public API, on {@code @EventLoopTest}.
 * What needs the package-private counts (waiters) is tested in the
 * library's own {@code io.eventloop.sync.AsyncSemaphoreTest}.
 */
@EventLoopTest
class AsyncSemaphoreTest {
    private static final Duration MS_10 = Duration.ofMillis(10);

    private static Task<Void> acquirer(EventLoop loop, AsyncSemaphore sem, int n, List<Integer> log) {
        return loop.createTask(() -> sem.acquire().map(v -> {
            log.add(n);
            return null;
        }));
    }

    @Test
    void negativePermitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AsyncSemaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new AsyncBoundedSemaphore(-1));
    }

    @Test
    void semaphoreWithNoPermitsIsLocked() {
        AsyncSemaphore sem = new AsyncSemaphore(0);
        assertTrue(sem.isLocked());
        assertFalse(sem.tryAcquire());
        sem.release();
        assertFalse(sem.isLocked());
        assertEquals(1, sem.available());
    }

    @Test
    void acquireTakesFreePermitsAtOnceThenWaits() {
        AsyncSemaphore sem = new AsyncSemaphore(2);
        assertTrue(sem.acquire().isDone());
        assertTrue(sem.tryAcquire());
        assertEquals(0, sem.available());
        Future<Void> third = sem.acquire();
        assertFalse(third.isDone());
        sem.release();
        assertEquals(0, sem.available(), "the permit went straight to the waiter");
        assertCompletes(third);
    }

    @Test
    void boundedSemaphoreRefusesToBeReleasedAboveItsInitialValue() {
        AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(2);
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(2, sem.available(), "nothing changed");
        sem.acquire();
        sem.release();
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(2, sem.available());
        assertEquals(2, sem.bound());
    }

    @Test
    void unboundedSemaphoreMayBeReleasedAboveItsInitialValue() {
        AsyncSemaphore sem = new AsyncSemaphore(1);
        sem.release();
        assertEquals(2, sem.available());
    }

    @Test
    void releaseAfterACancelledWaiterDoesNotHang(EventLoop loop) {
        AsyncSemaphore sem = new AsyncSemaphore(0);
        List<Integer> log = new ArrayList<>();
        Task<Void> t1 = acquirer(loop, sem, 1, log);
        Task<Void> t2 = acquirer(loop, sem, 2, log);
        runIterations(loop, 1);
        t1.cancel();
        sem.release();
        Settle.all(t1, t2);
        assertEquals(List.of(2), log);
    }

    @Test
    void holderReleasingThenCancellingTheWokenWaiterLeavesTheSemaphoreAcquirable(EventLoop loop, TestClock clock) {
        AsyncSemaphore sem = new AsyncSemaphore(1);
        List<Integer> log = new ArrayList<>();
        assertTrue(sem.tryAcquire());
        Task<Void> waiter = acquirer(loop, sem, 1, log);
        runIterations(loop, 1);
        sem.release();       // handed to the waiter...
        waiter.cancel();     // ...which is cancelled before it resumes
        Settle.all(waiter);
        assertTrue(waiter.isCancelled());
        assertEquals(List.of(), log);
        assertEquals(1, sem.available(), "the permit came back");
        assertEquals(null, assertCompletes(Async.waitFor(sem.acquire(), Duration.ofSeconds(1))));
        assertEquals(0, clock.elapsed().toMillis(), "acquired at once");
    }

    @Test
    void acquisitionStaysFifoAcrossReleaseAndReacquire() {
        AsyncSemaphore sem = new AsyncSemaphore(1);
        List<String> result = new ArrayList<>();
        assertCompletes(TaskGroup.run(group -> {
            for (String tag : List.of("c1", "c2", "c3")) {
                group.spawn(() -> sem.acquire().then(v -> {
                    result.add(tag + "_1");
                    return Async.sleep(MS_10);
                }).then(v -> {
                    sem.release();
                    return sem.acquire();
                }).then(v -> {
                    result.add(tag + "_2");
                    return Async.sleep(MS_10);
                }).map(v -> {
                    sem.release();
                    return null;
                }));
            }
            return Async.completed(null);
        }));
        assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        assertEquals(1, sem.available());
    }

    @Test
    void cancelledEarlierWaiterIsSkippedInFifoOrder(EventLoop loop) {
        AsyncSemaphore sem = new AsyncSemaphore(0);
        List<Integer> log = new ArrayList<>();
        List<Task<Void>> t = List.of(acquirer(loop, sem, 1, log), acquirer(loop, sem, 2, log),
                acquirer(loop, sem, 3, log));
        runIterations(loop, 1);
        t.get(0).cancel();
        runIterations(loop, 1);
        sem.release();
        sem.release();
        Settle.all(t);
        assertEquals(List.of(2, 3), log);
    }

    @Test
    void aTaskThatReleasesAndReacquiresGoesBehindTheWokenWaiters(EventLoop loop) {
        AsyncSemaphore sem = new AsyncSemaphore(1);
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = acquirer(loop, sem, 1, result);
        Task<Void> t2 = loop.createTask(() -> sem.acquire().then(v -> {
            result.add(2);
            sem.release();
            return sem.acquire();
        }).map(v -> {
            result.add(4);
            return null;
        }));
        Task<Void> t3 = acquirer(loop, sem, 3, result);
        runIterations(loop, 1);
        sem.release();
        sem.release();
        assertCompletes(Async.gather(t1, t2, t3));
        assertEquals(List.of(1, 2, 3, 4), result);
        assertEquals(0, sem.available(), "1 + 2 releases = 3 permits, held by t1, t2 and t3");
    }

    @Test
    void permitHandedToATaskAlreadyBeingCancelledComesBack(EventLoop loop) {
        AsyncSemaphore sem = new AsyncSemaphore(2);
        Task<Void> t = loop.createTask(() -> {
            loop.currentTask().cancel();
            return sem.acquire();
        });
        Settle.all(t);
        assertTrue(t.isCancelled());
        assertEquals(2, sem.available());
    }

    @Test
    void toStringShowsThePermits() {
        AsyncSemaphore sem = new AsyncBoundedSemaphore(1);
        sem.acquire();
        Future<Void> w = sem.acquire();
        assertEquals("AsyncBoundedSemaphore[available=0, waiters=1]", sem.toString());
        assertEquals("AsyncSemaphore.acquire[pending]", w.toString());
    }
}
