package io.eventloop.await;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** A suspended body is never dropped: however the loop ends, its finally blocks run. */
class AwaitCloseTest {

    @Test
    void runCancelsLeftoverCoroutinesAndTheirFinallyRuns() {
        List<String> log = new ArrayList<>();
        String result = EventLoop.run(() -> {
            async(() -> {
                try {
                    await(Async.sleep(Duration.ofHours(1)));
                } finally {
                    log.add("leftover finally");
                    await(Async.sleep(Duration.ofMillis(1))); // cleanup may still wait: the loop runs
                    log.add("leftover cleaned up");
                }
                return null;
            });
            return async(() -> await(Async.sleep(Duration.ofMillis(5), "main")));
        });
        assertEquals("main", result);
        assertEquals(List.of("leftover finally", "leftover cleaned up"), log);
    }

    @Test
    void closingTheLoopResumesSuspendedBodiesSoTheirFinallyRuns() {
        List<String> log = new ArrayList<>();
        List<ErrorContext> errors = new ArrayList<>();
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
        Future<Void> started = loop.createFuture();
        Future<Void> cleanup = loop.createFuture();
        async(() -> {
            try {
                started.complete(null);
                await(loop.createFuture());
            } catch (CancellationException e) {
                log.add("cancelled: " + e.getMessage().contains("closed"));
                throw e;
            } finally {
                log.add("finally");
                try {
                    await(cleanup);
                } catch (CancellationException e) {
                    log.add("an await in finally throws at once");
                }
            }
            return null;
        });
        loop.runUntilComplete(started);
        loop.close();
        assertEquals(List.of("cancelled: true", "finally", "an await in finally throws at once"), log);
        assertEquals(1, errors.size(), "only the report of the pending task: " + errors);
        assertTrue(errors.get(0).message().contains("destroyed but it is pending"));
        String reported = errors.get(0).task().toString();
        assertTrue(reported.contains("waiting on Future[pending"), "the report says what the body awaits: " + reported);
    }
}
