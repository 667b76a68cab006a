package io.eventloop;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A poller with no sockets: "waiting" advances the fake clock by the timeout, so a test runs a
 * ten-second sleep in microseconds. Records every timeout it was asked to wait.
 */
final class FakePoller implements Poller {
    private final FakeClock clock;
    /** Every select timeout, in milliseconds (-1: until woken). */
    final List<Long> timeouts = new ArrayList<>();
    volatile int wakeups;
    /** Runs at every select, before it returns; for tests that count what ran between polls. */
    Runnable onSelect = () -> { };
    private volatile boolean woken;
    boolean closed;

    FakePoller(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public int select(long timeoutMillis, Consumer<SelectionKey> onReady) {
        timeouts.add(timeoutMillis);
        onSelect.run();
        if (woken) {
            woken = false;
            return 0;
        }
        if (timeoutMillis < 0) {
            throw new AssertionError("the loop would block forever: nothing is ready and no timer is set");
        }
        clock.advanceMillis(timeoutMillis);
        return 0;
    }

    @Override
    public void wakeup() {
        wakeups++;
        woken = true;
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, Object attachment) {
        throw new AssertionError("the fake poller has no channels; use a real EventLoop for I/O tests");
    }

    @Override
    public SelectionKey keyFor(SelectableChannel channel) {
        return null;
    }

    @Override
    public int registeredCount() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The last timeout asked for. */
    long lastTimeout() {
        return timeouts.get(timeouts.size() - 1);
    }
}
