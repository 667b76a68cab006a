package io.eventloop.testing.combinators;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
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
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS E.43–E.49: {@link Async#gather} and {@link Async#gatherSettled}, on {@code @EventLoopTest}'s fake time. */
@EventLoopTest
class GatherTest {
    private static long elapsedMillis(EventLoop loop, long start) {
        return (loop.time() - start) / 1_000_000L;
    }

    /**
     * A future that completes with {@code value} after {@code millis} of loop time, in the
     * iteration its timer fires: {@code sleep(d).map(...)} would finish one iteration later, and
     * the tests that run one iteration to have a done child would then find it pending.
     */
    private static <T> Future<T> later(long millis, T value) {
        return Async.sleep(Duration.ofMillis(millis), value);
    }

    /** A future that fails with {@code error} after {@code millis} of loop time. */
    private static <T> Future<T> failingLater(EventLoop loop, long millis, Throwable error) {
        Future<T> fut = loop.createFuture();
        loop.callLater(Duration.ofMillis(millis), () -> fut.fail(error));
        return fut;
    }

    // ------------------------------------------------------------------ E.43

    @Test
    void valuesComeInArgumentOrderWhateverTheCompletionOrder(EventLoop loop) {
        List<String> completions = new ArrayList<>();
        Future<String> a = later(2000, "a");
        Future<String> b = later(1000, "b");
        Future<String> c = later(3000, "c");
        for (Future<String> x : List.of(a, b, c)) {
            x.onDone(done -> completions.add(done.result()));
        }

        List<String> values = assertCompletes(Async.gather(a, b, c));

        assertEquals(List.of("b", "a", "c"), completions);
        assertEquals(List.of("a", "b", "c"), values);
    }

    @Test
    void gatherOfACollectionKeepsItsOrderToo(EventLoop loop) {
        List<Future<Integer>> children = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            children.add(later(100L * (5 - i), i));
        }

        assertEquals(List.of(0, 1, 2, 3, 4), assertCompletes(Async.gather(children)));
    }

    @Test
    void gatherOfNothingIsAnEmptyList(EventLoop loop) {
        Future<List<Object>> g = Async.gather();

        assertSame(loop, g.loop());
        assertEquals(List.of(), assertCompletes(g));
        assertEquals(List.of(), assertCompletes(Async.gather(List.of())));
    }

    @Test
    void gatherWaitsForTheLastChild(EventLoop loop) {
        long start = loop.time();

        assertCompletes(Async.gather(later(100, 1), later(3000, 2), later(200, 3)));

        assertEquals(3000, elapsedMillis(loop, start));
    }

    // ------------------------------------------------------------------ E.44

    @Test
    void theFirstFailureFailsGatherAtOnceAndTheOtherChildrenKeepRunning(EventLoop loop) {
        IOException first = new IOException("first");
        Future<String> slow = later(5000, "slow");
        Future<String> failsFirst = failingLater(loop, 1000, first);
        Future<String> failsLater = failingLater(loop, 2000, new IOException("second"));
        Future<List<String>> g = Async.gather(slow, failsFirst, failsLater);
        long start = loop.time();

        assertSame(first, assertFails(IOException.class, g));

        assertSame(first, g.exception());
        assertEquals(1000, elapsedMillis(loop, start), "gather failed as soon as the first child did");
        assertFalse(slow.isDone(), "the other children are not cancelled");

        assertEquals("slow", assertCompletes(slow));
        assertEquals(5000, elapsedMillis(loop, start));
        assertSame(first, g.exception(), "later failures do not replace the first");
    }

    @Test
    void anUncheckedFailureIsThrownAsItIs(EventLoop loop) {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Future<List<String>> g = Async.gather(later(10, "ok"), failingLater(loop, 5, boom));

        assertSame(boom, assertFails(IllegalArgumentException.class, g));
    }

    @Test
    void aTaskAwaitingAFailedGatherSeesTheFailureWhileTheSiblingTaskRunsOn(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<String> sibling = loop.createTask(() -> Async.sleep(Duration.ofSeconds(5))
                .map(v -> {
                    log.add("sibling finished");
                    return "sibling";
                }));
        Task<String> failing = loop.createTask(() -> Async.sleep(Duration.ofSeconds(1))
                .map(v -> {
                    throw new IOException("failed");
                }));
        Task<String> parent = loop.createTask(() -> Async.gather(sibling, failing)
                .map(values -> "not reached")
                .recover(IOException.class, e -> Async.completed("parent caught " + e.getMessage())));

        assertEquals("parent caught failed", assertCompletes(parent));
        assertFalse(sibling.isDone());

        assertEquals("sibling", assertCompletes(sibling));
        assertEquals(List.of("sibling finished"), log);
    }

    // ------------------------------------------------------------------ E.45

    @Test
    void gatherSettledPutsEachOutcomeAtItsChildsIndexOnceAllAreDone(EventLoop loop) {
        IOException failure = new IOException("failed");
        Future<String> ok = later(1000, "ok");
        Future<String> failed = failingLater(loop, 2000, failure);
        Future<String> cancelled = loop.createFuture();
        loop.callLater(Duration.ofMillis(3000), cancelled::cancel);
        Future<String> last = later(4000, "last");
        Future<List<Future<String>>> g = Async.gatherSettled(ok, failed, cancelled, last);
        List<Boolean> doneAt3500 = new ArrayList<>();
        loop.callLater(Duration.ofMillis(3500), () -> doneAt3500.add(g.isDone()));
        long start = loop.time();

        List<Future<String>> outcomes = assertCompletes(g);

        assertEquals(List.of(false), doneAt3500, "not done while a child is pending, despite a failure and a cancel");
        assertEquals(4000, elapsedMillis(loop, start));
        assertEquals(4, outcomes.size());
        assertSame(ok, outcomes.get(0));
        assertSame(failed, outcomes.get(1));
        assertSame(cancelled, outcomes.get(2));
        assertSame(last, outcomes.get(3));
        assertEquals("ok", outcomes.get(0).result());
        assertSame(failure, outcomes.get(1).exception());
        assertTrue(outcomes.get(2).isCancelled());
        assertThrows(CancellationException.class, () -> outcomes.get(2).exception());
        assertEquals("last", outcomes.get(3).result());
        assertTrue(outcomes.stream().allMatch(Future::isDone));
    }

    @Test
    void cancellingGatherSettledCancelsEveryChildAndEndsCancelled(EventLoop loop) {
        Future<String> done = later(0, "done");
        runIterations(loop, 1);
        Future<String> pending = loop.createFuture();
        Future<List<Future<String>>> g = Async.gatherSettled(done, pending);

        assertTrue(g.cancel());
        assertFails(CancellationException.class, g);

        assertTrue(g.isCancelled());
        assertTrue(pending.isCancelled());
        assertEquals("done", done.result());
    }

    // ------------------------------------------------------------------ E.46

    @Test
    void aChildCancelledOnItsOwnFailsGatherWithCancellationButGatherIsNotCancelled(EventLoop loop) {
        Future<String> a = loop.createFuture();
        Future<String> b = later(1000, "b");
        Future<List<String>> g = Async.gather(a, b);
        loop.callLater(Duration.ofMillis(500), a::cancel);

        assertFails(CancellationException.class, g);

        assertTrue(g.isDone());
        assertFalse(g.isCancelled());
        assertInstanceOf(CancellationException.class, g.exception());
        assertFalse(b.isDone(), "the other child is not cancelled");
    }

    @Test
    void aChildTaskCancelledOnItsOwnFailsTheAwaitingTaskWithCancellation(EventLoop loop) {
        Task<Void> child = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
        Future<List<Void>> g = Async.gather(child);
        Task<String> parent = loop.createTask(() -> g.map(v -> "not reached")
                .recover(CancellationException.class, e -> Async.completed("parent saw the child's cancel")));
        runIterations(loop, 1);

        child.cancel();

        assertEquals("parent saw the child's cancel", assertCompletes(parent));
        assertFalse(g.isCancelled());
        assertFalse(parent.isCancelled());
    }

    // ------------------------------------------------------------------ E.47

    @Test
    void cancellingTheTaskAwaitingGatherCancelsEveryPendingChild(EventLoop loop) {
        AtomicInteger proof = new AtomicInteger();
        Future<Void> waiter = loop.createFuture();
        Task<Void> child1 = loop.createTask(() -> waiter.map(v -> {
            proof.incrementAndGet();
            return v;
        }));
        Task<Void> child2 = loop.createTask(() -> waiter.map(v -> {
            proof.incrementAndGet();
            return v;
        }));
        AtomicReference<Future<List<Void>>> gatherer = new AtomicReference<>();
        Task<Void> outer = loop.createTask(() -> {
            gatherer.set(Async.gather(child1, child2));
            return gatherer.get().map(v -> {
                proof.addAndGet(100);
                return null;
            });
        });
        runIterations(loop, 2);

        assertTrue(outer.cancel());
        assertFails(CancellationException.class, outer);

        assertFalse(gatherer.get().cancel());
        assertTrue(gatherer.get().isCancelled(), "cancelled from outside, the gather ends cancelled");
        assertTrue(waiter.isCancelled());
        assertTrue(child1.isCancelled());
        assertTrue(child2.isCancelled());
        runIterations(loop, 1);
        assertEquals(0, proof.get());
    }

    @Test
    void cancellingGatherCancelsOnlyTheChildrenStillPending(EventLoop loop) {
        Future<String> done = later(0, "done");
        runIterations(loop, 1);
        Future<String> pending = loop.createFuture();
        Future<Void> sleeping = Async.sleep(Duration.ofSeconds(10));
        Future<List<Object>> g = Async.gather(done, pending, sleeping);

        assertTrue(g.cancel());
        assertFails(CancellationException.class, g);

        assertTrue(g.isCancelled());
        assertEquals("done", done.result());
        assertTrue(pending.isCancelled());
        assertTrue(sleeping.isCancelled());
        assertFalse(g.cancel());
    }

    // ------------------------------------------------------------------ E.48

    @Test
    void gatherRefusesACancelOnceEveryChildIsDoneEvenFromAChildsDoneCallback(EventLoop loop) {
        Future<Integer> fut = loop.createFuture();
        Future<Integer> child = fut.map(v -> v); // the indirection makes the child finish one step after fut
        Future<List<Integer>> g = Async.gather(child);
        List<Boolean> cancelResult = new ArrayList<>();
        fut.onDone(done -> {
            assertTrue(child.isDone(), "ran after the child finished, before gather saw it");
            assertFalse(g.isDone());
            cancelResult.add(g.cancel());
        });

        fut.complete(42);

        assertEquals(List.of(42), assertCompletes(g));
        assertEquals(List.of(false), cancelResult);
        assertFalse(g.isCancelled());
    }

    @Test
    void gatherOfDoneChildrenRefusesACancelBeforeItsCallbacksRun(EventLoop loop) {
        Future<String> a = loop.createFuture();
        Future<String> b = loop.createFuture();
        a.complete("a");
        b.complete("b");
        Future<List<String>> g = Async.gather(a, b);

        assertFalse(g.isDone());
        assertFalse(g.cancel());

        assertEquals(List.of("a", "b"), assertCompletes(g));
    }

    // ------------------------------------------------------------------ E.49

    @Test
    void theSameFutureTwiceRunsOnceAndIsReportedAtEachPosition(EventLoop loop) {
        AtomicInteger runs = new AtomicInteger();
        Task<String> t = loop.createTask(() -> {
            runs.incrementAndGet();
            return Async.sleep(Duration.ofSeconds(1), "x");
        });
        Future<String> other = later(500, "y");

        assertEquals(List.of("x", "y", "x"), assertCompletes(Async.gather(t, other, t)));
        assertEquals(1, runs.get());
    }

    @Test
    void aDuplicatedFailingChildFailsGatherOnce(EventLoop loop) {
        IOException failure = new IOException("once");
        Future<String> bad = failingLater(loop, 100, failure);
        Future<List<Future<String>>> settled = Async.gatherSettled(bad, bad);

        List<Future<String>> outcomes = assertCompletes(settled);

        assertEquals(2, outcomes.size());
        assertSame(bad, outcomes.get(0));
        assertSame(bad, outcomes.get(1));
        assertSame(failure, outcomes.get(0).exception());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void futuresOfTwoLoopsAreRefused(EventLoop loop) {
        EventLoop other = new EventLoop();
        try {
            Future<String> mine = loop.createFuture();
            Future<String> theirs = other.createFuture();

            assertThrows(IllegalArgumentException.class, () -> Async.gather(mine, theirs));
            assertThrows(IllegalArgumentException.class, () -> Async.gather(List.of(mine, theirs)));
            assertThrows(IllegalArgumentException.class, () -> Async.gatherSettled(mine, theirs));
            assertFalse(mine.isDone());
            assertFalse(theirs.isDone());
        } finally {
            other.close();
        }
    }

    @Test
    void nullArgumentsAreRefused(EventLoop loop) {
        Future<String> ok = loop.createFuture();

        assertThrows(NullPointerException.class, () -> Async.gather((Collection<Future<String>>) null));
        assertThrows(NullPointerException.class, () -> Async.gather((Future<String>[]) null));
        assertThrows(NullPointerException.class, () -> Async.gather(ok, null));
        assertThrows(NullPointerException.class, () -> Async.gather(Arrays.asList(ok, null)));
        assertThrows(NullPointerException.class, () -> Async.gatherSettled((Collection<Future<String>>) null));
        assertThrows(NullPointerException.class, () -> Async.gatherSettled(Arrays.asList(ok, null)));
    }
}
