package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the loop polls I/O: whenever the ready queue runs empty, and, while callbacks keep it
 * busy, once {@link Scheduler#POLL_INTERVAL_NANOS} have passed since the busy stretch began; it
 * looks at the clock once per {@link Scheduler#POLL_INTERVAL} callbacks. The logical iteration
 * does not change: what a callback schedules still runs after the current snapshot.
 */
class PollCadenceTest {

    /** A callback that reschedules itself, counting its runs; each run takes {@code costNanos} of fake time. */
    private static final class Storm implements Runnable {
        final FakeLoop f;
        final long costNanos;
        long runs;
        long limit = Long.MAX_VALUE;

        Storm(FakeLoop f, long costNanos) {
            this.f = f;
            this.costNanos = costNanos;
        }

        @Override
        public void run() {
            runs++;
            f.clock.advanceNanos(costNanos);
            if (runs < limit) {
                f.loop.callSoon(this);
            } else {
                f.loop.stop();
            }
        }
    }

    /** Storm runs between consecutive polls of a storm of {@code limit} runs costing {@code costNanos} each. */
    private static List<Long> gapsBetweenPolls(long costNanos, long limit) {
        try (FakeLoop f = new FakeLoop()) {
            Storm storm = new Storm(f, costNanos);
            storm.limit = limit;
            List<Long> runsAtPoll = new ArrayList<>();
            f.poller.onSelect = () -> runsAtPoll.add(storm.runs);
            f.loop.callLater(Duration.ofDays(1), () -> { }); // a timer: the loop never waits forever
            f.loop.callSoon(storm);
            f.loop.runForever();
            runsAtPoll.remove(runsAtPoll.size() - 1); // the last iteration polls because of stop()
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < runsAtPoll.size(); i++) {
                gaps.add(runsAtPoll.get(i) - runsAtPoll.get(i - 1));
            }
            return gaps;
        }
    }

    @Test
    void aStormOfOneMicrosecondCallbacksIsInterruptedByAPollEvery128Callbacks() {
        List<Long> gaps = gapsBetweenPolls(1_000, 20_000);
        assertTrue(gaps.size() > 100, "polled " + gaps.size() + " times");
        // 64 callbacks to the first look at the clock (the stretch begins), 64 more to the next
        // look, by which 64 us >= 50 us have passed: a poll
        for (long gap : gaps) {
            assertEquals(2 * Scheduler.POLL_INTERVAL, gap);
        }
    }

    @Test
    void cheapCallbacksArePolledAbout50MicrosecondsApart() {
        List<Long> gaps = gapsBetweenPolls(100, 100_000); // 0.1 us each
        assertTrue(gaps.size() > 100, "polled " + gaps.size() + " times");
        for (long gap : gaps) {
            // 64 to begin the stretch, then looks every 64 until 50 us (500 callbacks) have passed
            assertEquals(Scheduler.POLL_INTERVAL + 512, gap);
        }
    }

    @Test
    void betweenTwoPollsRunAtMostTwoRoundsOfCallbacksEachEndingInASnapshot() {
        try (FakeLoop f = new FakeLoop()) {
            long[] callbacks = {0};
            List<Long> atPoll = new ArrayList<>();
            f.poller.onSelect = () -> atPoll.add(callbacks[0]);
            int[] round = {0};
            Runnable burst = new Runnable() {
                @Override
                public void run() {
                    callbacks[0]++;
                    f.clock.advanceNanos(10_000); // slow callbacks: 10 us each
                    // every 10th run fans out 500 callbacks into the next snapshot
                    int n = ++round[0] % 10 == 0 ? 500 : 1;
                    for (int i = 0; i < n - 1; i++) {
                        f.loop.callSoon(() -> {
                            callbacks[0]++;
                            f.clock.advanceNanos(10_000);
                        });
                    }
                    if (round[0] < 2_000) {
                        f.loop.callSoon(this);
                    } else {
                        f.loop.stop();
                    }
                }
            };
            f.loop.callSoon(burst);
            f.loop.callLater(Duration.ofDays(1), () -> { });
            f.loop.runForever();
            // two looks at the clock, each after at most 63 callbacks and one whole snapshot
            long bound = 2 * (Scheduler.POLL_INTERVAL - 1 + 500);
            for (int i = 1; i < atPoll.size(); i++) {
                long gap = atPoll.get(i) - atPoll.get(i - 1);
                assertTrue(gap <= bound, gap + " callbacks ran between two polls, more than " + bound);
            }
            assertTrue(atPoll.size() > 10);
        }
    }

    @Test
    void dueTimersAreStillCheckedEveryIterationUnderAStorm() {
        try (FakeLoop f = new FakeLoop()) {
            Storm storm = new Storm(f, 0);
            storm.limit = 3;
            f.loop.callSoon(storm);
            long[] firedAfter = {-1};
            f.loop.callLater(Duration.ZERO, () -> firedAfter[0] = storm.runs);
            f.loop.runForever();
            assertEquals(1, firedAfter[0], "the due timer ran in the first iteration, not at the next poll");
        }
    }

    @Test
    void aQuietLoopPollsEveryIteration() {
        try (FakeLoop f = new FakeLoop()) {
            for (int i = 1; i <= 5; i++) {
                f.loop.callLater(Duration.ofMillis(10 * i), () -> { });
            }
            f.loop.callLater(Duration.ofMillis(60), f.loop::stop);
            f.loop.runForever();
            assertEquals(List.of(10L, 10L, 10L, 10L, 10L, 10L), f.poller.timeouts);
        }
    }

    @Test
    void stopPollsInTheLastIteration() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callSoon(() -> { });
            f.loop.stop();
            f.loop.runForever();
            assertEquals(List.of(0L), f.poller.timeouts, "stop() before runForever: one iteration that polls");
        }
    }

    /** With real I/O and the real clock: a pipe made readable before a storm starts is served while it rages. */
    @Test
    void aReadableChannelIsServedDuringAnEndlessStorm() throws IOException {
        Pipe pipe = Pipe.open();
        try (EventLoop loop = new EventLoop()) {
            pipe.source().configureBlocking(false);
            pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
            long[] runs = {0};
            long limit = 10_000_000; // far more than 50 us of callbacks on any machine
            long[] servedAfter = {-1};
            Runnable storm = new Runnable() {
                @Override
                public void run() {
                    if (++runs[0] < limit && servedAfter[0] < 0) {
                        loop.callSoon(this);
                    } else {
                        loop.stop();
                    }
                }
            };
            loop.addReader(pipe.source(), () -> {
                servedAfter[0] = runs[0];
                loop.removeReader(pipe.source());
            });
            loop.callSoon(storm);
            loop.runForever();
            assertTrue(servedAfter[0] >= Scheduler.POLL_INTERVAL && servedAfter[0] < limit,
                    "served after " + servedAfter[0] + " storm callbacks");
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
