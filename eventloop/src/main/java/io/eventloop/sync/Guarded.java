package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.eventloop.ThrowingSupplier;

/**
 * {@code withLock} / {@code withPermit}: runs a body once the lock or permit is held and releases
 * it however the body ends, as {@code async with} does. One object is both the continuation that
 * starts the body and the cleanup, and remembers whether the body started: a waiter cancelled
 * before it got the lock (or whose grant was retracted) must not release it.
 */
final class Guarded<T> implements ThrowingFunction<Object, Future<T>>, Runnable {
    private final ThrowingSupplier<? extends Future<T>> body;
    private final Runnable release;
    /** Whether the lock or permit is held on this body's behalf. Loop thread only. */
    private boolean held;

    private Guarded(ThrowingSupplier<? extends Future<T>> body, Runnable release) {
        this.body = body;
        this.release = release;
    }

    /** The lock or permit is not free: start the body once {@code acquired} completes. */
    static <T> Future<T> run(Future<Void> acquired, ThrowingSupplier<? extends Future<T>> body, Runnable release) {
        Guarded<T> g = new Guarded<>(body, release);
        return acquired.then(g).ensure(g);
    }

    /**
     * The lock or permit was free and is now held: start the body at once, as {@code async with}
     * does when it need not wait (one continuation instead of two). A body that throws, or
     * returns null, releases at once and fails the result.
     */
    static <T> Future<T> started(EventLoop loop, ThrowingSupplier<? extends Future<T>> body, Runnable release) {
        Future<T> f;
        try {
            f = body.get();
            if (f == null) {
                throw new NullPointerException("the body returned null instead of a Future");
            }
        } catch (Error e) {
            release.run();
            throw e;
        } catch (Throwable t) {
            release.run();
            return LoopBound.failed(loop, t);
        }
        return f.ensure(release);
    }

    /** The lock or permit is held: start the body. */
    @Override
    public Future<T> apply(Object ignored) throws Exception {
        held = true;
        return body.get();
    }

    /** The body is done (or never started): release what it held. */
    @Override
    public void run() {
        if (held) {
            held = false;
            release.run();
        }
    }
}
