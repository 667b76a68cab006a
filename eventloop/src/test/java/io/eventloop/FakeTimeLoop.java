package io.eventloop;

import java.util.List;

/**
 * {@link FakeLoop} for tests in other packages (io.eventloop.sync): an event loop on fake time,
 * the errors its exception handler received, and iteration by iteration stepping.
 */
public final class FakeTimeLoop implements AutoCloseable {
    private final FakeLoop fake = new FakeLoop();

    /** The loop; it is {@link EventLoop#current()} on the creating thread until closed. */
    public EventLoop loop() {
        return fake.loop;
    }

    /** What the loop's exception handler received. */
    public List<ErrorContext> errors() {
        return fake.errors;
    }

    /** Runs {@code n} loop iterations. */
    public void iterate(int n) {
        fake.iterate(n);
    }

    /** Runs until {@code future} is done and returns its value (or throws its failure). */
    public <T> T run(Future<T> future) {
        return fake.loop.runUntilComplete(future);
    }

    /** Fake milliseconds since the loop was created. */
    public long nowMillis() {
        return (fake.clock.nanoTime() - 1_000_000_000L) / 1_000_000L;
    }

    /** Moves the fake clock forward without running the loop, like a callback that blocks. */
    public void advanceMillis(long millis) {
        fake.clock.advanceMillis(millis);
    }

    @Override
    public void close() {
        fake.close();
    }
}
