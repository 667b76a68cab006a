package io.eventloop.net;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.internal.LoopAccess;
import java.io.Closeable;
import java.io.IOException;

/**
 * Small helpers shared by the networking classes. Loop thread only.
 *
 * <p>What the package needs of the loop is a plain public call where one is harmless
 * ({@link EventLoop#checkThread(String)}); the rest (registering a channel with an
 * {@link io.eventloop.internal.IoHandler}, the loop-wide read buffer, the handles of
 * {@code addReader} / {@code addWriter}, {@code releaseClosed}) is loop-internal and goes through
 * {@link #LOOP}: see {@link LoopAccess} for why each stays there.
 */
final class NetSupport {
    /** The loop internals this package may reach. */
    static final LoopAccess.Bridge LOOP = LoopAccess.bridge();

    private NetSupport() {
    }

    /** {@link EventLoop#checkThread(String)}: throws unless called on {@code loop}'s thread. */
    static void checkThread(EventLoop loop, String method) {
        loop.checkThread(method);
    }

    static <T> Future<T> completed(EventLoop loop, T value) {
        Future<T> f = loop.createFuture();
        f.complete(value);
        return f;
    }

    static <T> Future<T> failed(EventLoop loop, Throwable error) {
        Future<T> f = loop.createFuture();
        f.fail(error);
        return f;
    }

    /** A future that completes on the next iteration of {@code loop}: asyncio's {@code await sleep(0)}. */
    static Future<Void> nextIteration(EventLoop loop) {
        Future<Void> f = loop.createFuture();
        loop.callSoon(() -> f.complete(null));
        return f;
    }

    /**
     * Closes a listening channel registered with {@code loop}'s selector, ignoring a failure. The
     * selector releases the descriptor only when it flushes the cancelled key, so that is done at
     * once: the closed port refuses connections as soon as this returns. (A connection's
     * descriptor simply goes at the loop's next poll; its peer sees the close at once anyway.)
     */
    static void closeRegistered(EventLoop loop, Closeable channel) {
        closeQuietly(channel);
        LOOP.releaseClosed(loop);
    }

    /** Closes {@code c}, ignoring a failure: used on paths that already report a better error. */
    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // the channel is unusable either way; the caller reports the error that led here
        }
    }

    static void report(EventLoop loop, String message, Throwable error) {
        loop.callExceptionHandler(ErrorContext.of(message, error));
    }
}
