package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog reports a loop thread stuck in one callback, while it is stuck; never an idle loop. */
class WatchdogTest {
    private final BlockingQueue<String> warnings = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        Diagnostics.tap = warnings::add;
    }

    @AfterEach
    void tearDown() {
        Diagnostics.tap = null;
    }

    @Test
    void aBlockedLoopIsReportedWithItsStackWhileBlockedAndOnceWhenItComesBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().debug(true)
                    .slowCallbackDuration(Duration.ofHours(1)).watchdog(Duration.ofMillis(50)))) {
                Task<String> t = loop.createTask("stuck-worker", () -> {
                    awaitQuietly(release); // the mistake: blocking the loop thread
                    return Async.completed("done");
                });
                outcome.set(loop.runUntilComplete(t));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "watched-loop");
        runner.start();
        String report = warnings.poll(30, TimeUnit.SECONDS);
        assertNotNull(report, "no watchdog report");
        assertTrue(report.startsWith("Event loop EventLoop@"), report);
        assertTrue(report.contains("blocked: thread 'watched-loop' has been running Task 'stuck-worker' created at"
                + " io.eventloop.WatchdogTest."), report);
        assertTrue(report.contains("(watchdog threshold 0.050 s); it is at:"), report);
        assertTrue(report.contains("java.util.concurrent.CountDownLatch.await("), report); // the stack, now
        assertTrue(report.contains("io.eventloop.WatchdogTest.awaitQuietly("), report);
        release.countDown();
        String back = warnings.poll(30, TimeUnit.SECONDS);
        assertNotNull(back, "no 'unblocked' line");
        assertTrue(back.matches("Event loop EventLoop@\\p{XDigit}+\\[\\w+] unblocked after \\d+\\.\\d{3} seconds in Task"
                + " 'stuck-worker' created at io\\.eventloop\\.WatchdogTest\\..*"), back);
        runner.join(30_000);
        assertEquals("done", outcome.get());
        assertEquals(List.of(), List.copyOf(warnings), "one report per episode");
    }

    @Test
    void aLoopWaitingInSelectLongerThanTheThresholdIsNotReported() {
        EventLoop.Options o = EventLoop.Options.defaults().watchdog(Duration.ofMillis(20));
        String v = EventLoop.run(o, () -> Async.sleep(Duration.ofMillis(300)).map(x -> "slept"));
        assertEquals("slept", v);
        assertEquals(List.of(), List.copyOf(warnings));
    }

    @Test
    void manyShortCallbacksAddingUpPastTheThresholdAreNotReported() {
        // The threshold is well above a scheduling hiccup of this shared 2-core machine (a 20 ms one
        // was once seen to be exceeded by a single short step under load); the run is four of them.
        EventLoop.Options o = EventLoop.Options.defaults().watchdog(Duration.ofMillis(250));
        long end = System.nanoTime() + 1_000_000_000L; // four thresholds of short steps, not an assertion
        String v = EventLoop.run(o, () -> Async.repeat(() -> Async.yieldNow().map(x -> System.nanoTime() < end))
                .map(x -> "counted"));
        assertEquals("counted", v);
        assertEquals(List.of(), List.copyOf(warnings));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
