package io.eventloop.internal;

import io.eventloop.EventLoop;
import io.eventloop.Handle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The few loop internals {@code io.eventloop.net} needs, handed over by {@link EventLoop} when
 * its class initialises (the JDK's "shared secrets" idea). Not API: public only because Java
 * packages cannot share package-private types.
 *
 * <p>Only what cannot be public goes through here: registering a channel takes an
 * {@link IoHandler}, an internal type; the read buffer is scratch space shared by every transport
 * of the loop, which user code must not write into; the reader and writer handles and
 * {@code releaseClosed} are bookkeeping of the loop's readiness registry. Making them public methods of
 * {@link EventLoop} was the alternative, rejected because every user would see them. What else
 * {@code net} needs is public and called directly: {@link EventLoop#checkThread(String)} for the
 * thread check, and (in its tests) {@link EventLoop#metrics()} for the number of registered
 * channels. The implementation is {@code io.eventloop.Readiness.NetAccess}.
 */
public final class LoopAccess {
    /** What the loop exposes to the networking package. Every method is for the loop thread only. */
    public interface Bridge {
        /**
         * Registers {@code channel} with the loop's selector for {@code ops}, attached to
         * {@code handler}, and gives the handler its key.
         *
         * @throws IllegalArgumentException if the channel is already registered with this loop
         */
        SelectionKey register(EventLoop loop, SelectableChannel channel, int ops, IoHandler handler)
                throws ClosedChannelException;

        /** The loop-wide direct buffer every transport of {@code loop} reads into. */
        ByteBuffer readBuffer(EventLoop loop);

        /** The reader {@link EventLoop#addReader} registered for {@code channel}, or {@code null}. */
        Handle reader(EventLoop loop, SelectableChannel channel);

        /** The writer {@link EventLoop#addWriter} registered for {@code channel}, or {@code null}. */
        Handle writer(EventLoop loop, SelectableChannel channel);

        /**
         * A registered listening channel was closed: the selector flushes its cancelled key at
         * once, releasing the descriptor before {@code close()} returns.
         */
        void releaseClosed(EventLoop loop);

        /**
         * A loop on {@code time} instead of the system clock, for {@code eventloop-testing}: it
         * reads {@link VirtualTime#nanoTime()} and asks {@link VirtualTime#beforeWait} each time
         * it would wait, and reports call it by {@code name} ("EventLoop 'name'@hash"). Everything
         * else is an ordinary loop (real selector, real sockets).
         */
        EventLoop newLoop(EventLoop.Options options, VirtualTime time, String name);

        /**
         * A warning about a connection, logged as the loop's own reports are: through SLF4J, or
         * to {@code System.err} when no SLF4J provider is bound, so it is never silent.
         */
        void warn(Class<?> category, String message, Throwable error);
    }

    private static volatile Bridge bridge;

    private LoopAccess() {
    }

    /** Called once, by {@link EventLoop}'s static initialiser. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("the loop bridge is already installed");
        }
        bridge = b;
    }

    /** The bridge; initialises {@link EventLoop} first if nothing has yet. */
    public static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(EventLoop.class.getName(), true, LoopAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
