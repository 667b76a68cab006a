package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS H.81-82: AsyncCondition, what needs the package-private counts (waiters).
 * The rest, on the public API, is in eventloop-testing's
 * {@code io.eventloop.testing.sync.AsyncConditionTest}.
 */
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
}
