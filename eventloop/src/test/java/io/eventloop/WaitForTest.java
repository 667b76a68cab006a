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
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS F.54–F.60: {@link Async#waitFor}. */
class WaitForTest {

    /** Runs {@code future} to its end and returns the TimeoutException it failed with. */
    private static TimeoutException timesOut(FakeLoop f, Future<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(future));
        return assertInstanceOf(TimeoutException.class, thrown.getCause());
    }

    // ------------------------------------------------------------------ F.54

    @Test
    void onTimeoutItCancelsTheInnerAndWaitsForItsCleanupBeforeFailing() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "not reached")
                    .ensure(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> log.add("cleanup finished"))));
            Future<String> w = Async.waitFor(inner, Duration.ofSeconds(2));
            w.onDone(done -> log.add("waitFor done"));
            long start = f.clock.nanoTime();

            TimeoutException timeout = timesOut(f, w);

            assertEquals(3000, f.elapsedMillis(start), "2 s timeout, then the 1 s cleanup it waited for");
            assertEquals(List.of("cleanup finished", "waitFor done"), log);
            assertTrue(inner.isCancelled());
            assertInstanceOf(CancellationException.class, timeout.getCause());
            assertFalse(w.isCancelled());
        }
    }

    @Test
    void aTaskAwaitingATimedOutWaitForSeesTimeoutException() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
            Task<String> outer = f.loop.createTask(() -> Async.waitFor(inner, Duration.ofMillis(100))
                    .recover(TimeoutException.class, e -> Async.completed("timed out")));

            assertEquals("timed out", f.loop.runUntilComplete(outer));
            assertFalse(outer.isCancelled());
            assertEquals(0, outer.cancelling(), "the timeout cancelled the inner, not the awaiting task");
            assertTrue(inner.isCancelled());
        }
    }

    // ------------------------------------------------------------------ F.55

    @Test
    void anInnerThatSuppressesTheCancelAndReturnsAValueWins() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "slept")
                    .recover(CancellationException.class, e -> Async.sleep(Duration.ofMillis(300), "suppressed")));
            long start = f.clock.nanoTime();

            assertEquals("suppressed", f.loop.runUntilComplete(Async.waitFor(inner, Duration.ofMillis(100))));

            assertEquals(400, f.elapsedMillis(start));
            assertFalse(inner.isCancelled());
        }
    }

    @Test
    void anInnerCompletedInTheIterationOfTheTimeoutKeepsItsValue() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            // Scheduled first, so it runs first among the timers due at 1 s.
            f.loop.callLater(Duration.ofSeconds(1), () -> inner.complete("just in time"));
            Future<String> w = Async.waitFor(inner, Duration.ofSeconds(1));

            assertEquals("just in time", f.loop.runUntilComplete(w));
            assertFalse(inner.isCancelled());
        }
    }

    // ------------------------------------------------------------------ F.56

    @Test
    void aDifferentExceptionRaisedWhileBeingCancelledPropagatesInsteadOfTimeout() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("cleanup failed");
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                    .map(v -> "slept")
                    .recover(CancellationException.class, e -> {
                        throw failure;
                    }));
            Future<String> w = Async.waitFor(inner, Duration.ofMillis(100));

            CompletionException thrown = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(w));

            assertSame(failure, thrown.getCause());
            assertSame(failure, w.exception());
            assertSame(failure, inner.exception());
        }
    }

    // ------------------------------------------------------------------ F.57

    @Test
    void anInnerDoneBeforeTheDeadlineGivesItsResultAndCancelsTheTimer() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(100), () -> inner.complete("ok"));
            long start = f.clock.nanoTime();

            assertEquals("ok", f.loop.runUntilComplete(Async.waitFor(inner, Duration.ofMillis(200))));

            assertEquals(100, f.elapsedMillis(start));
            f.iterate(1);
            assertEquals(0, f.loop.timerCount(), "the 200 ms timer was cancelled");
        }
    }

    @Test
    void anInnerFailingBeforeTheDeadlineGivesItsFailure() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalArgumentException failure = new IllegalArgumentException("bad");
            Future<String> inner = f.loop.createFuture();
            f.loop.callLater(Duration.ofMillis(100), () -> inner.fail(failure));

            assertSame(failure, assertThrows(IllegalArgumentException.class,
                    () -> f.loop.runUntilComplete(Async.waitFor(inner, Duration.ofSeconds(1)))));
        }
    }

    @Test
    void aShortTimeoutOnALongTaskFailsAtTheDeadlineAndLeavesTheTaskCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
            long start = f.clock.nanoTime();

            timesOut(f, Async.waitFor(inner, Duration.ofMillis(100)));

            assertEquals(100, f.elapsedMillis(start));
            assertTrue(inner.isCancelled());
        }
    }

    @Test
    void aNullTimeoutWaitsForever() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = Async.sleep(Duration.ofDays(365), "a year later");
            long start = f.clock.nanoTime();

            assertEquals("a year later", f.loop.runUntilComplete(Async.waitFor(inner, null)));

            assertEquals(Duration.ofDays(365).toMillis(), f.elapsedMillis(start));
        }
    }

    // ------------------------------------------------------------------ F.58

    @Test
    void aZeroTimeoutOnADoneFutureGivesItsResult() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> done = f.loop.createFuture();
            done.complete("ready");
            long start = f.clock.nanoTime();

            assertEquals("ready", f.loop.runUntilComplete(Async.waitFor(done, Duration.ZERO)));
            assertEquals("ready", f.loop.runUntilComplete(Async.waitFor(done, Duration.ofMillis(-5))));

            assertEquals(0, f.elapsedMillis(start));
        }
    }

    @Test
    void aZeroTimeoutOnAFailedFutureGivesItsFailure() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalArgumentException failure = new IllegalArgumentException("failed before");
            Future<String> done = f.loop.createFuture();
            done.fail(failure);

            assertSame(failure, assertThrows(IllegalArgumentException.class,
                    () -> f.loop.runUntilComplete(Async.waitFor(done, Duration.ZERO))));
        }
    }

    @Test
    void aZeroTimeoutOnACancelledFutureIsACancellationNotATimeout() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> cancelled = f.loop.createFuture();
            cancelled.cancel();

            Future<String> w = Async.waitFor(cancelled, Duration.ZERO);

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(w));
        }
    }

    @Test
    void anInnerCancelledByOthersInTheIterationOfTheTimeoutIsACancellationNotATimeout() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            // Scheduled first, so it runs first among the timers due at 1 s.
            f.loop.callLater(Duration.ofSeconds(1), () -> inner.cancel("cancelled elsewhere"));
            Future<String> w = Async.waitFor(inner, Duration.ofSeconds(1));

            CancellationException thrown = assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(w));

            assertEquals("cancelled elsewhere", thrown.getMessage());
        }
    }

    @Test
    void aZeroTimeoutNeverStartsATaskThatHasNotStarted() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicBoolean started = new AtomicBoolean();
            Task<String> inner = f.loop.createTask(() -> {
                started.set(true);
                return Async.completed("ran");
            });
            long start = f.clock.nanoTime();

            timesOut(f, Async.waitFor(inner, Duration.ZERO));

            assertFalse(started.get());
            assertTrue(inner.isCancelled());
            assertEquals(0, f.elapsedMillis(start));
        }
    }

    @Test
    void aZeroOrNegativeTimeoutCancelsARunningTask() {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            try (FakeLoop f = new FakeLoop()) {
                Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
                f.iterate(1);
                long start = f.clock.nanoTime();

                TimeoutException thrown = timesOut(f, Async.waitFor(inner, timeout));

                assertTrue(inner.isCancelled(), timeout::toString);
                assertInstanceOf(CancellationException.class, thrown.getCause());
                assertEquals(0, f.elapsedMillis(start));
            }
        }
    }

    // ------------------------------------------------------------------ F.59

    @Test
    void cancellingTheTaskAwaitingWaitForCancelsTheInnerTask() {
        for (Duration timeout : new Duration[] {Duration.ofSeconds(5), null}) {
            try (FakeLoop f = new FakeLoop()) {
                Task<String> inner = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
                Task<String> outer = f.loop.createTask(() -> Async.waitFor(inner, timeout).map(v -> "outer: " + v));
                f.iterate(1);
                long start = f.clock.nanoTime();

                assertTrue(outer.cancel());
                assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

                assertTrue(inner.isCancelled(), "timeout " + timeout);
                assertEquals(0, f.elapsedMillis(start));
            }
        }
    }

    @Test
    void waitForStaysCancellableWhileTheInnerIgnoresTheFirstCancel() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Task<Integer> inner = f.loop.createTask(() -> Async.sleep(Duration.ofMillis(300))
                    .recover(CancellationException.class, first -> {
                        log.add("ignored the first cancel");
                        return Async.sleep(Duration.ofMillis(300))
                                .recover(CancellationException.class, second -> {
                                    log.add("ignored the second cancel");
                                    return Async.sleep(Duration.ofMillis(300));
                                });
                    })
                    .map(v -> 42));
            Task<Integer> outer = f.loop.createTask(() -> Async.waitFor(inner, Duration.ofMillis(100)));
            f.loop.callLater(Duration.ofMillis(200), outer::cancel);
            long start = f.clock.nanoTime();

            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertTrue(outer.isCancelled());
            assertEquals(List.of("ignored the first cancel", "ignored the second cancel"), log);
            assertEquals(42, inner.result());
            assertEquals(500, f.elapsedMillis(start), "the outer ends once the inner has finished");
        }
    }

    @Test
    void cancellingWaitForItselfCancelsTheInnerAndEndsCancelled() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> inner = f.loop.createFuture();
            Future<String> w = Async.waitFor(inner, Duration.ofSeconds(5));

            assertTrue(w.cancel("stop"));
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(w));

            assertTrue(inner.isCancelled());
            assertTrue(w.isCancelled());
            assertFalse(w.cancel());
            f.iterate(1);
            assertEquals(0, f.loop.timerCount(), "the 5 s timer was cancelled");
        }
    }

    // ------------------------------------------------------------------ F.60

    @Test
    void anOuterCancelArrivingJustAfterTheInnerCompletedIsNotSwallowed() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicBoolean reachedEnd = new AtomicBoolean();
            Future<String> inner = f.loop.createFuture();
            Task<Void> outer = f.loop.createTask(() -> Async.waitFor(inner, Duration.ofSeconds(100))
                    .then(v -> Async.sleep(Duration.ofSeconds(1)))
                    .map(v -> {
                        reachedEnd.set(true);
                        return null;
                    }));
            f.iterate(1);

            inner.complete("done");   // waitFor's callback is now pending
            assertTrue(outer.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertTrue(outer.isCancelled());
            assertFalse(reachedEnd.get());
            assertEquals("done", inner.result());
        }
    }

    @Test
    void anOuterCancelRacingAnInnerTaskThatCompletesInOneStepIsNotSwallowed() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicBoolean reachedEnd = new AtomicBoolean();
            AtomicReference<Future<String>> waitFor = new AtomicReference<>();
            Task<String> inner = f.loop.createTask(() -> Async.completed("done"));
            Task<Void> outer = f.loop.createTask(() -> {
                waitFor.set(Async.waitFor(inner, Duration.ofSeconds(100)));
                return waitFor.get()
                        .then(v -> Async.sleep(Duration.ofSeconds(1)))
                        .map(v -> {
                            reachedEnd.set(true);
                            return null;
                        });
            });
            for (int i = 0; i < 10 && !inner.isDone(); i++) {
                f.iterate(1);
            }
            assertTrue(inner.isDone());
            assertFalse(waitFor.get().isDone(), "the inner completed; waitFor has not heard yet");

            assertTrue(outer.cancel());
            assertThrows(CancellationException.class, () -> f.loop.runUntilComplete(outer));

            assertTrue(waitFor.get().isCancelled());
            assertFalse(reachedEnd.get());
            assertEquals("done", f.loop.runUntilComplete(inner));
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void waitForRefusesANullFuture() {
        try (FakeLoop f = new FakeLoop()) {
            assertThrows(NullPointerException.class, () -> Async.waitFor(null, Duration.ofSeconds(1)));
        }
    }
}
