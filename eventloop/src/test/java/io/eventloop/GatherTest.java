package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS E.43–E.49: {@link Async#gather} and {@link Async#gatherSettled}. */
class GatherTest {



    // ------------------------------------------------------------------ E.43

    @Test
    void valuesComeInArgumentOrderWhateverTheCompletionOrder() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> completions = new ArrayList<>();
            Future<String> a = f.later(2000, "a");
            Future<String> b = f.later(1000, "b");
            Future<String> c = f.later(3000, "c");
            for (Future<String> x : List.of(a, b, c)) {
                x.onDone(done -> completions.add(done.result()));
            }

            List<String> values = f.loop.runUntilComplete(Async.gather(a, b, c));

            assertEquals(List.of("b", "a", "c"), completions);
            assertEquals(List.of("a", "b", "c"), values);
        }
    }

    @Test
    void gatherOfACollectionKeepsItsOrderToo() {
        try (FakeLoop f = new FakeLoop()) {
            List<Future<Integer>> children = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                children.add(f.later(100L * (5 - i), i));
            }

            assertEquals(List.of(0, 1, 2, 3, 4), f.loop.runUntilComplete(Async.gather(children)));
        }
    }

    @Test
    void gatherOfNothingIsAnEmptyList() {
        try (FakeLoop f = new FakeLoop()) {
            Future<List<Object>> g = Async.gather();

            assertSame(f.loop, g.loop());
            assertEquals(List.of(), f.loop.runUntilComplete(g));
            assertEquals(List.of(), f.loop.runUntilComplete(Async.gather(List.of())));
        }
    }

    @Test
    void gatherWaitsForTheLastChild() {
        try (FakeLoop f = new FakeLoop()) {
            long start = f.clock.nanoTime();

            f.loop.runUntilComplete(Async.gather(f.later(100, 1), f.later(3000, 2), f.later(200, 3)));

            assertEquals(3000, f.elapsedMillis(start));
        }
    }

    // ------------------------------------------------------------------ E.44

    @Test
    void theFirstFailureFailsGatherAtOnceAndTheOtherChildrenKeepRunning() {
        try (FakeLoop f = new FakeLoop()) {
            IOException first = new IOException("first");
            Future<String> slow = f.later(5000, "slow");
            Future<String> failsFirst = f.failingLater(1000, first);
            Future<String> failsLater = f.failingLater(2000, new IOException("second"));
            Future<List<String>> g = Async.gather(slow, failsFirst, failsLater);
            long start = f.clock.nanoTime();

            CompletionException thrown = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(g));

            assertSame(first, thrown.getCause());
            assertSame(first, g.exception());
            assertEquals(1000, f.elapsedMillis(start), "gather failed as soon as the first child did");
            assertFalse(slow.isDone(), "the other children are not cancelled");

            assertEquals("slow", f.loop.runUntilComplete(slow));
            assertEquals(5000, f.elapsedMillis(start));
            assertSame(first, g.exception(), "later failures do not replace the first");
        }
    }

    @Test
    void anUncheckedFailureIsThrownAsItIs() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Future<List<String>> g = Async.gather(f.later(10, "ok"), f.failingLater(5, boom));

            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> f.loop.runUntilComplete(g)));
        }
    }

    @Test
    void aTaskAwaitingAFailedGatherSeesTheFailureWhileTheSiblingTaskRunsOn() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> sibling = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(5))
                    .map(v -> {
                        log.add("sibling finished");
                        return "sibling";
                    }));
            Task<String> failing = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1))
                    .map(v -> {
                        throw new IOException("failed");
                    }));
            Task<String> parent = f.loop.createTask(() -> Async.gather(sibling, failing)
                    .map(values -> "not reached")
                    .recover(IOException.class, e -> Async.completed("parent caught " + e.getMessage())));

            assertEquals("parent caught failed", f.loop.runUntilComplete(parent));
            assertFalse(sibling.isDone());

            assertEquals("sibling", f.loop.runUntilComplete(sibling));
            assertEquals(List.of("sibling finished"), log);
        }
    }

    // ------------------------------------------------------------------ E.45

    @Test
    void gatherSettledPutsEachOutcomeAtItsChildsIndexOnceAllAreDone() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("failed");
            Future<String> ok = f.later(1000, "ok");
            Future<String> failed = f.failingLater(2000, failure);
            Future<String> cancelled = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(3000), cancelled::cancel);
            Future<String> last = f.later(4000, "last");
            Future<List<Future<String>>> g = Async.gatherSettled(ok, failed, cancelled, last);
            List<Boolean> doneAt3500 = new ArrayList<>();
            f.loop.callLater(Duration.ofMillis(3500), () -> doneAt3500.add(g.isDone()));
            long start = f.clock.nanoTime();

            List<Future<String>> outcomes = f.loop.runUntilComplete(g);

            assertEquals(List.of(false), doneAt3500, "not done while a child is pending, despite a failure and a cancel");
            assertEquals(4000, f.elapsedMillis(start));
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
    }

    @Test
    void cancellingGatherSettledCancelsEveryChildAndEndsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> done = f.later(0, "done");
            f.iterate(1);
            Future<String> pending = f.loop.createFuture();
            Future<List<Future<String>>> g = Async.gatherSettled(done, pending);

            assertTrue(g.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(g));

            assertTrue(g.isCancelled());
            assertTrue(pending.isCancelled());
            assertEquals("done", done.result());
        }
    }

    // ------------------------------------------------------------------ E.46

    @Test
    void aChildCancelledOnItsOwnFailsGatherWithCancellationButGatherIsNotCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Future<String> b = f.later(1000, "b");
            Future<List<String>> g = Async.gather(a, b);
            f.loop.callLater(Duration.ofMillis(500), a::cancel);

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(g));

            assertTrue(g.isDone());
            assertFalse(g.isCancelled());
            assertInstanceOf(CancellationException.class, g.exception());
            assertFalse(b.isDone(), "the other child is not cancelled");
        }
    }

    @Test
    void aChildTaskCancelledOnItsOwnFailsTheAwaitingTaskWithCancellation() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> child = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10)));
            Future<List<Void>> g = Async.gather(child);
            Task<String> parent = f.loop.createTask(() -> g.map(v -> "not reached")
                    .recover(CancellationException.class, e -> Async.completed("parent saw the child's cancel")));
            f.iterate(1);

            child.cancel();

            assertEquals("parent saw the child's cancel", f.loop.runUntilComplete(parent));
            assertFalse(g.isCancelled());
            assertFalse(parent.isCancelled());
        }
    }

    // ------------------------------------------------------------------ E.47

    @Test
    void cancellingTheTaskAwaitingGatherCancelsEveryPendingChild() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger proof = new AtomicInteger();
            Future<Void> waiter = f.loop.createFuture();
            Task<Void> child1 = f.loop.createTask(() -> waiter.map(v -> {
                proof.incrementAndGet();
                return v;
            }));
            Task<Void> child2 = f.loop.createTask(() -> waiter.map(v -> {
                proof.incrementAndGet();
                return v;
            }));
            AtomicReference<Future<List<Void>>> gatherer = new AtomicReference<>();
            Task<Void> outer = f.loop.createTask(() -> {
                gatherer.set(Async.gather(child1, child2));
                return gatherer.get().map(v -> {
                    proof.addAndGet(100);
                    return null;
                });
            });
            f.iterate(2);

            assertTrue(outer.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertFalse(gatherer.get().cancel());
            assertTrue(gatherer.get().isCancelled(), "cancelled from outside, the gather ends cancelled");
            assertTrue(waiter.isCancelled());
            assertTrue(child1.isCancelled());
            assertTrue(child2.isCancelled());
            f.iterate(1);
            assertEquals(0, proof.get());
        }
    }

    @Test
    void cancellingGatherCancelsOnlyTheChildrenStillPending() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> done = f.later(0, "done");
            f.iterate(1);
            Future<String> pending = f.loop.createFuture();
            Future<Void> sleeping = Async.sleep(Duration.ofSeconds(10));
            Future<List<Object>> g = Async.gather(done, pending, sleeping);

            assertTrue(g.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(g));

            assertTrue(g.isCancelled());
            assertEquals("done", done.result());
            assertTrue(pending.isCancelled());
            assertTrue(sleeping.isCancelled());
            assertFalse(g.cancel());
        }
    }

    // ------------------------------------------------------------------ E.48

    @Test
    void gatherRefusesACancelOnceEveryChildIsDoneEvenFromAChildsDoneCallback() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> fut = f.loop.createFuture();
            Future<Integer> child = fut.map(v -> v); // the indirection makes the child finish one step after fut
            Future<List<Integer>> g = Async.gather(child);
            List<Boolean> cancelResult = new ArrayList<>();
            fut.onDone(done -> {
                assertTrue(child.isDone(), "ran after the child finished, before gather saw it");
                assertFalse(g.isDone());
                cancelResult.add(g.cancel());
            });

            fut.complete(42);

            assertEquals(List.of(42), f.loop.runUntilComplete(g));
            assertEquals(List.of(false), cancelResult);
            assertFalse(g.isCancelled());
        }
    }

    @Test
    void gatherOfDoneChildrenRefusesACancelBeforeItsCallbacksRun() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Future<String> b = f.loop.createFuture();
            a.complete("a");
            b.complete("b");
            Future<List<String>> g = Async.gather(a, b);

            assertFalse(g.isDone());
            assertFalse(g.cancel());

            assertEquals(List.of("a", "b"), f.loop.runUntilComplete(g));
        }
    }

    // ------------------------------------------------------------------ E.49

    @Test
    void theSameFutureTwiceRunsOnceAndIsReportedAtEachPosition() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger runs = new AtomicInteger();
            Task<String> t = f.loop.createTask(() -> {
                runs.incrementAndGet();
                return Async.sleep(Duration.ofSeconds(1), "x");
            });
            Future<String> other = f.later(500, "y");

            assertEquals(List.of("x", "y", "x"), f.loop.runUntilComplete(Async.gather(t, other, t)));
            assertEquals(1, runs.get());
        }
    }

    @Test
    void aDuplicatedFailingChildFailsGatherOnce() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("once");
            Future<String> bad = f.failingLater(100, failure);
            Future<List<Future<String>>> settled = Async.gatherSettled(bad, bad);

            List<Future<String>> outcomes = f.loop.runUntilComplete(settled);

            assertEquals(2, outcomes.size());
            assertSame(bad, outcomes.get(0));
            assertSame(bad, outcomes.get(1));
            assertSame(failure, outcomes.get(0).exception());
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void futuresOfTwoLoopsAreRefused() {
        try (FakeLoop other = new FakeLoop(); FakeLoop f = new FakeLoop()) {
            Future<String> mine = f.loop.createFuture();
            Future<String> theirs = other.loop.createFuture();

            assertThrows(IllegalArgumentException.class, () -> Async.gather(mine, theirs));
            assertThrows(IllegalArgumentException.class, () -> Async.gather(List.of(mine, theirs)));
            assertThrows(IllegalArgumentException.class, () -> Async.gatherSettled(mine, theirs));
            assertFalse(mine.isDone());
            assertFalse(theirs.isDone());
        }
    }

    @Test
    void nullArgumentsAreRefused() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> ok = f.loop.createFuture();

            assertThrows(NullPointerException.class, () -> Async.gather((Collection<Future<String>>) null));
            assertThrows(NullPointerException.class, () -> Async.gather((Future<String>[]) null));
            assertThrows(NullPointerException.class, () -> Async.gather(ok, null));
            assertThrows(NullPointerException.class, () -> Async.gather(Arrays.asList(ok, null)));
            assertThrows(NullPointerException.class, () -> Async.gatherSettled((Collection<Future<String>>) null));
            assertThrows(NullPointerException.class, () -> Async.gatherSettled(Arrays.asList(ok, null)));
        }
    }
}
