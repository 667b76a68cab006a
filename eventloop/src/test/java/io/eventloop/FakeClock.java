package io.eventloop;

/** Time that moves only when a test, or the {@link FakePoller}, moves it. */
final class FakeClock implements Clock {
    private long now;

    FakeClock() {
        this(1_000_000_000L);
    }

    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    void advanceNanos(long nanos) {
        now += nanos;
    }

    void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }
}
