package io.eventloop.testing.timeouts;

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
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS F.54–F.60: {@link Async#waitFor}, on {@code @EventLoopTest}'s fake time. */
@EventLoopTest
class WaitForTest {
    private static long elapsedMillis(EventLoop loop, long start) {
        return (loop.time() - start) / 1_000_000L;
    }

    /** Runs {@code future} to its end and returns the TimeoutException it failed with. */
    private static TimeoutException timesOut(Future<?> future) {
        return assertFails(TimeoutException.class, future);
    }

    // ------------------------------------------------------------------ F.54

    @Test
    void onTimeoutItCancelsTheInnerAndWaitsForItsCleanupBeforeFailing(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                .map(v -> "not reached")
                .ensure(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> log.add("cleanup finished"))));
        Future<String> w = Async.waitFor(inner, Duration.ofSeconds(2));
        w.onDone(done -> log.add("waitFor done"));
        long start = loop.time();

        TimeoutException timeout = timesOut(w);

        assertEquals(3000, elapsedMillis(loop, start), "2 s timeout, then the 1 s cleanup it waited for");
        assertEquals(List.of("cleanup finished", "waitFor done"), log);
        assertTrue(inner.isCancelled());
        assertInstanceOf(CancellationException.class, timeout.getCause());
        assertFalse(w.isCancelled());
    }

    @Test
    void aTaskAwaitingATimedOutWaitForSeesTimeoutException(EventLoop loop) {
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
        Task<String> outer = loop.createTask(() -> Async.waitFor(inner, Duration.ofMillis(100))
                .recover(TimeoutException.class, e -> Async.completed("timed out")));

        assertEquals("timed out", assertCompletes(outer));
        assertFalse(outer.isCancelled());
        assertEquals(0, outer.cancelling(), "the timeout cancelled the inner, not the awaiting task");
        assertTrue(inner.isCancelled());
    }

    // ------------------------------------------------------------------ F.55

    @Test
    void anInnerThatSuppressesTheCancelAndReturnsAValueWins(EventLoop loop) {
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                .map(v -> "slept")
                .recover(CancellationException.class, e -> Async.sleep(Duration.ofMillis(300), "suppressed")));
        long start = loop.time();

        assertEquals("suppressed", assertCompletes(Async.waitFor(inner, Duration.ofMillis(100))));

        assertEquals(400, elapsedMillis(loop, start));
        assertFalse(inner.isCancelled());
    }

    @Test
    void anInnerCompletedInTheIterationOfTheTimeoutKeepsItsValue(EventLoop loop) {
        Future<String> inner = loop.createFuture();
        // Scheduled first, so it runs first among the timers due at 1 s.
        loop.callLater(Duration.ofSeconds(1), () -> inner.complete("just in time"));
        Future<String> w = Async.waitFor(inner, Duration.ofSeconds(1));

        assertEquals("just in time", assertCompletes(w));
        assertFalse(inner.isCancelled());
    }

    // ------------------------------------------------------------------ F.56

    @Test
    void aDifferentExceptionRaisedWhileBeingCancelledPropagatesInsteadOfTimeout(EventLoop loop) {
        IOException failure = new IOException("cleanup failed");
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10))
                .map(v -> "slept")
                .recover(CancellationException.class, e -> {
                    throw failure;
                }));
        Future<String> w = Async.waitFor(inner, Duration.ofMillis(100));

        assertSame(failure, assertFails(failure.getClass(), w));
        assertSame(failure, w.exception());
        assertSame(failure, inner.exception());
    }

    // ------------------------------------------------------------------ F.57

    @Test
    void anInnerFailingBeforeTheDeadlineGivesItsFailure(EventLoop loop) {
        IllegalArgumentException failure = new IllegalArgumentException("bad");
        Future<String> inner = loop.createFuture();
        loop.callLater(Duration.ofMillis(100), () -> inner.fail(failure));

        assertSame(failure, assertFails(IllegalArgumentException.class, Async.waitFor(inner, Duration.ofSeconds(1))));
    }

    @Test
    void aShortTimeoutOnALongTaskFailsAtTheDeadlineAndLeavesTheTaskCancelled(EventLoop loop) {
        Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
        long start = loop.time();

        timesOut(Async.waitFor(inner, Duration.ofMillis(100)));

        assertEquals(100, elapsedMillis(loop, start));
        assertTrue(inner.isCancelled());
    }

    @Test
    void aNullTimeoutWaitsForever(EventLoop loop) {
        Future<String> inner = Async.sleep(Duration.ofDays(365), "a year later");
        long start = loop.time();

        assertEquals("a year later", assertCompletes(Async.waitFor(inner, null)));

        assertEquals(Duration.ofDays(365).toMillis(), elapsedMillis(loop, start));
    }

    // ------------------------------------------------------------------ F.58

    @Test
    void aZeroTimeoutOnADoneFutureGivesItsResult(EventLoop loop) {
        Future<String> done = loop.createFuture();
        done.complete("ready");
        long start = loop.time();

        assertEquals("ready", assertCompletes(Async.waitFor(done, Duration.ZERO)));
        assertEquals("ready", assertCompletes(Async.waitFor(done, Duration.ofMillis(-5))));

        assertEquals(0, elapsedMillis(loop, start));
    }

    @Test
    void aZeroTimeoutOnAFailedFutureGivesItsFailure(EventLoop loop) {
        IllegalArgumentException failure = new IllegalArgumentException("failed before");
        Future<String> done = loop.createFuture();
        done.fail(failure);

        assertSame(failure, assertFails(IllegalArgumentException.class, Async.waitFor(done, Duration.ZERO)));
    }

    @Test
    void aZeroTimeoutOnACancelledFutureIsACancellationNotATimeout(EventLoop loop) {
        Future<String> cancelled = loop.createFuture();
        cancelled.cancel();

        Future<String> w = Async.waitFor(cancelled, Duration.ZERO);

        assertFails(CancellationException.class, w);
    }

    @Test
    void anInnerCancelledByOthersInTheIterationOfTheTimeoutIsACancellationNotATimeout(EventLoop loop) {
        Future<String> inner = loop.createFuture();
        // Scheduled first, so it runs first among the timers due at 1 s.
        loop.callLater(Duration.ofSeconds(1), () -> inner.cancel("cancelled elsewhere"));
        Future<String> w = Async.waitFor(inner, Duration.ofSeconds(1));

        assertFails(CancellationException.class, w);

        // assertFails gives a CancellationException of its own, not the future's; its message is here
        assertEquals("cancelled elsewhere", assertThrows(CancellationException.class, w::result).getMessage());
    }

    @Test
    void aZeroTimeoutNeverStartsATaskThatHasNotStarted(EventLoop loop) {
        AtomicBoolean started = new AtomicBoolean();
        Task<String> inner = loop.createTask(() -> {
            started.set(true);
            return Async.completed("ran");
        });
        long start = loop.time();

        timesOut(Async.waitFor(inner, Duration.ZERO));

        assertFalse(started.get());
        assertTrue(inner.isCancelled());
        assertEquals(0, elapsedMillis(loop, start));
    }

    @Test
    void aZeroOrNegativeTimeoutCancelsARunningTask(EventLoop loop) {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
            runIterations(loop, 1);
            long start = loop.time();

            TimeoutException thrown = timesOut(Async.waitFor(inner, timeout));

            assertTrue(inner.isCancelled(), timeout::toString);
            assertInstanceOf(CancellationException.class, thrown.getCause());
            assertEquals(0, elapsedMillis(loop, start));
        }
    }

    // ------------------------------------------------------------------ F.59

    @Test
    void cancellingTheTaskAwaitingWaitForCancelsTheInnerTask(EventLoop loop) {
        for (Duration timeout : new Duration[] {Duration.ofSeconds(5), null}) {
            Task<String> inner = loop.createTask(() -> Async.sleep(Duration.ofSeconds(10), "late"));
            Task<String> outer = loop.createTask(() -> Async.waitFor(inner, timeout).map(v -> "outer: " + v));
            runIterations(loop, 1);
            long start = loop.time();

            assertTrue(outer.cancel());
            assertFails(CancellationException.class, outer);

            assertTrue(inner.isCancelled(), "timeout " + timeout);
            assertEquals(0, elapsedMillis(loop, start));
        }
    }

    @Test
    void waitForStaysCancellableWhileTheInnerIgnoresTheFirstCancel(EventLoop loop) {
        List<String> log = new ArrayList<>();
        Task<Integer> inner = loop.createTask(() -> Async.sleep(Duration.ofMillis(300))
                .recover(CancellationException.class, first -> {
                    log.add("ignored the first cancel");
                    return Async.sleep(Duration.ofMillis(300))
                            .recover(CancellationException.class, second -> {
                                log.add("ignored the second cancel");
                                return Async.sleep(Duration.ofMillis(300));
                            });
                })
                .map(v -> 42));
        Task<Integer> outer = loop.createTask(() -> Async.waitFor(inner, Duration.ofMillis(100)));
        loop.callLater(Duration.ofMillis(200), outer::cancel);
        long start = loop.time();

        assertFails(CancellationException.class, outer);

        assertTrue(outer.isCancelled());
        assertEquals(List.of("ignored the first cancel", "ignored the second cancel"), log);
        assertEquals(42, inner.result());
        assertEquals(500, elapsedMillis(loop, start), "the outer ends once the inner has finished");
    }

    // ------------------------------------------------------------------ F.60

    @Test
    void anOuterCancelArrivingJustAfterTheInnerCompletedIsNotSwallowed(EventLoop loop) {
        AtomicBoolean reachedEnd = new AtomicBoolean();
        Future<String> inner = loop.createFuture();
        Task<Void> outer = loop.createTask(() -> Async.waitFor(inner, Duration.ofSeconds(100))
                .then(v -> Async.sleep(Duration.ofSeconds(1)))
                .map(v -> {
                    reachedEnd.set(true);
                    return null;
                }));
        runIterations(loop, 1);

        inner.complete("done");   // waitFor's callback is now pending
        assertTrue(outer.cancel());
        assertFails(CancellationException.class, outer);

        assertTrue(outer.isCancelled());
        assertFalse(reachedEnd.get());
        assertEquals("done", inner.result());
    }

    @Test
    void anOuterCancelRacingAnInnerTaskThatCompletesInOneStepIsNotSwallowed(EventLoop loop) {
        AtomicBoolean reachedEnd = new AtomicBoolean();
        AtomicReference<Future<String>> waitFor = new AtomicReference<>();
        Task<String> inner = loop.createTask(() -> Async.completed("done"));
        Task<Void> outer = loop.createTask(() -> {
            waitFor.set(Async.waitFor(inner, Duration.ofSeconds(100)));
            return waitFor.get()
                    .then(v -> Async.sleep(Duration.ofSeconds(1)))
                    .map(v -> {
                        reachedEnd.set(true);
                        return null;
                    });
        });
        for (int i = 0; i < 10 && !inner.isDone(); i++) {
            runIterations(loop, 1);
        }
        assertTrue(inner.isDone());
        assertFalse(waitFor.get().isDone(), "the inner completed; waitFor has not heard yet");

        assertTrue(outer.cancel());
        assertFails(CancellationException.class, outer);

        assertTrue(waitFor.get().isCancelled());
        assertFalse(reachedEnd.get());
        assertEquals("done", assertCompletes(inner));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void waitForRefusesANullFuture() {
        assertThrows(NullPointerException.class, () -> Async.waitFor(null, Duration.ofSeconds(1)));
    }
}
