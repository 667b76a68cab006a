package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS C, and the semantics of map / then / recover / exceptionally / ensure (DESIGN 4). */
class FutureTest {

    // ------------------------------------------------------------------ C.24 pending

    @Test
    void resultAndExceptionOfAPendingFutureThrowIllegalState() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            assertFalse(p.isDone());
            assertFalse(p.isCancelled());
            assertThrows(IllegalStateException.class, p::result);
            assertThrows(IllegalStateException.class, p::exception);
            assertFalse(p.isDone());
        }
    }

    // ------------------------------------------------------------------ C.25 once

    @Test
    void completeTwiceReturnsFalseAndKeepsTheFirstValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            assertTrue(p.complete("first"));
            assertFalse(p.complete("second"));
            assertFalse(p.fail(new IllegalStateException("late")));
            assertFalse(p.cancel());
            assertFalse(p.cancel("late"));
            assertEquals("first", p.result());
            assertNull(p.exception());
            assertFalse(p.isCancelled());
        }
    }

    @Test
    void aFailedFutureStaysFailed() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            IllegalStateException first = new IllegalStateException("first");
            assertTrue(p.fail(first));
            assertFalse(p.fail(new IllegalStateException("second")));
            assertFalse(p.complete("value"));
            assertFalse(p.cancel());
            assertSame(first, p.exception());
        }
    }

    @Test
    void aCancelledFutureStaysCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            assertTrue(p.cancel("why"));
            assertFalse(p.cancel());
            assertFalse(p.complete("value"));
            assertFalse(p.fail(new IllegalStateException()));
            assertTrue(p.isCancelled());
            assertTrue(p.isDone());
            assertEquals("why", assertThrows(CancellationException.class, p::result).getMessage());
        }
    }

    @Test
    void doneCallbacksRunOnceEvenIfCompletionIsAttemptedAgain() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            List<String> log = new ArrayList<>();
            p.onDone(d -> log.add(d.result()));
            p.complete("a");
            p.complete("b");
            p.cancel();
            f.iterate(3);
            assertEquals(List.of("a"), log);
        }
    }

    // ------------------------------------------------------------------ C.26 outcomes

    @Test
    void cancelledFutureThrowsCancellationFromResultAndException() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            p.cancel("stop it");
            CancellationException fromResult = assertThrows(CancellationException.class, p::result);
            CancellationException fromException = assertThrows(CancellationException.class, p::exception);
            assertEquals("stop it", fromResult.getMessage());
            assertEquals("stop it", fromException.getMessage());
        }
    }

    @Test
    void failedFutureRethrowsTheSameUncheckedInstance() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            p.fail(boom);
            assertSame(boom, assertThrows(IllegalArgumentException.class, p::result));
            assertSame(boom, assertThrows(IllegalArgumentException.class, p::result));
            assertSame(boom, p.exception());
            assertFalse(p.isCancelled());
        }
    }

    @Test
    void failedFutureWrapsACheckedFailureInCompletionException() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            IOException io = new IOException("disk");
            p.fail(io);
            assertSame(io, assertThrows(CompletionException.class, p::result).getCause());
            assertSame(io, p.exception());
        }
    }

    @Test
    void failingWithAnErrorRethrowsTheError() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            StackOverflowError e = new StackOverflowError("deep");
            p.fail(e);
            assertSame(e, assertThrows(StackOverflowError.class, p::result));
        }
    }

    // ------------------------------------------------------------------ C.27 callbacks

    @Test
    void doneCallbacksAreScheduledNotCalledInline() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            p.onDone(d -> log.add("callback"));
            f.loop.callSoon(() -> log.add("queued before completion"));
            p.complete("v");
            assertEquals(List.of(), log, "complete() must not call the callbacks");
            f.iterate(1);
            assertEquals(List.of("queued before completion", "callback"), log);
        }
    }

    @Test
    void doneCallbacksRunInRegistrationOrderOnceEach() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            for (int i = 0; i < 10; i++) {
                int n = i;
                p.onDone(d -> log.add(n));
            }
            p.fail(new IllegalStateException());
            f.iterate(1);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), log);
            f.iterate(3);
            assertEquals(10, log.size());
        }
    }

    @Test
    void callbackAddedToADoneFutureIsScheduledSoon() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            p.complete("v");
            f.iterate(1);
            p.onDone(d -> log.add("late " + d.result()));
            assertEquals(List.of(), log, "onDone on a done future must not call inline");
            f.iterate(1);
            assertEquals(List.of("late v"), log);
        }
    }

    @Test
    void callbacksOfAFutureCompletedByACallbackRunOnTheNextIteration() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            p.onDone(d -> log.add("done callback"));
            f.loop.callSoon(() -> {
                p.complete("v");
                log.add("completed");
            });
            f.loop.callSoon(() -> log.add("same iteration"));
            f.iterate(1);
            assertEquals(List.of("completed", "same iteration"), log);
            f.iterate(1);
            assertEquals(List.of("completed", "same iteration", "done callback"), log);
        }
    }

    @Test
    void callbackSeesTheFutureItIsRegisteredOn() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            List<Future<String>> seen = new ArrayList<>();
            assertSame(p, p.onDone(seen::add));
            p.cancel();
            f.iterate(1);
            assertEquals(1, seen.size());
            assertSame(p, seen.get(0));
        }
    }

    // ------------------------------------------------------------------ C.28 removal

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            Consumer<Future<String>> twice = d -> log.add("removed one");
            Consumer<Future<String>> kept = d -> log.add("kept");
            p.onDone(twice);
            p.onDone(kept);
            p.onDone(twice);
            p.onDone(twice);
            assertEquals(3, p.removeDoneCallback(twice));
            assertEquals(0, p.removeDoneCallback(twice));
            p.complete("v");
            f.iterate(2);
            assertEquals(List.of("kept"), log);
        }
    }

    @Test
    void removeDoneCallbackOfTheOnlyRegistration() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            Consumer<Future<String>> only = d -> log.add("only");
            assertEquals(0, p.removeDoneCallback(only));
            p.onDone(only);
            assertEquals(1, p.removeDoneCallback(only));
            p.complete("v");
            f.iterate(2);
            assertEquals(List.of(), log);
        }
    }

    @Test
    void callbacksMayChangeTheCallbackListWhileTheyRun() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> p = f.loop.createFuture();
            Consumer<Future<String>> second = d -> log.add("second");
            p.onDone(d -> {
                log.add("first");
                log.add("removed " + d.removeDoneCallback(second)); // already scheduled: nothing to remove
                d.onDone(x -> log.add("added while running"));
            });
            p.onDone(second);
            p.complete("v");
            f.iterate(1);
            assertEquals(List.of("first", "removed 0", "second"), log);
            f.iterate(1);
            assertEquals(List.of("first", "removed 0", "second", "added while running"), log);
        }
    }

    // ------------------------------------------------------------------ C.29 unretrieved

    @Test
    void aFailureNobodyRetrievedIsReportedAtClose() {
        FakeLoop f = new FakeLoop();
        Future<String> lost = f.loop.createFuture();
        IOException error = new IOException("nobody looked");
        lost.fail(error);
        assertTrue(f.errors.isEmpty());
        f.loop.close();
        assertEquals(1, f.errors.size(), f.errors::toString);
        ErrorContext c = f.errors.get(0);
        assertEquals("Future exception was never retrieved", c.message());
        assertSame(error, c.exception());
        assertSame(lost, c.future());
    }

    @Test
    void aTaskFailureNobodyRetrievedIsReportedAtClose() {
        FakeLoop f = new FakeLoop();
        IllegalStateException error = new IllegalStateException("task failed");
        Task<String> t = f.loop.createTask("lonely", () -> Async.yieldNow().map(v -> {
            throw error;
        }));
        f.iterate(4);
        assertTrue(t.isDone());
        f.loop.close();
        assertEquals(1, f.errors.size(), f.errors::toString);
        assertEquals("Task exception was never retrieved", f.errors.get(0).message());
        assertSame(error, f.errors.get(0).exception());
        assertSame(t, f.errors.get(0).task());
    }

    @Test
    void retrievingTheFailureSuppressesTheReport() {
        FakeLoop f = new FakeLoop();
        Future<String> viaException = f.loop.createFuture();
        viaException.fail(new IllegalStateException("seen by exception()"));
        assertTrue(viaException.exception() instanceof IllegalStateException);
        Future<String> viaResult = f.loop.createFuture();
        viaResult.fail(new IllegalStateException("seen by result()"));
        assertThrows(IllegalStateException.class, viaResult::result);
        Future<String> awaited = f.loop.createFuture();
        Future<String> handled = awaited.recover(IllegalStateException.class, e -> Async.completed("handled"));
        awaited.fail(new IllegalStateException("seen by a continuation"));
        f.iterate(3);
        assertEquals("handled", handled.result());
        f.loop.close();
        assertEquals(List.of(), f.errors);
    }

    @Test
    void anUnretrievedValueOrCancellationIsNeverReported() {
        FakeLoop f = new FakeLoop();
        f.loop.<String>createFuture().complete("ignored");
        f.loop.<String>createFuture().cancel();
        f.loop.createTask(() -> Async.completed("ignored too"));
        f.iterate(3);
        f.loop.close();
        assertEquals(List.of(), f.errors);
    }

    @Test
    void aFailureAwaitedRightAfterItFailedIsNeverReportedThoughTheLoopNeverGoesIdle() {
        // A server's idle timers keep its loop from going idle, so such failures pile up to the
        // bound: a read on a reset connection returns a failed future, awaited a statement later.
        FakeLoop f = new FakeLoop();
        f.loop.callLater(Duration.ofHours(1), () -> { });
        for (int i = 0; i < 3000; i++) {
            Future<String> read = f.loop.createFuture();
            read.fail(new IOException("Connection reset by peer"));
            read.recover(IOException.class, e -> Async.completed("gone"));
            if (i % 100 == 0) {
                f.iterate(1);
            }
        }
        assertEquals(List.of(), f.errors);
        f.loop.close();
        assertEquals(List.of(), f.errors);
    }

    @Test
    void failuresNobodyLooksAtAreReportedOnce1024PileUpThoughTheLoopNeverGoesIdle() {
        FakeLoop f = new FakeLoop();
        f.loop.callLater(Duration.ofHours(1), () -> { });
        for (int i = 0; i < 1025; i++) {
            f.loop.createFuture().fail(new IOException("dropped " + i));
        }
        f.iterate(1);
        assertEquals(1024, f.errors.size());
        assertEquals("Future exception was never retrieved", f.errors.get(0).message());
        f.loop.close();
        assertEquals(1025, f.errors.size());
    }

    // ------------------------------------------------------------------ C.30 bad awaits

    @Test
    void aTaskAwaitingAFutureOfAnotherLoopFailsWithIllegalState() {
        try (FakeLoop f = new FakeLoop(); FakeLoop other = new FakeLoop()) {
            Future<String> foreign = other.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> foreign);
            assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.exception() instanceof IllegalStateException);
            Future<String> chained = f.loop.<String>createFuture();
            Future<String> derived = chained.then(v -> foreign);
            chained.complete("x");
            f.iterate(2);
            assertTrue(derived.exception() instanceof IllegalStateException);
            assertFalse(foreign.isDone());
        }
    }

    @Test
    void aTaskAwaitingItselfFailsWithIllegalState() {
        try (FakeLoop f = new FakeLoop()) {
            List<Task<String>> self = new ArrayList<>();
            Task<String> t = f.loop.createTask(() -> self.get(0));
            self.add(t);
            assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t));
            assertTrue(t.isDone());
            assertTrue(t.exception() instanceof IllegalStateException);
        }
    }

    @Test
    void aContinuationReturningNullFailsTheDerivedFuture() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> derived = Async.completed("x").then(v -> null);
            f.iterate(3);
            assertTrue(derived.exception() instanceof NullPointerException, String.valueOf(derived));
        }
    }

    // ------------------------------------------------------------------ C.31 task outcomes

    @Test
    void aTasksOutcomeCannotBeSetFromOutside() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> gate = f.loop.createFuture();
            Task<String> t = f.loop.createTask(() -> gate.map(v -> "body " + v));
            assertThrows(IllegalStateException.class, () -> t.complete("outside"));
            assertThrows(IllegalStateException.class, () -> t.fail(new IOException("outside")));
            f.iterate(2);
            assertFalse(t.isDone());
            gate.complete("ran");
            assertEquals("body ran", f.loop.runUntilComplete(t));
            assertThrows(IllegalStateException.class, () -> t.complete("after"));
            assertEquals("body ran", t.result());
        }
    }

    // ------------------------------------------------------------------ map / then

    @Test
    void mapAppliesItsFunctionToTheValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> p = f.loop.createFuture();
            Future<String> m = p.map(v -> "n=" + (v + 1));
            p.complete(41);
            assertEquals("n=42", f.loop.runUntilComplete(m));
        }
    }

    @Test
    void mapAndThenPassFailuresAndCancellationThroughWithoutCallingTheirFunction() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<Integer> failing = f.loop.createFuture();
            Future<Integer> cancelled = f.loop.createFuture();
            Future<String> m1 = failing.map(v -> { log.add("map ran"); return "x"; });
            Future<String> t1 = failing.then(v -> { log.add("then ran"); return Async.completed("x"); });
            Future<String> m2 = cancelled.map(v -> { log.add("map ran"); return "x"; });
            Future<String> t2 = cancelled.then(v -> { log.add("then ran"); return Async.completed("x"); });
            IllegalStateException boom = new IllegalStateException("boom");
            failing.fail(boom);
            cancelled.cancel();
            f.iterate(3);
            assertEquals(List.of(), log);
            assertSame(boom, m1.exception());
            assertSame(boom, t1.exception());
            assertTrue(m2.isCancelled());
            assertTrue(t2.isCancelled());
        }
    }

    @Test
    void thenWaitsForTheFutureItsFunctionReturns() {
        try (FakeLoop f = new FakeLoop()) {
            long start = f.clock.nanoTime();
            Future<String> chain = Async.sleep(Duration.ofSeconds(1), "a")
                    .then(a -> Async.sleep(Duration.ofSeconds(2), a + "b"))
                    .then(ab -> Async.sleep(Duration.ofSeconds(3), ab + "c"));
            assertEquals("abc", f.loop.runUntilComplete(chain));
            assertEquals(6000, f.elapsedMillis(start));
        }
    }

    @Test
    void continuationsNeverRunInline() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> done = Async.completed("v");
            done.map(v -> log.add("map on a done future"));
            done.then(v -> { log.add("then on a done future"); return Async.completed(v); });
            done.ensure(() -> log.add("ensure on a done future"));
            Future<String> p = f.loop.createFuture();
            p.map(v -> log.add("map"));
            p.complete("v");
            Future<String> failed = f.loop.createFuture();
            failed.recover(IllegalStateException.class, e -> { log.add("recover"); return Async.completed("r"); });
            failed.fail(new IllegalStateException());
            assertEquals(List.of(), log);
            f.iterate(1);
            assertEquals(5, log.size(), log::toString);
        }
    }

    @Test
    void aCheckedExceptionThrownInAContinuationFailsTheDerivedFuture() {
        try (FakeLoop f = new FakeLoop()) {
            IOException fromMap = new IOException("map");
            IOException fromThen = new IOException("then");
            Exception fromRecover = new Exception("recover");
            Future<String> m = Async.completed("v").map(v -> { throw fromMap; });
            Future<String> t = Async.completed("v").then(v -> { throw fromThen; });
            Future<String> r = Async.<String>failed(new IllegalStateException("source"))
                    .recover(IllegalStateException.class, e -> { throw fromRecover; });
            f.iterate(3);
            assertSame(fromMap, m.exception());
            assertSame(fromThen, t.exception());
            assertSame(fromRecover, r.exception());
            assertSame(fromMap, assertThrows(CompletionException.class, m::result).getCause());
            assertTrue(f.errors.isEmpty(), "a continuation's throw belongs to its future, not the handler");
        }
    }

    // ------------------------------------------------------------------ recover

    @Test
    void recoverCatchesOnlyTheNamedTypeAndItsSubtypes() {
        try (FakeLoop f = new FakeLoop()) {
            List<Throwable> caught = new ArrayList<>();
            FileNotFoundException missing = new FileNotFoundException("missing");
            IllegalStateException other = new IllegalStateException("other");
            Future<String> sub = Async.<String>failed(missing)
                    .recover(IOException.class, e -> { caught.add(e); return Async.completed("recovered"); });
            Future<String> unrelated = Async.<String>failed(other)
                    .recover(IOException.class, e -> { caught.add(e); return Async.completed("wrong"); });
            Future<String> value = Async.completed("value")
                    .recover(Exception.class, e -> { caught.add(e); return Async.completed("wrong"); });
            f.iterate(3);
            assertEquals("recovered", sub.result());
            assertSame(other, unrelated.exception());
            assertEquals("value", value.result());
            assertEquals(List.of(missing), caught);
        }
    }

    @Test
    void recoverCatchesCancellationOnlyWhenAskedForByCancellationException() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> byException = cancelledSource(f)
                    .recover(Exception.class, e -> { log.add("Exception"); return Async.completed("wrong"); });
            Future<String> byThrowable = cancelledSource(f)
                    .recover(Throwable.class, e -> { log.add("Throwable"); return Async.completed("wrong"); });
            Future<String> byRuntime = cancelledSource(f)
                    .recover(RuntimeException.class, e -> { log.add("RuntimeException"); return Async.completed("wrong"); });
            Future<String> byIllegalState = cancelledSource(f)
                    .recover(IllegalStateException.class, e -> { log.add("IllegalState"); return Async.completed("wrong"); });
            Future<String> byName = cancelledSource(f)
                    .recover(CancellationException.class, e -> { log.add("by name: " + e.getMessage()); return Async.completed("caught"); });
            f.iterate(3);
            assertEquals(List.of("by name: because"), log);
            assertTrue(byException.isCancelled());
            assertTrue(byThrowable.isCancelled());
            assertTrue(byRuntime.isCancelled());
            assertTrue(byIllegalState.isCancelled());
            assertEquals("caught", byName.result());
        }
    }

    // ------------------------------------------------------------------ exceptionally

    @Test
    void exceptionallyReplacesTheNamedFailureWithAPlainValue() {
        try (FakeLoop f = new FakeLoop()) {
            List<Throwable> caught = new ArrayList<>();
            FileNotFoundException missing = new FileNotFoundException("missing");
            IllegalStateException other = new IllegalStateException("other");
            Future<String> fallback = Async.<String>failed(missing).exceptionally(IOException.class, e -> "fallback");
            Future<String> sub = Async.<String>failed(missing)
                    .exceptionally(IOException.class, e -> { caught.add(e); return "recovered"; });
            Future<String> unrelated = Async.<String>failed(other)
                    .exceptionally(IOException.class, e -> { caught.add(e); return "wrong"; });
            Future<String> value = Async.completed("value")
                    .exceptionally(Exception.class, e -> { caught.add(e); return "wrong"; });
            f.iterate(3);
            assertEquals("fallback", fallback.result());
            assertEquals("recovered", sub.result());
            assertSame(other, unrelated.exception());
            assertEquals("value", value.result());
            assertEquals(List.of(missing), caught);
        }
    }

    @Test
    void exceptionallyReplacesCancellationOnlyWhenAskedForByCancellationException() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> byException = cancelledSource(f)
                    .exceptionally(Exception.class, e -> { log.add("Exception"); return "wrong"; });
            Future<String> byThrowable = cancelledSource(f)
                    .exceptionally(Throwable.class, e -> { log.add("Throwable"); return "wrong"; });
            Future<String> byIllegalState = cancelledSource(f)
                    .exceptionally(IllegalStateException.class, e -> { log.add("IllegalState"); return "wrong"; });
            Future<String> byName = cancelledSource(f)
                    .exceptionally(CancellationException.class, e -> { log.add("by name: " + e.getMessage()); return "caught"; });
            f.iterate(3);
            assertEquals(List.of("by name: because"), log);
            assertTrue(byException.isCancelled());
            assertTrue(byThrowable.isCancelled());
            assertTrue(byIllegalState.isCancelled());
            assertEquals("caught", byName.result());
        }
    }

    @Test
    void cancellingAnExceptionallyCancelsItsSourceAndMayBeCaughtByName() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> slow = Async.sleep(Duration.ofHours(1), "late");
            Future<String> notCaught = slow.exceptionally(IOException.class, e -> "wrong");
            Future<String> slower = Async.sleep(Duration.ofHours(2), "late");
            Future<String> caught = slower.exceptionally(CancellationException.class, e -> "gave up");
            notCaught.cancel();
            caught.cancel();
            f.iterate(3);
            assertTrue(slow.isCancelled());
            assertTrue(notCaught.isCancelled());
            assertTrue(slower.isCancelled());
            assertEquals("gave up", caught.result(), "a continuation that catches the cancel goes on, as in asyncio");
        }
    }

    @Test
    void aThrowFromExceptionallyFailsTheResult() {
        try (FakeLoop f = new FakeLoop()) {
            IOException again = new IOException("again");
            Future<String> r = Async.<String>failed(new IOException("first"))
                    .exceptionally(IOException.class, e -> { throw again; });
            f.iterate(2);
            assertSame(again, r.exception());
            assertTrue(f.errors.isEmpty());
        }
    }

    private static Future<String> cancelledSource(FakeLoop f) {
        Future<String> source = f.loop.createFuture();
        source.cancel("because");
        return source;
    }

    @Test
    void aFailureWithACancellationExceptionEndsTheChainCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> source = f.loop.createFuture();
            Future<String> derived = source.map(v -> v + "!").recover(IOException.class, e -> Async.completed("io"));
            source.fail(new CancellationException("as a failure"));
            assertFalse(source.isCancelled());
            f.iterate(3);
            assertTrue(derived.isCancelled());
        }
    }

    // ------------------------------------------------------------------ ensure

    @Test
    void ensureRunsOnSuccessFailureAndCancelAndKeepsTheOutcome() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Future<String> ok = Async.completed("ok").ensure(() -> log.add("after ok"));
            Future<String> failed = Async.<String>failed(boom).ensure(() -> log.add("after failure"));
            Future<String> source = f.loop.createFuture();
            Future<String> cancelled = source.ensure(() -> log.add("after cancel"));
            source.cancel();
            f.iterate(3);
            assertEquals(3, log.size(), log::toString);
            assertTrue(log.containsAll(List.of("after ok", "after failure", "after cancel")));
            assertEquals("ok", ok.result());
            assertSame(boom, failed.exception());
            assertTrue(cancelled.isCancelled());
        }
    }

    @Test
    void ensureOfADerivedFutureRunsWhenTheDerivedIsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<Void> sleep = Async.sleep(Duration.ofSeconds(10));
            Future<Void> guarded = sleep.ensure(() -> log.add("cleanup"));
            f.loop.callLater(Duration.ofSeconds(1), guarded::cancel);
            long start = f.clock.nanoTime();
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(guarded));
            assertEquals(List.of("cleanup"), log);
            assertTrue(sleep.isCancelled(), "cancelling the derived future cancels what it waits on");
            assertEquals(1000, f.elapsedMillis(start));
        }
    }

    @Test
    void aThrowingCleanupReplacesTheOutcome() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException cleanupError = new IllegalStateException("cleanup");
            Future<String> afterOk = Async.completed("ok").ensure((Runnable) () -> { throw cleanupError; });
            Future<String> afterFailure = Async.<String>failed(new IOException("original"))
                    .ensure((Runnable) () -> { throw cleanupError; });
            f.iterate(3);
            assertSame(cleanupError, afterOk.exception());
            assertSame(cleanupError, afterFailure.exception());
        }
    }

    @Test
    void ensureWithAFutureWaitsForTheCleanupBeforeFinishing() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            long start = f.clock.nanoTime();
            Future<String> guarded = Async.sleep(Duration.ofSeconds(1), "value")
                    .ensure(() -> Async.sleep(Duration.ofSeconds(2)).map(v -> log.add("cleanup finished")));
            guarded.onDone(d -> log.add("guarded done"));
            assertEquals("value", f.loop.runUntilComplete(guarded));
            assertEquals(3000, f.elapsedMillis(start));
            f.iterate(1);
            assertEquals(List.of("cleanup finished", "guarded done"), log);
        }
    }

    @Test
    void aFailingOrCancelledCleanupFutureWins() {
        try (FakeLoop f = new FakeLoop()) {
            IOException cleanupError = new IOException("cleanup");
            Future<String> failedCleanup = Async.completed("value")
                    .ensure(() -> Async.failed(cleanupError));
            Supplier<Future<Void>> cancelledCleanup = () -> {
                Future<Void> c = f.loop.createFuture();
                c.cancel();
                return c;
            };
            Future<String> cancelled = Async.completed("value").ensure(cancelledCleanup);
            Future<String> throwingSupplier = Async.completed("value")
                    .ensure((Supplier<Future<Void>>) () -> { throw new IllegalStateException("supplier"); });
            f.iterate(4);
            assertSame(cleanupError, failedCleanup.exception());
            assertTrue(cancelled.isCancelled());
            assertEquals("supplier", throwingSupplier.exception().getMessage());
        }
    }

    // ------------------------------------------------------------------ cancellation of a chain

    @Test
    void cancellingADerivedFutureCancelsTheFutureItWaitsOn() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> source = f.loop.createFuture();
            Future<String> derived = source.map(v -> { log.add("ran"); return v; });
            assertTrue(derived.cancel());
            assertTrue(source.isCancelled());
            f.iterate(2);
            assertTrue(derived.isCancelled());
            assertEquals(List.of(), log);
        }
    }

    @Test
    void aCancelArrivingAfterTheSourceCompletedStillCancelsAndSkipsTheContinuation() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Future<String> source = f.loop.createFuture();
            Future<String> derived = source.map(v -> { log.add("ran"); return v; });
            source.complete("v"); // the continuation is scheduled, not run
            assertTrue(derived.cancel());
            f.iterate(2);
            assertTrue(derived.isCancelled());
            assertEquals("v", source.result());
            assertEquals(List.of(), log);
        }
    }

    // ------------------------------------------------------------------ stack safety

    @Test
    void aMillionChainedThensDoNotOverflowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> head = f.loop.createFuture();
            Future<Integer> chain = head;
            for (int i = 0; i < 1_000_000; i++) {
                chain = chain.then(v -> Async.completed(v + 1));
            }
            head.complete(0);
            assertEquals(1_000_000, f.loop.runUntilComplete(chain));
        }
    }

    @Test
    void aMillionNestedThensDoNotOverflowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals(0, f.loop.runUntilComplete(countDown(1_000_000)));
        }
    }

    /** A recursive async function: each level awaits the next one. */
    private static Future<Integer> countDown(int n) {
        if (n == 0) {
            return Async.completed(0);
        }
        return Async.completed(n).then(v -> countDown(v - 1));
    }

    @Test
    void aRepeatOfAMillionStepsDoesNotOverflowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            int[] steps = {0};
            Future<Void> loop = Async.repeat(() -> Async.completed(++steps[0] < 1_000_000));
            assertNull(f.loop.runUntilComplete(loop));
            assertEquals(1_000_000, steps[0]);
        }
    }

    @Test
    void cancellingAMillionChainedThensDoesNotOverflowTheStack() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Integer> head = f.loop.createFuture();
            Future<Integer> chain = head;
            for (int i = 0; i < 1_000_000; i++) {
                chain = chain.then(v -> Async.completed(v + 1));
            }
            assertTrue(chain.cancel());
            assertTrue(head.isCancelled(), "the cancel must reach the future at the start of the chain");
            Future<Integer> end = chain;
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(end));
            assertTrue(end.isCancelled());
        }
    }

    @Test
    void cancellingAMillionLevelRecursionReachesTheInnermostSleepWithoutOverflow() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> reachedBottom = f.loop.createFuture();
            List<Future<Integer>> bottom = new ArrayList<>();
            Future<Integer> top = descend(1_000_000, reachedBottom, bottom);
            f.loop.runUntilComplete(reachedBottom);
            long start = f.clock.nanoTime();
            assertTrue(top.cancel());
            assertTrue(bottom.get(0).isCancelled());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(top));
            assertTrue(top.isCancelled());
            assertEquals(0, f.elapsedMillis(start));
        }
    }

    /** Recurses {@code n} levels through then, then sleeps for an hour at the bottom. */
    private static Future<Integer> descend(int n, Future<Void> reachedBottom, List<Future<Integer>> bottom) {
        if (n == 0) {
            Future<Integer> sleep = Async.sleep(Duration.ofHours(1), 0);
            bottom.add(sleep);
            reachedBottom.complete(null);
            return sleep;
        }
        return Async.completed(n).then(v -> descend(v - 1, reachedBottom, bottom));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void nullArgumentsAreRejectedByName() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            assertEquals("callback", assertThrows(NullPointerException.class, () -> p.onDone(null)).getMessage());
            assertEquals("fn", assertThrows(NullPointerException.class, () -> p.map(null)).getMessage());
            assertEquals("fn", assertThrows(NullPointerException.class, () -> p.then(null)).getMessage());
            assertEquals("type", assertThrows(NullPointerException.class,
                    () -> p.recover(null, e -> Async.completed("x"))).getMessage());
            assertEquals("fn", assertThrows(NullPointerException.class,
                    () -> p.recover(IOException.class, null)).getMessage());
            assertEquals("type", assertThrows(NullPointerException.class,
                    () -> p.exceptionally(null, e -> "x")).getMessage());
            assertEquals("fn", assertThrows(NullPointerException.class,
                    () -> p.exceptionally(IOException.class, null)).getMessage());
            assertEquals("cleanup", assertThrows(NullPointerException.class,
                    () -> p.ensure((Runnable) null)).getMessage());
            assertEquals("cleanup", assertThrows(NullPointerException.class,
                    () -> p.ensure((Supplier<Future<Void>>) null)).getMessage());
            assertEquals("error", assertThrows(NullPointerException.class, () -> p.fail(null)).getMessage());
            assertEquals("step", assertThrows(NullPointerException.class, () -> Async.repeat(null)).getMessage());
            assertEquals("error", assertThrows(NullPointerException.class, () -> Async.failed(null)).getMessage());
            assertFalse(p.isDone());
            assertEquals(0, f.loop.readyCount());
        }
    }

    @Test
    void aNullValueIsAValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> p = f.loop.createFuture();
            assertTrue(p.complete(null));
            assertTrue(p.isDone());
            assertNull(p.result());
            assertNull(p.exception());
            assertFalse(p.complete("later"));
        }
    }
}
