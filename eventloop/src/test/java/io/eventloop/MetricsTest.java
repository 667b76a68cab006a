package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** loop.metrics(): counters kept per iteration, readable from any thread. */
class MetricsTest {

    @Test
    void countsIterationsCallbacksAndPendingTasks() {
        try (FakeLoop f = new FakeLoop()) {
            LoopMetrics m0 = f.loop.metrics();
            assertEquals(0, m0.iterations());
            assertEquals(0, m0.callbacksRun());
            f.loop.callSoon(() -> { });
            f.loop.callSoon(() -> { });
            f.loop.createTask("waits", () -> f.loop.createFuture());
            f.iterate(3);
            LoopMetrics m = f.loop.metrics();
            assertEquals(3, m.iterations());
            assertEquals(3, m.callbacksRun()); // two callbacks and the task's first step
            assertEquals(1, m.pendingTasks());
            assertEquals(0, m.registeredChannels());
        }
    }

    @Test
    void timerLagIsHowLateATimerFires() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callLater(Duration.ofMillis(10), () -> { });
            f.loop.callSoon(() -> f.clock.advanceMillis(40)); // a slow callback holds the timer up
            f.iterate(2);
            LoopMetrics m = f.loop.metrics();
            assertEquals(Duration.ofMillis(30), m.lastTimerLag());
            assertEquals(Duration.ofMillis(30), m.maxTimerLag());
            f.loop.runUntilComplete(f.later(10, "x")); // the poller waits exactly until the deadline: on time
            assertEquals(Duration.ZERO, f.loop.metrics().lastTimerLag());
            assertEquals(Duration.ofMillis(30), f.loop.metrics().maxTimerLag());
        }
    }

    @Test
    void idleIsTimeBlockedInSelectAndBusyIsTheRest() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.callSoon(() -> f.clock.advanceMillis(20)); // 20 ms of work
            f.loop.runUntilComplete(Async.sleep(Duration.ofMillis(100))); // 100 ms asleep in select
            LoopMetrics m = f.loop.metrics();
            assertEquals(Duration.ofMillis(80), m.idle()); // the sleep began before the work ran
            assertEquals(Duration.ofMillis(20), m.busy());
        }
    }

    @Test
    void aSnapshotCanBeTakenFromAnotherThreadWhileTheLoopRuns() throws Exception {
        try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null))) {
            CompletableFuture<LoopMetrics> seen = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                LoopMetrics m;
                do {
                    m = loop.metrics();
                } while (m.iterations() < 5);
                seen.complete(m);
                loop.callSoonThreadsafe(() -> { });
            });
            Future<Void> done = loop.createFuture();
            loop.createTask("spin", () -> Async.repeat(() -> Async.yieldNow().map(v -> !seen.isDone()))
                    .map(v -> done.complete(null)));
            reader.start();
            loop.runUntilComplete(done);
            reader.join(30_000);
            LoopMetrics m = seen.get(30, TimeUnit.SECONDS);
            assertTrue(m.iterations() >= 5, m.toString());
            assertTrue(m.callbacksRun() >= 4, m.toString());
            assertTrue(loop.metrics().iterations() >= m.iterations());
        }
    }
}
