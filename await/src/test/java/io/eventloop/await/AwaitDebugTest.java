package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Debug mode sees a coroutine task like any task: a slow step is logged with the task's name and
 * where it was created, and the watchdog's stack of a blocked loop shows the body's own frames.
 * The warnings go to slf4j-simple, which writes to {@code System.err} as it is when it logs.
 */
class AwaitDebugTest {

    /** What was logged so far. */
    private static final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private static String stderrOf(Runnable run) {
        PrintStream err = System.err;
        buffer.reset();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * A body that blocks the loop thread between two awaits, the mistake debug mode is for, until
     * the watchdog has reported it (at most 30 s): so the test waits for the report, not for a
     * guessed time.
     */
    private static Void blocksBetweenAwaits() throws InterruptedException {
        await(Async.yieldNow());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!buffer.toString(StandardCharsets.UTF_8).contains("blocked: thread") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        await(Async.yieldNow());
        return null;
    }

    @Test
    void aSlowStepIsLoggedWithTheTaskAndTheWatchdogShowsTheBodysFrames() {
        EventLoop.Options options = EventLoop.Options.defaults().debug(true)
                .slowCallbackDuration(Duration.ofMillis(100)).watchdog(Duration.ofMillis(100));
        String log = stderrOf(() -> EventLoop.run(options, () -> async("slowpoke", AwaitDebugTest::blocksBetweenAwaits)));
        assertTrue(log.contains("Executing Task 'slowpoke' created at io.eventloop.await.AwaitDebugTest"), log);
        assertTrue(log.contains("blocked: thread"), log);
        assertTrue(log.contains("at io.eventloop.await.AwaitDebugTest.blocksBetweenAwaits(AwaitDebugTest.java:"), log);
    }
}
