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
 * When the loop polls I/O: whenever the ready queue runs empty, and otherwise once
 * {@link EventLoop#POLL_INTERVAL} callbacks have run since the last poll. The logical iteration
 * does not change: what a callback schedules still runs after the current snapshot.
 */
class PollCadenceTest {

    /** A callback that reschedules itself forever, counting its runs. */
    private static final class Storm implements Runnable {
        final EventLoop loop;
        long runs;
        boolean stopped;

        Storm(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            runs++;
            if (!stopped) {
                loop.callSoon(this);
            }
        }
    }

    @Test
    void anEndlessCallSoonChainIsInterruptedByAPollEverySixtyFourCallbacks() {
        try (FakeLoop f = new FakeLoop()) {
            Storm storm = new Storm(f.loop);
            List<Long> runsAtPoll = new ArrayList<>();
            f.poller.onSelect = () -> runsAtPoll.add(storm.runs);
            f.loop.callSoon(storm);
            f.loop.callLater(Duration.ofSeconds(1), () -> { }); // a timer: the loop is never idle
            f.loop.callSoon(new Runnable() {
                int left = 10_000;

                @Override
                public void run() {
                    if (--left == 0) {
                        storm.stopped = true;
                        f.loop.stop();
                    } else {
                        f.loop.callSoon(this);
                    }
                }
            });
            f.loop.runForever();
            assertTrue(runsAtPoll.size() > 100, "polled " + runsAtPoll.size() + " times");
            for (int i = 1; i < runsAtPoll.size(); i++) {
                long gap = runsAtPoll.get(i) - runsAtPoll.get(i - 1);
                // two chains: 2 callbacks per iteration, so a poll after 32 iterations
                assertTrue(gap <= EventLoop.POLL_INTERVAL / 2, "the storm ran " + gap + " times between two polls");
            }
        }
    }

    @Test
    void betweenTwoPollsRunAtMostSixtyThreeCallbacksPlusOneSnapshot() {
        try (FakeLoop f = new FakeLoop()) {
            long[] callbacks = {0};
            List<Long> atPoll = new ArrayList<>();
            f.poller.onSelect = () -> atPoll.add(callbacks[0]);
            int[] round = {0};
            Runnable burst = new Runnable() {
                @Override
                public void run() {
                    callbacks[0]++;
                    // every 10th run fans out 500 callbacks into the next snapshot
                    int n = ++round[0] % 10 == 0 ? 500 : 1;
                    for (int i = 0; i < n - 1; i++) {
                        f.loop.callSoon(() -> callbacks[0]++);
                    }
                    if (round[0] < 2_000) {
                        f.loop.callSoon(this);
                    }
                }
            };
            f.loop.callSoon(burst);
            f.loop.callLater(Duration.ofDays(1), () -> { });
            f.loop.callLater(Duration.ofMillis(1), f.loop::stop);
            f.loop.runForever();
            long bound = EventLoop.POLL_INTERVAL - 1 + 500;
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
            Storm storm = new Storm(f.loop);
            f.loop.callSoon(storm);
            long[] firedAfter = {-1};
            f.loop.callLater(Duration.ZERO, () -> firedAfter[0] = storm.runs);
            f.loop.callSoon(() -> f.loop.callSoon(() -> f.loop.callSoon(f.loop::stop)));
            f.loop.runForever();
            storm.stopped = true;
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

    /** With real I/O: a pipe made readable before the storm starts is served within the bound. */
    @Test
    void aReadableChannelIsServedWithinSixtyFourCallbacksOfAStorm() throws IOException {
        Pipe pipe = Pipe.open();
        try (EventLoop loop = new EventLoop()) {
            pipe.source().configureBlocking(false);
            pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
            Storm storm = new Storm(loop);
            long[] servedAfter = {-1};
            loop.addReader(pipe.source(), () -> {
                servedAfter[0] = storm.runs;
                storm.stopped = true;
                loop.removeReader(pipe.source());
                loop.stop();
            });
            loop.callSoon(storm);
            loop.runForever();
            // 64 callbacks, then the poll; the reader joins the snapshot behind the storm's next run
            assertTrue(servedAfter[0] >= 1 && servedAfter[0] <= EventLoop.POLL_INTERVAL + 1,
                    "served after " + servedAfter[0] + " storm callbacks");
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
