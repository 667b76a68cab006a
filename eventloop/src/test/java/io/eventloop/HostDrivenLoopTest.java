package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#runOnce(Duration)}: a loop driven by a host that owns its thread. */
class HostDrivenLoopTest {

    @Test
    void aHostThreadDrivesTheLoopOneIterationPerCall() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = f.clock.nanoTime();
            Thread host = new Thread(() -> {
                try {
                    Task<String> t = null;
                    int frames = 0;
                    while (t == null || !t.isDone()) {
                        if (t == null) {
                            // the first frame creates the work: the host thread is now the loop thread
                            f.loop.runOnce(Duration.ZERO);
                            t = f.loop.createTask(() -> Async.sleep(Duration.ofMillis(45)).map(v -> "slept"));
                        }
                        f.loop.runOnce(Duration.ofMillis(10)); // one frame: at most 10 ms of waiting
                        frames++;
                        log.add("frame " + frames + " at " + (f.loop.time() - start) / 1_000_000 + " ms");
                    }
                    log.add(t.result());
                    assertSame(Thread.currentThread(), f.loop.thread);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "host");
            host.start();
            host.join(30_000);
            assertFalse(host.isAlive());
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            // frame 1 starts the task and its timer; frames 2-6 wait 10 ms each; the timer fires in frame 6
            assertEquals(List.of("frame 1 at 0 ms", "frame 2 at 10 ms", "frame 3 at 20 ms", "frame 4 at 30 ms",
                    "frame 5 at 40 ms", "frame 6 at 45 ms", "frame 7 at 45 ms", "slept"), log);
        }
    }

    @Test
    void eachCallPollsOnceWaitingAtMostMaxWaitAndReturnsTheCallbacksRun() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callLater(Duration.ofSeconds(5), () -> { });
            f.loop.callSoon(() -> { });
            f.loop.callSoon(() -> { });
            assertEquals(2, f.loop.runOnce(Duration.ofSeconds(1)));
            assertEquals(0, f.loop.runOnce(Duration.ofSeconds(1)));
            assertEquals(0, f.loop.runOnce(Duration.ofNanos(1)));
            assertEquals(List.of(0L, 1000L, 1L), f.poller.timeouts, "ready: no wait; else capped, rounded up");
            f.loop.callSoon(() -> { });
            for (int i = 0; i < 3; i++) {
                f.loop.callSoon(() -> { });
                f.loop.runOnce(Duration.ZERO);
            }
            assertEquals(6, f.poller.timeouts.size(), "a host-driven iteration always polls");
        }
    }

    @Test
    void runOnceIsRefusedWhileTheLoopRunsAndForANegativeWait() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> f.loop.runOnce(Duration.ofMillis(-5)));
            assertTrue(negative.getMessage().contains("PT-0.005S"), negative.getMessage());
            List<Throwable> inside = new ArrayList<>();
            f.loop.callSoon(() -> {
                try {
                    f.loop.runOnce(Duration.ZERO);
                } catch (IllegalStateException e) {
                    inside.add(e);
                }
                f.loop.stop();
            });
            f.loop.runForever();
            assertEquals(1, inside.size());
            assertTrue(inside.get(0).getMessage().contains("already running"), inside.get(0).getMessage());
            assertFalse(f.loop.isRunning());
        }
    }

    @Test
    void stopInsideAHostDrivenIterationEndsOnlyThatIteration() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callSoon(f.loop::stop);
            f.loop.runOnce(Duration.ZERO);
            List<String> ran = new ArrayList<>();
            f.loop.callSoon(() -> ran.add("next"));
            f.loop.callLater(Duration.ofMillis(1), () -> ran.add("timer"));
            f.loop.runOnce(Duration.ofSeconds(1));
            assertEquals(List.of("next"), ran);
            assertEquals(0L, f.poller.lastTimeout(), "no stop left pending, and a callback was ready");
            f.loop.runOnce(Duration.ofSeconds(1));
            assertEquals(List.of("next", "timer"), ran);
        }
    }

    @Test
    void aClosedLoopRefusesRunOnce() {
        FakeLoop f = new FakeLoop();
        f.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.loop.runOnce(Duration.ZERO));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
