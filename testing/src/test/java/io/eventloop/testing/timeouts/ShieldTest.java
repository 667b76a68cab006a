package io.eventloop.testing.timeouts;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS E.52, E.53: {@link Async#shield}, on {@code @EventLoopTest}'s fake time. */
@EventLoopTest
class ShieldTest {
    private static long elapsedMillis(EventLoop loop, long start) {
        return (loop.time() - start) / 1_000_000L;
    }

    @Test
    void cancellingTheShieldLeavesTheInnerRunningToCompletion(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> {
            log.add("inner finished");
            return "inner";
        }));
        Future<String> outer = Async.shield(inner);

        assertTrue(outer.cancel());

        assertTrue(outer.isCancelled());
        assertFalse(inner.isDone());
        assertEquals("inner", assertCompletes(inner));
        assertEquals(List.of("inner finished"), log);
        assertTrue(outer.isCancelled(), "the inner's completion does not change the cancelled shield");
    }

    @Test
    void cancellingATaskAwaitingAShieldLeavesTheShieldedTaskRunning(EventLoop loop) {
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(1), "inner"));
        Task<String> outer = loop.createTask(() -> Async.shield(inner).map(v -> "outer got " + v));
        runIterations(loop, 1);
        long start = loop.time();

        assertTrue(outer.cancel());
        assertFails(CancellationException.class, outer);

        assertEquals(0, elapsedMillis(loop, start), "the outer task ends at once");
        assertFalse(inner.isDone());
        assertEquals("inner", assertCompletes(inner));
        assertEquals(1000, elapsedMillis(loop, start));
        assertEquals(0, inner.cancelling());
    }

    @Test
    void cancellingTheInnerCancelsTheShield(EventLoop loop) {
        Future<String> inner = loop.createFuture();
        Future<String> outer = Async.shield(inner);

        inner.cancel("inner stopped");
        assertFails(CancellationException.class, outer);

        assertTrue(outer.isCancelled());
        assertEquals("inner stopped", assertThrows(CancellationException.class, outer::result).getMessage());
    }

    @Test
    void theInnersFailurePassesThroughTheShield(EventLoop loop) {
        IOException failure = new IOException("inner failed");
        Future<String> inner = loop.createFuture();
        Future<String> outer = Async.shield(inner);

        inner.fail(failure);
        assertSame(failure, assertFails(failure.getClass(), outer));
        assertSame(failure, outer.exception());
        assertFalse(outer.isCancelled());
    }

    @Test
    void theInnersValuePassesThroughTheShield() {
        Future<String> inner = Async.sleep(Duration.ofMillis(10), "value");
        Future<String> outer = Async.shield(inner);

        assertFalse(outer.isDone());
        assertEquals("value", assertCompletes(outer));
    }

    @Test
    void aShieldOfADoneFutureHasItsResultAtOnce(EventLoop loop) {
        Future<String> done = loop.createFuture();
        done.complete("ready");

        Future<String> outer = Async.shield(done);

        assertTrue(outer.isDone());
        assertEquals("ready", outer.result());
    }

    @Test
    void aShieldOfAFailedFutureHasItsFailureAtOnce(EventLoop loop) {
        IllegalStateException failure = new IllegalStateException("already failed");
        Future<String> done = loop.createFuture();
        done.fail(failure);

        Future<String> outer = Async.shield(done);

        assertTrue(outer.isDone());
        assertSame(failure, assertThrows(IllegalStateException.class, outer::result));
    }

    // ------------------------------------------------------------------ E.53

    @Test
    void cancellingAGatherOfShieldsCancelsTheShieldsButNotTheChildren(EventLoop loop) {
        Future<Integer> child1 = loop.createFuture();
        Future<Integer> child2 = loop.createFuture();
        Future<Integer> inner1 = Async.shield(child1);
        Future<Integer> inner2 = Async.shield(child2);
        Future<List<Integer>> parent = Async.gather(inner1, inner2);
        runIterations(loop, 1);

        assertTrue(parent.cancel());
        runIterations(loop, 1);

        assertTrue(parent.isCancelled());
        assertTrue(inner1.isCancelled());
        assertTrue(inner2.isCancelled());
        assertFalse(child1.isDone());
        assertFalse(child2.isDone());

        child1.complete(1);
        child2.complete(2);
        runIterations(loop, 1);
        assertEquals(1, child1.result());
        assertEquals(2, child2.result());
        assertTrue(parent.isCancelled());
    }

    @Test
    void cancellingAShieldedGatherLeavesTheGatherRunning(EventLoop loop) {
        Future<Integer> child1 = loop.createFuture();
        Future<Integer> child2 = loop.createFuture();
        Future<List<Integer>> parent = Async.gather(child1, child2);
        Future<List<Integer>> outer = Async.shield(parent);
        runIterations(loop, 1);

        assertTrue(outer.cancel());
        runIterations(loop, 1);

        assertTrue(outer.isCancelled());
        assertFalse(parent.isDone());
        assertFalse(child1.isDone());
        child1.complete(1);
        child2.complete(2);
        assertEquals(List.of(1, 2), assertCompletes(parent));
    }

    @Test
    void shieldRefusesNull() {
        assertThrows(NullPointerException.class, () -> Async.shield(null));
    }
}
