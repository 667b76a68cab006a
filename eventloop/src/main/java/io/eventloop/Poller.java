package io.eventloop;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;

/**
 * What the loop waits on: the second seam (with {@link Clock}) that lets scheduler tests run
 * without sockets. The only production implementation is {@link NioPoller}, over a
 * {@link java.nio.channels.Selector}.
 *
 * <p>Confined to the loop thread, except {@link #wakeup()}, which any thread may call.
 */
interface Poller extends AutoCloseable {
    /**
     * Waits for readiness and hands each ready key to {@code onReady}.
     *
     * @param timeoutMillis {@code -1} to wait until woken, {@code 0} not to wait, else the
     *                      longest wait in milliseconds
     * @return the number of keys handed over
     */
    int select(long timeoutMillis, Consumer<SelectionKey> onReady) throws IOException;

    /** Makes a current or the next {@link #select} return at once. Any thread. */
    void wakeup();

    /** Registers {@code channel} for {@code ops}, or returns its existing key. */
    SelectionKey register(SelectableChannel channel, int ops, Object attachment) throws ClosedChannelException;

    /** The key of {@code channel} in this poller, or {@code null}. */
    SelectionKey keyFor(SelectableChannel channel);

    /** Number of channels registered, cancelled keys not yet flushed included. */
    int registeredCount();

    /** Releases the selector. */
    @Override
    void close() throws IOException;
}
