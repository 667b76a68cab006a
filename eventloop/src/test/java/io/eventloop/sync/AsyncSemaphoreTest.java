package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.83-86: AsyncSemaphore and AsyncBoundedSemaphore, what needs the package-private counts (waiters).
 * The rest, on the public API, is in eventloop-testing's
 * {@code io.eventloop.testing.sync.AsyncSemaphoreTest}.
 */
class AsyncSemaphoreTest {
    private static final Duration MS_10 = Duration.ofMillis(10);

    private static Task<Void> acquirer(EventLoop loop, AsyncSemaphore sem, int n, List<Integer> log) {
        return loop.createTask(() -> sem.acquire().map(v -> {
            log.add(n);
            return null;
        }));
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
}
