package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;

/** Helpers for socket tests on a real loop. */
final class NetTesting {
    /** How long a test waits for anything before calling it a hang: a guard, never an assertion. */
    static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private NetTesting() {
    }

    /** Runs the loop until {@code f} is done, failing with a TimeoutException after {@link #HANG_GUARD}. */
    static <T> T await(EventLoop loop, Future<T> f) {
        return loop.runUntilComplete(Async.waitFor(f, HANG_GUARD));
    }

    /** Runs the loop until {@code f} is done and returns its failure (null if it succeeded). */
    static Throwable failure(EventLoop loop, Future<?> f) {
        Future<Object> done = loop.createFuture();
        f.onDone(x -> done.complete(null));
        await(loop, done);
        return f.exception();
    }

    /** Runs {@code n} iterations. */
    static void iterate(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.stop();
            loop.runForever();
        }
    }

    /** Asserts the loop has no channel registered, after one iteration flushes cancelled keys. */
    static void assertNoChannels(EventLoop loop) {
        iterate(loop, 2);
        assertEquals(0, loop.metrics().registeredChannels(), "channels still registered with the loop");
    }

    /** Closes the loop after checking it has no channel left. */
    static void finish(EventLoop loop) {
        try {
            assertNoChannels(loop);
        } finally {
            loop.close();
        }
    }
}
