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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS E.49–E.51: {@link Async#wait} and {@link Async#asCompleted}. */
class WaitTest {



    // ------------------------------------------------------------------ E.50 wait

    @Test
    void allCompletedWaitsForEveryFuture() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.later(1000, "a");
            Future<String> b = f.failingLater(2000, new IOException("b"));
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null));

            assertEquals(2000, f.elapsedMillis(start));
            assertEquals(List.of(a, b), new ArrayList<>(r.done()));
            assertEquals(Set.of(), r.pending());
        }
    }

    @Test
    void firstCompletedReturnsOnTheFirstAndLeavesTheOthersRunning() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> slow = f.later(10_000, "slow");
            Future<String> fast = f.later(1000, "fast");
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(slow, fast), ReturnWhen.FIRST_COMPLETED, null));

            assertEquals(1000, f.elapsedMillis(start));
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.isDone(), "wait never cancels what is pending");
            assertEquals("slow", f.loop.runUntilComplete(slow));
        }
    }

    @Test
    void aCancelledFutureCountsAsCompletedForFirstCompleted() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> cancelled = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(300), cancelled::cancel);
            Future<String> slow = f.later(10_000, "slow");
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(cancelled, slow), ReturnWhen.FIRST_COMPLETED, null));

            assertEquals(300, f.elapsedMillis(start));
            assertEquals(Set.of(cancelled), r.done());
        }
    }

    @Test
    void firstExceptionReturnsOnTheFirstFailure() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> ok = f.later(500, "ok");
            Future<String> bad = f.failingLater(1000, new IOException("bad"));
            Future<String> slow = f.later(10_000, "slow");
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(ok, bad, slow), ReturnWhen.FIRST_EXCEPTION, null));

            assertEquals(1000, f.elapsedMillis(start), "a value alone did not end the wait; the failure did");
            assertEquals(List.of(ok, bad), new ArrayList<>(r.done()));
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.isDone());
        }
    }

    @Test
    void firstExceptionWithoutAFailureWaitsForAllAndACancelIsNotAFailure() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> cancelled = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(500), cancelled::cancel);
            Future<String> ok = f.later(2000, "ok");
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(cancelled, ok), ReturnWhen.FIRST_EXCEPTION, null));

            assertEquals(2000, f.elapsedMillis(start));
            assertEquals(Set.of(cancelled, ok), r.done());
            assertEquals(Set.of(), r.pending());
        }
    }

    @Test
    void aTimeoutReturnsAtTheDeadlineWithoutCancellingWhatIsPending() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fast = f.later(1000, "fast");
            Future<String> slow = f.later(10_000, "slow");
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(
                    Async.wait(List.of(fast, slow), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(5)));

            assertEquals(5000, f.elapsedMillis(start));
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertFalse(slow.isCancelled());
            assertEquals("slow", f.loop.runUntilComplete(slow));
        }
    }

    @Test
    void aTimeoutWithNothingDoneReturnsEverythingPending() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> never = f.loop.createFuture();
            long start = f.clock.nanoTime();

            WaitResult<String> r = f.loop.runUntilComplete(
                    Async.wait(List.of(never), ReturnWhen.FIRST_COMPLETED, Duration.ofMillis(250)));

            assertEquals(250, f.elapsedMillis(start));
            assertEquals(Set.of(), r.done());
            assertEquals(Set.of(never), r.pending());
            assertFalse(never.isDone());
        }
    }

    @Test
    void finishingBeforeTheTimeoutCancelsItsTimer() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fast = f.later(1000, "fast");

            f.loop.runUntilComplete(Async.wait(List.of(fast), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(60)));
            f.iterate(1);

            assertEquals(0, f.loop.timerCount(), "the 60 s timer is gone");
        }
    }

    @Test
    void futuresDoneButNotYetSeenAreReportedDone() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Future<String> b = f.loop.createFuture();
            Future<WaitResult<String>> w = Async.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null);
            f.loop.callSoon(() -> {
                a.complete("a");
                b.complete("b"); // done in the same iteration, its callback not yet run
            });

            WaitResult<String> r = f.loop.runUntilComplete(w);

            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
        }
    }

    @Test
    void tasksDoneInTheSameIterationAreAllReportedDone() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> a = f.loop.createTask(Async::yieldNow);
            Task<Void> b = f.loop.createTask(Async::yieldNow);
            Task<WaitResult<Void>> waiter = f.loop.createTask(() -> Async.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null));

            WaitResult<Void> r = f.loop.runUntilComplete(waiter);

            assertEquals(Set.of(a, b), r.done(), "b finished in the same iteration as a, before the wait looked");
            assertEquals(Set.of(), r.pending());
        }
    }

    @Test
    void cancellingTheWaitCancelsNoneOfTheFutures() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.loop.createFuture();
            Future<Void> b = Async.sleep(Duration.ofSeconds(10));
            @SuppressWarnings({"unchecked", "rawtypes"})
            Future<WaitResult<Object>> w = Async.wait((List) List.of(a, b), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(5));
            Task<Object> waiter = f.loop.createTask(() -> w.map(r -> (Object) r));
            f.iterate(1);

            assertTrue(waiter.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(waiter));

            assertTrue(w.isCancelled());
            assertFalse(a.isDone());
            assertFalse(b.isDone());
        }
    }

    @Test
    void theSameFutureTwiceIsWaitedForOnce() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicInteger runs = new AtomicInteger();
            Task<String> t = f.loop.createTask(() -> {
                runs.incrementAndGet();
                return Async.sleep(Duration.ofSeconds(1), "t");
            });

            WaitResult<String> r = f.loop.runUntilComplete(Async.wait(List.of(t, t), ReturnWhen.ALL_COMPLETED, null));

            assertEquals(Set.of(t), r.done());
            assertEquals(1, r.done().size());
            assertEquals(1, runs.get());
        }
    }

    @Test
    void waitOnNothingIsIllegal() {
        try (FakeLoop f = new FakeLoop()) {
            assertThrows(IllegalArgumentException.class, () -> Async.wait(List.<Future<String>>of(), ReturnWhen.ALL_COMPLETED, null));
        }
    }

    @Test
    void waitRefusesFuturesOfTwoLoops() {
        try (FakeLoop other = new FakeLoop(); FakeLoop f = new FakeLoop()) {
            Future<String> mine = f.loop.createFuture();
            Future<String> theirs = other.loop.createFuture();

            assertThrows(IllegalArgumentException.class, () -> Async.wait(List.of(mine, theirs), ReturnWhen.FIRST_COMPLETED, null));
            assertThrows(IllegalArgumentException.class, () -> Async.asCompleted(List.of(mine, theirs)));
        }
    }

    @Test
    void waitRefusesNullArguments() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> ok = f.loop.createFuture();

            assertThrows(NullPointerException.class, () -> Async.wait(null, ReturnWhen.ALL_COMPLETED, null));
            assertThrows(NullPointerException.class, () -> Async.wait(List.of(ok), null, null));
            assertThrows(NullPointerException.class, () -> Async.wait(Arrays.asList(ok, null), ReturnWhen.ALL_COMPLETED, null));
            assertThrows(NullPointerException.class, () -> Async.asCompleted(null));
            assertThrows(NullPointerException.class, () -> Async.asCompleted(Arrays.asList(ok, null), null));
        }
    }

    // ------------------------------------------------------------------ E.51 asCompleted

    @Test
    void asCompletedYieldsInCompletionOrder() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("b failed");
            Future<String> a = f.later(3000, "a");
            Future<String> b = f.failingLater(1000, failure);
            Future<String> c = f.later(2000, "c");

            List<Future<String>> inOrder = Async.asCompleted(List.of(a, b, c));

            assertEquals(3, inOrder.size());
            CompletionException first = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(inOrder.get(0)));
            assertSame(failure, first.getCause());
            assertEquals("c", f.loop.runUntilComplete(inOrder.get(1)));
            assertEquals("a", f.loop.runUntilComplete(inOrder.get(2)));
        }
    }

    @Test
    void aTaskCanAwaitTheFuturesOfAsCompletedOneAfterAnother() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.later(300, "a");
            Future<String> b = f.later(100, "b");
            Future<String> c = f.later(200, "c");
            List<String> seen = new ArrayList<>();
            Task<Void> t = f.loop.createTask(() -> Async.forEach(Async.asCompleted(List.of(a, b, c)),
                    next -> next.map(seen::add)));
            long start = f.clock.nanoTime();

            f.loop.runUntilComplete(t);

            assertEquals(List.of("b", "c", "a"), seen);
            assertEquals(300, f.elapsedMillis(start));
        }
    }

    @Test
    void asCompletedWithATimeoutFailsTheRemainingWithTimeoutException() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fast = f.later(1000, "fast");
            Future<String> slow = f.later(10_000, "slow");
            Future<String> never = f.loop.createFuture();
            long start = f.clock.nanoTime();

            List<Future<String>> inOrder = Async.asCompleted(List.of(slow, fast, never), Duration.ofSeconds(5));

            assertEquals("fast", f.loop.runUntilComplete(inOrder.get(0)));
            assertEquals(1000, f.elapsedMillis(start));
            CompletionException second = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(inOrder.get(1)));
            assertInstanceOf(TimeoutException.class, second.getCause());
            assertEquals(5000, f.elapsedMillis(start));
            assertInstanceOf(TimeoutException.class, inOrder.get(2).exception());
            assertFalse(slow.isDone(), "the given futures are not cancelled");
            assertFalse(never.isDone());
        }
    }

    @Test
    void asCompletedCountsAFutureGivenTwiceOnce() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> a = f.later(100, "a");
            Future<String> b = f.later(200, "b");

            List<Future<String>> inOrder = Async.asCompleted(List.of(a, b, a));

            assertEquals(2, inOrder.size());
            assertEquals(List.of("a", "b"), f.loop.runUntilComplete(Async.gather(inOrder)));
        }
    }
}
