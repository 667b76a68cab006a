package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS E.52, E.53: {@link Async#shield}. */
class ShieldTest {

    @Test
    void cancellingTheShieldLeavesTheInnerRunningToCompletion() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> {
                log.add("inner finished");
                return "inner";
            }));
            Future<String> outer = Async.shield(inner);

            assertTrue(outer.cancel());

            assertTrue(outer.isCancelled());
            assertFalse(inner.isDone());
            assertEquals("inner", f.loop.runUntilComplete(inner));
            assertEquals(List.of("inner finished"), log);
            assertTrue(outer.isCancelled(), "the inner's completion does not change the cancelled shield");
        }
    }

    @Test
    void cancellingATaskAwaitingAShieldLeavesTheShieldedTaskRunning() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1), "inner"));
            Task<String> outer = f.loop.createTask(() -> Async.shield(inner).map(v -> "outer got " + v));
            f.iterate(1);
            long start = f.clock.nanoTime();

            assertTrue(outer.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertEquals(0, f.elapsedMillis(start), "the outer task ends at once");
            assertFalse(inner.isDone());
            assertEquals("inner", f.loop.runUntilComplete(inner));
            assertEquals(1000, f.elapsedMillis(start));
            assertEquals(0, inner.cancelling());
        }
    }

    @Test
    void cancellingTheInnerCancelsTheShield() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Future<String> outer = Async.shield(inner);

            inner.cancel("inner stopped");
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertTrue(outer.isCancelled());
            assertEquals("inner stopped", assertThrows(CancellationException.class, outer::result).getMessage());
        }
    }

    @Test
    void theInnersFailurePassesThroughTheShield() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("inner failed");
            Future<String> inner = f.loop.createFuture();
            Future<String> outer = Async.shield(inner);

            inner.fail(failure);
            CompletionException thrown = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(outer));

            assertSame(failure, thrown.getCause());
            assertSame(failure, outer.exception());
            assertFalse(outer.isCancelled());
        }
    }

    @Test
    void theInnersValuePassesThroughTheShield() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = Async.sleep(Duration.ofMillis(10), "value");
            Future<String> outer = Async.shield(inner);

            assertFalse(outer.isDone());
            assertEquals("value", f.loop.runUntilComplete(outer));
        }
    }

    @Test
    void aShieldOfADoneFutureHasItsResultAtOnce() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> done = f.loop.createFuture();
            done.complete("ready");

            Future<String> outer = Async.shield(done);

            assertTrue(outer.isDone());
            assertEquals("ready", outer.result());
        }
    }

    @Test
    void aShieldOfAFailedFutureHasItsFailureAtOnce() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException failure = new IllegalStateException("already failed");
            Future<String> done = f.loop.createFuture();
            done.fail(failure);

            Future<String> outer = Async.shield(done);

            assertTrue(outer.isDone());
            assertSame(failure, assertThrows(IllegalStateException.class, outer::result));
        }
    }

    // ------------------------------------------------------------------ E.53

    @Test
    void cancellingAGatherOfShieldsCancelsTheShieldsButNotTheChildren() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> child1 = f.loop.createFuture();
            Future<Integer> child2 = f.loop.createFuture();
            Future<Integer> inner1 = Async.shield(child1);
            Future<Integer> inner2 = Async.shield(child2);
            Future<List<Integer>> parent = Async.gather(inner1, inner2);
            f.iterate(1);

            assertTrue(parent.cancel());
            f.iterate(1);

            assertTrue(parent.isCancelled());
            assertTrue(inner1.isCancelled());
            assertTrue(inner2.isCancelled());
            assertFalse(child1.isDone());
            assertFalse(child2.isDone());

            child1.complete(1);
            child2.complete(2);
            f.iterate(1);
            assertEquals(1, child1.result());
            assertEquals(2, child2.result());
            assertTrue(parent.isCancelled());
        }
    }

    @Test
    void cancellingAShieldedGatherLeavesTheGatherRunning() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> child1 = f.loop.createFuture();
            Future<Integer> child2 = f.loop.createFuture();
            Future<List<Integer>> parent = Async.gather(child1, child2);
            Future<List<Integer>> outer = Async.shield(parent);
            f.iterate(1);

            assertTrue(outer.cancel());
            f.iterate(1);

            assertTrue(outer.isCancelled());
            assertFalse(parent.isDone());
            assertFalse(child1.isDone());
            child1.complete(1);
            child2.complete(2);
            assertEquals(List.of(1, 2), f.loop.runUntilComplete(parent));
        }
    }

    @Test
    void shieldRefusesNull() {
        try (FakeLoop f = new FakeLoop()) {
            assertThrows(NullPointerException.class, () -> Async.shield(null));
        }
    }
}
