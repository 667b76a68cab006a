package io.eventloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** The production {@link Poller}: a {@link Selector}. */
final class NioPoller implements Poller {
    private final Selector selector;
    /** Calls to {@link Selector#wakeup()}; read by benchmarks to show one wake-up per sleep. */
    final LongAdder wakeups = new LongAdder();

    NioPoller() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector", e);
        }
    }

    @Override
    public int select(long timeoutMillis, Consumer<SelectionKey> onReady) throws IOException {
        if (timeoutMillis == 0) {
            // Nothing registered means nothing can be ready: skip the selectNow() system call.
            // Chained callSoon dispatch goes through runOnce once per hop, so this matters
            // there (see docs/benchmarks.md, "callSoon chained").
            if (selector.keys().isEmpty()) {
                return 0;
            }
            return selector.selectNow(onReady);
        }
        // select(0) would block forever; -1 is our "no timeout" and maps to it.
        return selector.select(onReady, timeoutMillis < 0 ? 0 : timeoutMillis);
    }

    @Override
    public void wakeup() {
        wakeups.increment();
        selector.wakeup();
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, Object attachment)
            throws ClosedChannelException {
        return channel.register(selector, ops, attachment);
    }

    @Override
    public SelectionKey keyFor(SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    @Override
    public int registeredCount() {
        return selector.keys().size();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
