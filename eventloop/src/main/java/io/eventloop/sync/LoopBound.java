package io.eventloop.sync;

import io.eventloop.EventLoop;

/**
 * The loop binding every primitive shares (asyncio's {@code _LoopBoundMixin}): a primitive may be
 * created anywhere, even before any loop exists, and binds to the current loop on first use.
 * From then on every call must come from that loop's thread.
 */
abstract class LoopBound {
    /** The loop this primitive belongs to; null until first use. Loop thread only once set. */
    private EventLoop loop;

    /**
     * The bound loop, binding to {@link EventLoop#current()} on first use.
     *
     * @param method what was called, for the error message
     * @throws IllegalStateException when called from a thread other than the loop's, or on a
     *         thread with no loop
     */
    final EventLoop loop(String method) {
        EventLoop l = loop;
        if (l == null) {
            l = EventLoop.current();
            if (!l.inLoopThread()) {
                throw wrongThread(method);
            }
            loop = l;
            bound(l);
        } else if (!l.inLoopThread()) {
            throw wrongThread(method);
        }
        return l;
    }

    /** Hook: the primitive was just bound to {@code loop} (create the futures it shares). */
    void bound(EventLoop loop) {
    }

    private IllegalStateException wrongThread(String method) {
        return new IllegalStateException(method + " called from thread '" + Thread.currentThread().getName()
                + "', but " + this + " belongs to " + (loop != null ? loop : EventLoop.current())
                + ", which runs on another thread; from other threads use EventLoop.callSoonThreadsafe"
                + " or EventLoop.submit");
    }

    /** A future of {@code loop} already completed with {@code value}. */
    static <T> io.eventloop.Future<T> completed(EventLoop loop, T value) {
        io.eventloop.Future<T> f = loop.createFuture();
        f.complete(value);
        return f;
    }

    /** A future of {@code loop} already failed with {@code error}. */
    static <T> io.eventloop.Future<T> failed(EventLoop loop, Throwable error) {
        io.eventloop.Future<T> f = loop.createFuture();
        f.fail(error);
        return f;
    }
}
