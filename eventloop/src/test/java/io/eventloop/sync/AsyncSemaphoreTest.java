package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS H.83-86: AsyncSemaphore and AsyncBoundedSemaphore. */
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
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(0);
            assertTrue(sem.isLocked());
            assertFalse(sem.tryAcquire());
            sem.release();
            assertFalse(sem.isLocked());
            assertEquals(1, sem.available());
        }
    }

    @Test
    void acquireTakesFreePermitsAtOnceThenWaits() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(2);
            assertTrue(sem.acquire().isDone());
            assertTrue(sem.tryAcquire());
            assertEquals(0, sem.available());
            Future<Void> third = sem.acquire();
            assertFalse(third.isDone());
            sem.release();
            assertEquals(0, sem.available(), "the permit went straight to the waiter");
            f.run(third);
        }
    }

    @Test
    void boundedSemaphoreRefusesToBeReleasedAboveItsInitialValue() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(2);
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(2, sem.available(), "nothing changed");
            sem.acquire();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(2, sem.available());
            assertEquals(2, sem.bound());
        }
    }

    @Test
    void unboundedSemaphoreMayBeReleasedAboveItsInitialValue() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(1);
            sem.release();
            assertEquals(2, sem.available());
        }
    }

    @Test
    void cancelledWaitersAreSkippedAndOnlyTheEarliestRemainingWakes() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(0);
            List<Integer> log = new ArrayList<>();
            List<Task<Void>> t = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                t.add(acquirer(f.loop(), sem, i, log));
            }
            f.iterate(1);
            t.get(0).cancel();
            t.get(1).cancel();
            sem.release();
            f.iterate(3);
            assertEquals(List.of(3), log);
            assertTrue(t.get(0).isCancelled() && t.get(1).isCancelled());
            assertFalse(t.get(3).isDone());
            assertEquals(1, sem.waiting());
            assertEquals(0, sem.available());
            t.get(3).cancel();
            Settle.all(f, t);
        }
    }

    @Test
    void releaseAfterACancelledWaiterDoesNotHang() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(0);
            List<Integer> log = new ArrayList<>();
            Task<Void> t1 = acquirer(f.loop(), sem, 1, log);
            Task<Void> t2 = acquirer(f.loop(), sem, 2, log);
            f.iterate(1);
            t1.cancel();
            sem.release();
            Settle.all(f, t1, t2);
            assertEquals(List.of(2), log);
        }
    }

    @Test
    void holderReleasingThenCancellingTheWokenWaiterLeavesTheSemaphoreAcquirable() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(1);
            List<Integer> log = new ArrayList<>();
            assertTrue(sem.tryAcquire());
            Task<Void> waiter = acquirer(f.loop(), sem, 1, log);
            f.iterate(1);
            sem.release();       // handed to the waiter...
            waiter.cancel();     // ...which is cancelled before it resumes
            Settle.all(f, waiter);
            assertTrue(waiter.isCancelled());
            assertEquals(List.of(), log);
            assertEquals(1, sem.available(), "the permit came back");
            assertEquals(null, f.run(Async.waitFor(sem.acquire(), Duration.ofSeconds(1))));
            assertEquals(0, f.nowMillis(), "acquired at once");
        }
    }

    @Test
    void acquisitionStaysFifoAcrossReleaseAndReacquire() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(1);
            List<String> result = new ArrayList<>();
            f.run(TaskGroup.run(group -> {
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
    }

    @Test
    void cancelledEarlierWaiterIsSkippedInFifoOrder() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(0);
            List<Integer> log = new ArrayList<>();
            List<Task<Void>> t = List.of(acquirer(f.loop(), sem, 1, log), acquirer(f.loop(), sem, 2, log),
                    acquirer(f.loop(), sem, 3, log));
            f.iterate(1);
            t.get(0).cancel();
            f.iterate(1);
            sem.release();
            sem.release();
            Settle.all(f, t);
            assertEquals(List.of(2, 3), log);
        }
    }

    @Test
    void aTaskThatReleasesAndReacquiresGoesBehindTheWokenWaiters() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(1);
            List<Integer> result = new ArrayList<>();
            Task<Void> t1 = acquirer(f.loop(), sem, 1, result);
            Task<Void> t2 = f.loop().createTask(() -> sem.acquire().then(v -> {
                result.add(2);
                sem.release();
                return sem.acquire();
            }).map(v -> {
                result.add(4);
                return null;
            }));
            Task<Void> t3 = acquirer(f.loop(), sem, 3, result);
            f.iterate(1);
            sem.release();
            sem.release();
            f.run(Async.gather(t1, t2, t3));
            assertEquals(List.of(1, 2, 3, 4), result);
            assertEquals(0, sem.available(), "1 + 2 releases = 3 permits, held by t1, t2 and t3");
        }
    }

    @Test
    void withPermitLimitsConcurrencyAndReturnsEveryPermit() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(3);
            int[] running = {0, 0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(f.loop().createTask(() -> sem.withPermit(() -> {
                    running[0]++;
                    running[1] = Math.max(running[1], running[0]);
                    return Async.sleep(MS_10).ensure(() -> {
                        running[0]--;
                    });
                })));
            }
            f.loop().callLater(Duration.ofMillis(15), () -> tasks.get(5).cancel());
            Settle.all(f, tasks);
            assertEquals(3, running[1]);
            assertEquals(3, sem.available());
            assertEquals(0, sem.waiting());
            assertEquals(35, f.nowMillis(), "3 at a time; the cancel at 15 ms frees a permit at once");
        }
    }

    @Test
    void permitHandedToATaskAlreadyBeingCancelledComesBack() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncSemaphore(2);
            Task<Void> t = f.loop().createTask(() -> {
                f.loop().currentTask().cancel();
                return sem.acquire();
            });
            Settle.all(f, t);
            assertTrue(t.isCancelled());
            assertEquals(2, sem.available());
        }
    }

    @Test
    void toStringShowsThePermits() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncSemaphore sem = new AsyncBoundedSemaphore(1);
            sem.acquire();
            Future<Void> w = sem.acquire();
            assertEquals("AsyncBoundedSemaphore[available=0, waiters=1]", sem.toString());
            assertEquals("AsyncSemaphore.acquire[pending]", w.toString());
        }
    }
}
