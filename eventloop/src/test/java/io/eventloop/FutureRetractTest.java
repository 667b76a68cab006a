package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Future.retract(): what a waiter cancelled after its future completed, but before it resumed,
 * does with the value (the mechanism behind the lost-wake-up guards of io.eventloop.sync).
 */
class FutureRetractTest {
    /** A future that counts retracts and may refuse them. */
    static final class Handed extends Future<String> {
        int retracts;
        boolean refuse;

        Handed(EventLoop loop) {
            super(loop);
        }

        @Override
        protected boolean retract() {
            retracts++;
            return !refuse;
        }
    }

    /** Runs iterations until {@code f} is done; what waits on it has not resumed yet. */
    private static void untilDone(FakeLoop loop, Future<?> f) {
        for (int i = 0; i < 100 && !f.isDone(); i++) {
            loop.iterate(1);
        }
        assertTrue(f.isDone());
    }

    @Test
    void waiterCancelledAfterTheFutureCompletedAsksItToRetract() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            List<String> log = new ArrayList<>();
            Task<Boolean> t = f.loop.createTask(() -> h.map(log::add));
            f.iterate(1);
            h.complete("x");
            t.cancel();
            f.loop.runUntilComplete(Async.gatherSettled(List.of(t)));
            assertTrue(t.isCancelled());
            assertEquals(1, h.retracts);
            assertEquals(List.of(), log);
        }
    }

    @Test
    void waiterThatResumesNormallyNeverRetracts() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            Task<String> t = f.loop.createTask(() -> h);
            f.iterate(1);
            h.complete("x");
            assertEquals("x", f.loop.runUntilComplete(t));
            assertEquals(0, h.retracts);
        }
    }

    @Test
    void waiterCancelledWhileTheFuturePendsCancelsItInstead() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            Task<String> t = f.loop.createTask(() -> h);
            f.iterate(1);
            t.cancel();
            f.loop.runUntilComplete(Async.gatherSettled(List.of(t)));
            assertTrue(h.isCancelled());
            assertEquals(0, h.retracts);
        }
    }

    @Test
    void refusedRetractDeliversTheValueAndTheCancelLandsAtTheNextAwait() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            h.refuse = true;
            List<String> log = new ArrayList<>();
            Task<Void> t = f.loop.createTask(() -> h.then(v -> {
                log.add(v);
                return Async.sleep(Duration.ofSeconds(10));
            }));
            f.iterate(1);
            h.complete("x");
            t.cancel();
            long start = f.clock.nanoTime();
            f.loop.runUntilComplete(Async.gatherSettled(List.of(t)));
            assertEquals(List.of("x"), log, "the step ran with the value");
            assertTrue(t.isCancelled());
            assertEquals(0, f.elapsedMillis(start), "the sleep it awaited next was cancelled at once");
        }
    }

    @Test
    void retractPassesThroughFuturesThatForwardTheValueUnchanged() {
        Map<String, Function<Future<String>, Future<String>>> forwarding = new LinkedHashMap<>();
        forwarding.put("then", h -> Async.yieldNow().then(v -> h));
        forwarding.put("recover", h -> h.recover(IOException.class, e -> Async.completed("other")));
        forwarding.put("exceptionally", h -> h.exceptionally(IOException.class, e -> "other"));
        forwarding.put("ensure(Runnable)", h -> h.ensure(() -> { }));
        forwarding.put("ensure(Supplier)", h -> h.ensure(Async::yieldNow));
        forwarding.put("timeout", h -> Async.timeout(Duration.ofSeconds(10), () -> h));
        forwarding.put("waitFor", h -> Async.waitFor(h, Duration.ofSeconds(10)));
        forwarding.put("then of then", h -> Async.yieldNow().then(v -> h.ensure(() -> { })));
        for (Map.Entry<String, Function<Future<String>, Future<String>>> e : forwarding.entrySet()) {
            try (FakeLoop f = new FakeLoop()) {
                Handed h = new Handed(f.loop);
                Future<String> through = e.getValue().apply(h);
                List<String> log = new ArrayList<>();
                Future<Boolean> last = through.map(log::add);
                f.iterate(2);
                h.complete("x");
                untilDone(f, through);
                last.cancel();
                f.loop.runUntilComplete(Async.gatherSettled(List.of(last)));
                assertTrue(last.isCancelled(), e.getKey());
                assertEquals(List.of(), log, e.getKey());
                assertEquals(1, h.retracts, e.getKey());
            }
        }
    }

    @Test
    void computedValuesAndTaskResultsAreNotRetractedAtTheirSource() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            Future<String> mapped = h.map(v -> v + "!");
            Future<String> last = mapped.then(Async::completed);
            f.iterate(1);
            h.complete("x");
            untilDone(f, mapped);
            last.cancel();
            f.loop.runUntilComplete(Async.gatherSettled(List.of(last)));
            assertEquals(0, h.retracts, "map consumed the value: its function ran with it");

            Handed h2 = new Handed(f.loop);
            Task<String> task = f.loop.createTask(() -> h2);
            Future<String> afterTask = task.then(Async::completed);
            f.iterate(1);
            h2.complete("y");
            untilDone(f, task);
            afterTask.cancel();
            f.loop.runUntilComplete(Async.gatherSettled(List.of(afterTask)));
            assertEquals(0, h2.retracts, "a task keeps its result");
            assertEquals("y", task.result());
        }
    }

    @Test
    void waitForCancelledFromOutsideRetractsTheInnersValue() {
        try (FakeLoop f = new FakeLoop()) {
            Handed h = new Handed(f.loop);
            Future<String> w = Async.waitFor(h, Duration.ofSeconds(10));
            f.iterate(1);
            h.complete("x");
            assertTrue(w.cancel());
            f.loop.runUntilComplete(Async.gatherSettled(List.of(w)));
            assertTrue(w.isCancelled());
            assertEquals(1, h.retracts);
            assertFalse(h.isCancelled());
        }
    }
}
