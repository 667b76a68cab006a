package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS B: timers, on fake time. */
class TimerTest {

    // ------------------------------------------------------------------ B.16 never early

    @Test
    void timersNeverFireBeforeTheirDeadline() {
        try (GuardedLoop f = new GuardedLoop()) {
            long[] delays = {1, 999_999, 1_000_000, 1_000_001, 1_500_000, 10_000_000, 123_456_789};
            long[] deadlines = new long[delays.length];
            long[] firedAt = new long[delays.length];
            for (int i = 0; i < delays.length; i++) {
                int index = i;
                TimerHandle h = f.loop.callLater(Duration.ofNanos(delays[i]), () -> firedAt[index] = f.loop.time());
                deadlines[i] = h.when();
                assertEquals(f.loop.time() + delays[i], h.when());
            }
            f.loop.runUntilComplete(Async.sleep(Duration.ofMillis(200)));
            for (int i = 0; i < delays.length; i++) {
                assertTrue(firedAt[i] >= deadlines[i],
                        "delay " + delays[i] + " ns fired " + (deadlines[i] - firedAt[i]) + " ns early");
            }
        }
    }

    @Test
    void callAtRunsNoEarlierThanItsDeadline() {
        try (GuardedLoop f = new GuardedLoop()) {
            long deadline = f.loop.time() + 2_500_000;
            long[] firedAt = {0};
            TimerHandle h = f.loop.callAt(deadline, () -> firedAt[0] = f.loop.time());
            assertEquals(deadline, h.when());
            f.loop.runUntilComplete(Async.sleep(Duration.ofMillis(10)));
            assertTrue(firedAt[0] >= deadline);
        }
    }

    @Test
    void sleepTakesAtLeastItsDuration() {
        try (FakeLoop f = new FakeLoop()) {
            long start = f.loop.time();
            assertEquals("woke", f.loop.runUntilComplete(Async.sleep(Duration.ofMillis(100), "woke")));
            assertTrue(f.loop.time() - start >= 100_000_000L);
            assertEquals(100, f.elapsedMillis(start)); // fake time moves only as far as needed
        }
    }

    // ------------------------------------------------------------------ B.17 deadline order

    @Test
    void negativeDelaysAreLegalAndOrderedByDeadline() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(-1), () -> log.add("a"));
            f.loop.callLater(Duration.ofSeconds(-2), () -> log.add("b"));
            f.iterate(1);
            assertEquals(List.of("b", "a"), log);
        }
    }

    @Test
    void timersFireInNonDecreasingDeadlineOrder() {
        try (FakeLoop f = new FakeLoop()) {
            Random random = new Random(17);
            List<long[]> fired = new ArrayList<>(); // {deadline, scheduling rank, fire time}
            for (int i = 0; i < 300; i++) {
                long delayMillis = random.nextInt(550) - 50; // some negative, many ties
                int rank = i;
                TimerHandle[] self = new TimerHandle[1];
                self[0] = f.loop.callLater(Duration.ofMillis(delayMillis),
                        () -> fired.add(new long[] {self[0].when(), rank, f.loop.time()}));
            }
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(1)));
            assertEquals(300, fired.size());
            List<long[]> sorted = new ArrayList<>(fired);
            sorted.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            for (int i = 0; i < fired.size(); i++) {
                assertEquals(sorted.get(i)[1], fired.get(i)[1], "timer fired out of (deadline, FIFO) order at " + i);
                assertTrue(fired.get(i)[2] >= fired.get(i)[0], "timer fired early");
            }
        }
    }

    @Test
    void dueTimersRunAfterCallbacksAlreadyReady() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callSoon(() -> log.add("soon 1"));
            f.loop.callLater(Duration.ofSeconds(-1), () -> log.add("due timer"));
            f.loop.callSoon(() -> log.add("soon 2"));
            f.iterate(1);
            assertEquals(List.of("soon 1", "soon 2", "due timer"), log);
        }
    }

    @Test
    void timerScheduledByATimerRunsOnALaterIteration() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(-1), () -> {
                log.add("outer");
                f.loop.callLater(Duration.ofSeconds(-10), () -> log.add("inner, already due"));
            });
            f.iterate(1);
            assertEquals(List.of("outer"), log);
            f.iterate(1);
            assertEquals(List.of("outer", "inner, already due"), log);
        }
    }

    // ------------------------------------------------------------------ B.18 FIFO ties

    @Test
    void sameDeadlineRunsInSchedulingOrder() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> log = new ArrayList<>();
            long deadline = f.loop.time() + 1_000_000_000L;
            for (int i = 0; i < 50; i++) {
                int n = i;
                if (i % 2 == 0) {
                    f.loop.callLater(Duration.ofSeconds(1), () -> log.add(n));
                } else {
                    f.loop.callAt(deadline, () -> log.add(n));
                }
                if (i % 7 == 0) {
                    f.loop.callLater(Duration.ofMillis(500 + i), () -> { }); // disturb the heap shape
                }
            }
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(2)));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add(i);
            }
            assertEquals(expected, log);
        }
    }

    // ------------------------------------------------------------------ B.19 cancel

    @Test
    void cancelledTimerNeverRunsAndDropsItsCallback() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Object argument = new Object();
            TimerHandle h = f.loop.callLater(Duration.ofMillis(10), () -> log.add("ran with " + argument));
            assertFalse(h.isCancelled());
            h.cancel();
            assertTrue(h.isCancelled());
            assertNull(h.callback(), "a cancelled timer must not keep its callback (and what it captured)");
            h.cancel(); // idempotent
            f.loop.runUntilComplete(Async.sleep(Duration.ofMillis(50)));
            assertEquals(List.of(), log);
        }
    }

    @Test
    void timerCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            TimerHandle[] second = new TimerHandle[1];
            f.loop.callLater(Duration.ofSeconds(-2), () -> {
                log.add("first");
                second[0].cancel();
            });
            second[0] = f.loop.callLater(Duration.ofSeconds(-1), () -> log.add("second"));
            f.iterate(2);
            assertEquals(List.of("first"), log);
        }
    }

    @Test
    void cancelledCallSoonHandleDoesNotRunAndDropsItsCallback() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            Handle h = f.loop.callSoon(() -> log.add("ran"));
            h.cancel();
            assertTrue(h.isCancelled());
            assertNull(h.callback());
            f.iterate(1);
            assertEquals(List.of(), log);
        }
    }

    // ------------------------------------------------------------------ B.20 select timeout

    @Test
    void selectWaitsForTheEarliestLiveTimerSkippingCancelledOnes() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callLater(Duration.ofSeconds(5), () -> { throw new AssertionError("cancelled timer ran"); }).cancel();
            f.loop.callLater(Duration.ofSeconds(10), f.loop::stop);
            f.loop.runForever();
            assertEquals(List.of(10_000L), f.poller.timeouts);
            assertEquals(0, f.loop.timerCount());
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    @Test
    void selectTimeoutIsRoundedUpToWholeMilliseconds() {
        long[][] cases = {{1, 1}, {999_999, 1}, {1_000_000, 1}, {1_000_001, 2}, {1_500_000, 2}, {2_000_000, 2},
                {10_000_000_000L, 10_000}};
        for (long[] c : cases) {
            try (GuardedLoop f = new GuardedLoop()) {
                f.loop.callLater(Duration.ofNanos(c[0]), f.loop::stop);
                f.loop.runForever();
                assertEquals(List.of(c[1]), f.poller.fake.timeouts, "timer in " + c[0] + " ns");
            }
        }
    }

    @Test
    void selectDoesNotWaitWhenACallbackIsReadyOrATimerIsDue() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callLater(Duration.ofSeconds(30), () -> { });
            f.loop.callSoon(() -> { });
            f.loop.runOnce(Duration.ofSeconds(60));
            assertEquals(List.of(0L), f.poller.timeouts);
        }
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callLater(Duration.ofNanos(-1), f.loop::stop);
            f.loop.runForever();
            assertEquals(List.of(0L), f.poller.timeouts);
        }
    }

    // ------------------------------------------------------------------ B.21 cancelled timers leave at once

    /** Schedules {@code n} timers at 10 s + i ms and returns their handles, earliest first. */
    private static List<TimerHandle> scheduleTimers(FakeLoop f, int n, List<Integer> fired) {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            handles.add(f.loop.callLater(Duration.ofMillis(10_000 + i), () -> fired.add(id)));
        }
        return handles;
    }

    @Test
    void cancelledTimersLeaveTheHeapAtOnceWhereverTheyAre() {
        try (FakeLoop f = new FakeLoop()) {
            TimerHandle a = f.loop.callLater(Duration.ofSeconds(1), () -> { });
            TimerHandle b = f.loop.callLater(Duration.ofSeconds(2), () -> { });
            TimerHandle c = f.loop.callLater(Duration.ofSeconds(3), () -> { });
            b.cancel();
            assertEquals(2, f.loop.timerCount(), "from the middle");
            a.cancel();
            assertEquals(1, f.loop.timerCount(), "from the head");
            c.cancel();
            assertEquals(0, f.loop.timerCount());
        }
    }

    @Test
    void aMostlyCancelledHeapFiresTheRestInOrder() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> fired = new ArrayList<>();
            List<TimerHandle> handles = scheduleTimers(f, 150, fired);
            for (int i = 74; i < 150; i++) {
                handles.get(i).cancel();
            }
            assertEquals(74, f.loop.timerCount());
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(11)));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 74; i++) {
                expected.add(i);
            }
            assertEquals(expected, fired);
            assertEquals(0, f.loop.timerCount());
        }
    }

    @Test
    void cancellingATimerThatAlreadyRanOrWasCancelledChangesNothing() {
        try (FakeLoop f = new FakeLoop()) {
            List<TimerHandle> early = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                early.add(f.loop.callLater(Duration.ofSeconds(1), () -> { }));
            }
            List<Integer> fired = new ArrayList<>();
            List<TimerHandle> late = scheduleTimers(f, 200, fired);
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(2)));
            assertEquals(200, f.loop.timerCount());
            for (TimerHandle h : early) {
                h.cancel(); // ran already: not in the heap
            }
            assertEquals(200, f.loop.timerCount());
            for (int i = 110; i < 200; i++) {
                late.get(i).cancel();
                late.get(i).cancel(); // twice: idempotent
            }
            assertEquals(110, f.loop.timerCount());
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(20)));
            assertEquals(110, fired.size());
            assertEquals(0, fired.get(0));
            assertEquals(109, fired.get(109));
        }
    }

    @Test
    void cancellingATimerInsideTheIterationThatFiresItStopsIt() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> ran = new ArrayList<>();
            TimerHandle[] second = new TimerHandle[1];
            f.loop.callLater(Duration.ofSeconds(1), () -> {
                ran.add("first");
                second[0].cancel(); // already moved to the ready queue in this iteration
            });
            second[0] = f.loop.callLater(Duration.ofSeconds(1), () -> ran.add("second"));
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(2)));
            assertEquals(List.of("first"), ran);
        }
    }

    // ------------------------------------------------------------------ B.22 tiny timeouts

    @Test
    void tinySleepsFinishInAFewIterationsWithoutSpinning() {
        try (GuardedLoop f = new GuardedLoop()) {
            double[] seconds = {1e-2, 1e-4, 1e-6, 1e-8, 1e-10};
            for (double s : seconds) {
                long start = f.loop.time();
                long nanos = (long) (s * 1e9);
                f.loop.runUntilComplete(Async.sleep(Duration.ofNanos(nanos)));
                assertTrue(f.loop.time() - start >= nanos);
            }
            assertTrue(f.poller.selects <= 20, "the sleeps took " + f.poller.selects + " iterations: "
                    + f.poller.fake.timeouts);
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    // ------------------------------------------------------------------ B.23 huge delays

    @Test
    void hugeDelayNeitherOverflowsNorFiresAndCanBeCancelled() {
        try (GuardedLoop f = new GuardedLoop()) {
            EventLoop loop = f.loop;
            GuardedPoller poller = f.poller;
            List<String> log = new ArrayList<>();
            TimerHandle huge = loop.callLater(Duration.ofMillis(Long.MAX_VALUE), () -> log.add("huge fired"));
            TimerHandle hugeSeconds = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), () -> log.add("huge fired"));
            assertEquals(Long.MAX_VALUE, huge.when());
            assertEquals(Long.MAX_VALUE, hugeSeconds.when());

            loop.callLater(Duration.ofSeconds(1), loop::stop);
            loop.runForever();
            assertEquals(List.of(1_000L), poller.fake.timeouts);

            // Alone, the huge timer asks for a long but positive wait, not 0 or "forever".
            loop.runForever();
            long expected = (Long.MAX_VALUE - loop.time() - 1) / 1_000_000 + 1;
            assertEquals(expected, poller.longWaits.get(0));
            assertTrue(poller.longWaits.get(0) > 0);
            assertEquals(List.of(), log);

            huge.cancel();
            hugeSeconds.cancel();
            assertTrue(huge.isCancelled());
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(0, loop.timerCount());
            assertEquals(List.of(), log);
        }
    }

    @Test
    void hugeNegativeDelaySaturatesAndRunsFirst() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.callLater(Duration.ofSeconds(-1), () -> log.add("minus one second"));
            TimerHandle h = f.loop.callLater(Duration.ofSeconds(Long.MIN_VALUE), () -> log.add("minus forever"));
            assertTrue(h.when() < f.loop.time());
            f.iterate(1);
            assertEquals(List.of("minus forever", "minus one second"), log);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void nullArgumentsAreRejectedByName() {
        try (FakeLoop f = new FakeLoop()) {
            assertEquals("delay", assertThrows(NullPointerException.class,
                    () -> f.loop.callLater(null, () -> { })).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> f.loop.callLater(Duration.ZERO, null)).getMessage());
            assertEquals("callback", assertThrows(NullPointerException.class,
                    () -> f.loop.callAt(0, null)).getMessage());
            assertEquals("delay", assertThrows(NullPointerException.class,
                    () -> Async.sleep(null)).getMessage());
            assertEquals("delay", assertThrows(NullPointerException.class,
                    () -> Async.sleep(null, "v")).getMessage());
            assertEquals(0, f.loop.timerCount());
        }
    }

    /**
     * Like {@link FakeLoop}, on a {@link GuardedPoller}: a loop that would spin on a
     * sub-millisecond timer fails the test instead of running forever.
     */
    private static final class GuardedLoop implements AutoCloseable {
        final FakeClock clock = new FakeClock();
        final GuardedPoller poller = new GuardedPoller(clock, 10_000);
        final EventLoop loop = new EventLoop(EventLoop.Options.defaults(), clock, poller);
        final List<ErrorContext> errors = new ArrayList<>();

        GuardedLoop() {
            poller.loop = loop;
            loop.setExceptionHandler((l, context) -> errors.add(context));
        }

        @Override
        public void close() {
            loop.close();
        }
    }

    /**
     * A {@link FakePoller} that fails instead of spinning forever, and that, when asked to wait
     * longer than a year, records it and stops the loop instead of moving the clock.
     */
    private static final class GuardedPoller implements Poller {
        private static final long A_YEAR_MILLIS = Duration.ofDays(365).toMillis();
        final FakePoller fake;
        final int maxSelects;
        final List<Long> longWaits = new ArrayList<>();
        EventLoop loop;
        int selects;

        GuardedPoller(FakeClock clock, int maxSelects) {
            this.fake = new FakePoller(clock);
            this.maxSelects = maxSelects;
        }

        @Override
        public int select(long timeoutMillis, Consumer<SelectionKey> onReady) {
            if (++selects > maxSelects) {
                throw new AssertionError("the loop spun: " + selects + " selects");
            }
            if (timeoutMillis > A_YEAR_MILLIS && loop != null) {
                longWaits.add(timeoutMillis);
                loop.stop();
                return 0;
            }
            return fake.select(timeoutMillis, onReady);
        }

        @Override
        public void wakeup() {
            fake.wakeup();
        }

        @Override
        public SelectionKey register(SelectableChannel channel, int ops, Object attachment)
                throws ClosedChannelException {
            return fake.register(channel, ops, attachment);
        }

        @Override
        public SelectionKey keyFor(SelectableChannel channel) {
            return fake.keyFor(channel);
        }

        @Override
        public int registeredCount() {
            return fake.registeredCount();
        }

        @Override
        public void close() {
            fake.close();
        }
    }
}
