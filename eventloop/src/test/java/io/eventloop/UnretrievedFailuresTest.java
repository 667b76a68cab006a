package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a failure nobody retrieved is reported: the delay rule ({@code unretrievedFailureDelay})
 * beside the idle and close rules, on fake time. The fake poller's wait moves the clock by the
 * timeout the loop asked for, so the loop's own deadlines decide when each report comes.
 */
class UnretrievedFailuresTest {
    private final FakeClock clock = new FakeClock();
    private final FakePoller poller = new FakePoller(clock);
    private final List<String> reports = new ArrayList<>();
    private final List<ErrorContext> errors = new ArrayList<>();
    private EventLoop loop;

    @AfterEach
    void tearDown() {
        if (loop != null && !loop.isClosed()) {
            loop.close();
        }
    }

    /** A loop on fake time that records each report with the loop time it came at, in ms since start. */
    private EventLoop loop(EventLoop.Options options) {
        loop = new EventLoop(options.watchdog(null), clock, poller);
        long start = clock.nanoTime();
        loop.setExceptionHandler((l, c) -> {
            errors.add(c);
            reports.add(c.message() + " at " + (l.time() - start) / 1_000_000 + " ms");
        });
        return loop;
    }

    private EventLoop loop() {
        return loop(EventLoop.Options.defaults());
    }

    private void iterate(int n) {
        for (int i = 0; i < n; i++) {
            loop.stop();
            loop.runForever();
        }
    }

    @Test
    void theDefaultDelayIsFiveSecondsAndBadValuesAreRejected() {
        EventLoop.Options defaults = EventLoop.Options.defaults();
        assertEquals(Duration.ofSeconds(5), defaults.unretrievedFailureDelay());
        assertEquals(Duration.ZERO, defaults.unretrievedFailureDelay(Duration.ZERO).unretrievedFailureDelay());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defaults.unretrievedFailureDelay(Duration.ofMillis(-1)));
        assertEquals("unretrievedFailureDelay must not be negative: PT-0.001S", e.getMessage());
        assertThrows(NullPointerException.class, () -> defaults.unretrievedFailureDelay(null));
        assertEquals(Duration.ofSeconds(7), defaults.unretrievedFailureDelay(Duration.ofSeconds(7)).debug(true)
                .watchdog(null).slowCallbackDuration(Duration.ZERO).executorShutdownTimeout(Duration.ZERO)
                .unretrievedFailureDelay(), "the other setters keep it");
    }

    @Test
    void aDroppedFailureIsReportedOnceTheDelayPassesWhileALongTimerKeepsTheLoopFromGoingIdle() {
        loop();
        loop.callLater(Duration.ofHours(1), () -> { }); // a server's idle timeout: the loop never goes idle
        IOException error = new IOException("dropped");
        Future<String> dropped = loop.createFuture();
        loop.callLater(Duration.ofSeconds(2), () -> dropped.fail(error));
        Future<Void> reported = loop.createFuture();
        loop.setExceptionHandler((l, c) -> {
            errors.add(c);
            reports.add(c.message() + " at " + (l.time() - 1_000_000_000L) / 1_000_000 + " ms");
            reported.complete(null);
        });
        loop.runUntilComplete(reported);
        assertEquals(List.of("Future exception was never retrieved at 7000 ms"), reports);
        assertSame(error, errors.get(0).exception());
        assertSame(dropped, errors.get(0).future());
        assertEquals(List.of(2000L, 5000L), poller.timeouts,
                "the loop waits for the failure's deadline, not for the hour-long timer");
        loop.close();
        assertEquals(1, reports.size(), "reported once: not again at close");
    }

    @Test
    void aFailedTaskHeldAcrossASleepShorterThanTheDelayStaysSilent() {
        loop();
        loop.callLater(Duration.ofHours(1), () -> { });
        Task<String> main = loop.createTask("main", () -> {
            Task<String> t = loop.createTask("fails", () -> Async.failed(new IllegalStateException("later")));
            return Async.sleep(Duration.ofMillis(4999)).then(v -> t)
                    .recover(IllegalStateException.class, e -> Async.completed("caught " + e.getMessage()));
        });
        assertEquals("caught later", loop.runUntilComplete(main));
        clock.advanceMillis(60_000);
        iterate(2);
        loop.close();
        assertEquals(List.of(), reports);
    }

    @Test
    void aFailureHeldLongerThanTheDelayIsReportedAndStillReachesWhoAwaitsItLater() {
        loop();
        loop.callLater(Duration.ofHours(1), () -> { });
        IllegalStateException error = new IllegalStateException("too late");
        Task<String> main = loop.createTask("main", () -> {
            Task<String> t = loop.createTask("fails", () -> Async.failed(error));
            return Async.sleep(Duration.ofSeconds(6)).then(v -> t)
                    .recover(IllegalStateException.class, e -> Async.completed("caught " + e.getMessage()));
        });
        assertEquals("caught too late", loop.runUntilComplete(main));
        assertEquals(List.of("Task exception was never retrieved at 5000 ms"), reports);
        assertEquals("fails", errors.get(0).task().name());
    }

    @Test
    void theDelayIsTheOneTheOptionsSet() {
        loop(EventLoop.Options.defaults().unretrievedFailureDelay(Duration.ofSeconds(30)));
        loop.callLater(Duration.ofHours(1), () -> { });
        loop.createFuture().fail(new IOException("dropped"));
        iterate(1);
        clock.advanceMillis(29_999);
        iterate(1);
        assertEquals(List.of(), reports);
        clock.advanceMillis(1);
        iterate(1);
        assertEquals(List.of("Future exception was never retrieved at 30000 ms"), reports);
    }

    @Test
    void withAZeroDelayAFailureNobodyLookedAtByTheEndOfItsIterationIsReportedAtTheNext() {
        loop(EventLoop.Options.defaults().unretrievedFailureDelay(Duration.ZERO));
        loop.callLater(Duration.ofHours(1), () -> { });
        Future<String> awaitedLaterInTheSameIteration = loop.createFuture();
        Future<String> dropped = loop.createFuture();
        loop.callSoon(() -> {
            awaitedLaterInTheSameIteration.fail(new IOException("seen"));
            dropped.fail(new IOException("dropped"));
        });
        loop.callSoon(() -> awaitedLaterInTheSameIteration.onDone(f -> { }));
        iterate(1);
        assertEquals(List.of(), reports);
        iterate(1);
        assertEquals(1, errors.size(), reports::toString);
        assertSame(dropped, errors.get(0).future());
    }

    @Test
    void theIdleRuleStillReportsAtOnceWhateverTheDelay() {
        loop(EventLoop.Options.defaults().unretrievedFailureDelay(Duration.ofHours(1)));
        Future<Void> reported = loop.createFuture();
        loop.setExceptionHandler((l, c) -> {
            reports.add(c.message());
            reported.complete(null);
        });
        loop.createTask("doomed", () -> Async.failed(new IllegalStateException("boom")));
        loop.runUntilComplete(reported);
        assertEquals(List.of("Task exception was never retrieved"), reports);
        assertEquals(1_000_000_000L, clock.nanoTime(), "no time passed: the loop went idle at once");
    }

    @Test
    void theCloseRuleStillReportsBeforeTheDelayHasPassed() {
        loop();
        loop.callLater(Duration.ofHours(1), () -> { });
        Future<String> later = loop.createFuture();
        loop.callLater(Duration.ofSeconds(1), () -> later.complete("done"));
        loop.createFuture().fail(new IOException("dropped"));
        loop.runUntilComplete(later);
        assertEquals(List.of(), reports);
        loop.close();
        assertEquals(List.of("Future exception was never retrieved at 1000 ms"), reports);
    }

    @Test
    void failuresLookedAtInTimeLeaveTheListOnceTheirDelayPassesAndTheLoopNoLongerWakesForThem() {
        loop();
        Future<String> hourLater = loop.createFuture();
        loop.callLater(Duration.ofHours(1), () -> hourLater.complete("an hour later"));
        Future<String> read = loop.createFuture();
        read.fail(new IOException("Connection reset by peer"));
        assertEquals("gone", loop.runUntilComplete(read.recover(IOException.class, e -> Async.completed("gone"))));
        assertEquals("an hour later", loop.runUntilComplete(hourLater));
        assertEquals(List.of(5000L, 3_600_000L - 5000L), poller.timeouts,
                "held until its deadline, looked at or not; then dropped, and the timer alone sets the wait");
        loop.close();
        assertEquals(List.of(), reports);
    }
}
