package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS H.80: AsyncEvent. */
class AsyncEventTest {
    private static List<Task<Void>> waiters(FakeTimeLoop f, AsyncEvent event, int n, List<Integer> woken) {
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            tasks.add(f.loop().createTask(() -> event.await().map(v -> {
                woken.add(k);
                return null;
            })));
        }
        return tasks;
    }

    @Test
    void setWakesEveryWaiterInOrder() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            List<Integer> woken = new ArrayList<>();
            List<Task<Void>> tasks = waiters(f, event, 3, woken);
            f.iterate(2);
            assertEquals(List.of(), woken);
            assertEquals(3, event.waiting());
            event.set();
            assertTrue(event.isSet());
            f.run(Async.gather(tasks));
            assertEquals(List.of(0, 1, 2), woken);
            assertEquals(0, event.waiting());
        }
    }

    @Test
    void setThenClearStillWakesThePendingWaiters() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            List<Integer> woken = new ArrayList<>();
            List<Task<Void>> tasks = waiters(f, event, 3, woken);
            f.iterate(1);
            event.set();
            event.clear();
            assertFalse(event.isSet());
            f.run(Async.gather(tasks));
            assertEquals(List.of(0, 1, 2), woken);
            assertFalse(event.await().isDone(), "a later waiter waits for the next set()");
        }
    }

    @Test
    void awaitOnASetEventIsDoneAtOnce() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            event.set();
            event.set();
            Future<Void> w = event.await();
            assertTrue(w.isDone());
            assertEquals(0, event.waiting());
        }
    }

    @Test
    void cancelledAwaitLeavesNoWaiter() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            List<Integer> woken = new ArrayList<>();
            List<Task<Void>> tasks = waiters(f, event, 2, woken);
            f.iterate(1);
            tasks.get(0).cancel();
            assertEquals(1, event.waiting());
            event.set();
            Settle.all(f, tasks);
            assertTrue(tasks.get(0).isCancelled());
            assertEquals(List.of(1), woken);
        }
    }

    @Test
    void waitForOnAnEventTimesOutAndLeavesNoWaiter() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            Future<Void> w = Async.waitFor(event.await(), Duration.ofMillis(100));
            Settle.all(f, w);
            assertEquals(0, event.waiting());
            assertEquals(100, f.nowMillis());
        }
    }

    @Test
    void setWakesTenThousandWaiters() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncEvent event = new AsyncEvent();
            List<Future<Void>> all = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                all.add(event.await());
            }
            f.loop().callSoon(event::set);
            f.run(Async.gather(all));
            assertEquals(0, event.waiting());
        }
    }
}
