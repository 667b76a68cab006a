package io.eventloop;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventLoop} on fake time, with its clock, poller and the errors it reported. */
final class FakeLoop implements AutoCloseable {
    final FakeClock clock = new FakeClock();
    final FakePoller poller = new FakePoller(clock);
    final EventLoop loop = new EventLoop(EventLoop.Options.defaults(), clock, poller);
    final List<ErrorContext> errors = new ArrayList<>();

    FakeLoop() {
        loop.setExceptionHandler((l, context) -> errors.add(context));
    }

    /** Runs {@code n} iterations. */
    void iterate(int n) {
        for (int i = 0; i < n; i++) {
            loop.stop();
            loop.runForever();
        }
    }

    /** A future that completes with {@code value} after {@code millis} of loop time. */
    <T> Future<T> later(long millis, T value) {
        Future<T> fut = loop.createFuture();
        loop.callLater(java.time.Duration.ofMillis(millis), () -> fut.complete(value));
        return fut;
    }

    /** A future that fails with {@code error} after {@code millis} of loop time. */
    <T> Future<T> failingLater(long millis, Throwable error) {
        Future<T> fut = loop.createFuture();
        loop.callLater(java.time.Duration.ofMillis(millis), () -> fut.fail(error));
        return fut;
    }

    /** Milliseconds of fake time since the loop was made. */
    long elapsedMillis(long start) {
        return (clock.nanoTime() - start) / 1_000_000L;
    }

    @Override
    public void close() {
        if (!loop.isClosed()) {
            loop.close();
        }
    }
}
