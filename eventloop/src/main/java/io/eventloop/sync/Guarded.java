package io.eventloop.sync;

import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import java.util.function.Supplier;

/**
 * {@code withLock} / {@code withPermit}: runs a body once the lock or permit is held and releases
 * it however the body ends, as {@code async with} does. One object is both the continuation that
 * starts the body and the cleanup, and remembers whether the body started: a waiter cancelled
 * before it got the lock (or whose grant was retracted) must not release it.
 */
final class Guarded<T> implements ThrowingFunction<Object, Future<T>>, Runnable {
    private final Supplier<? extends Future<T>> body;
    private final Runnable release;
    /** Whether the lock or permit is held on this body's behalf. Loop thread only. */
    private boolean held;

    private Guarded(Supplier<? extends Future<T>> body, Runnable release) {
        this.body = body;
        this.release = release;
    }

    static <T> Future<T> run(Future<Void> acquired, Supplier<? extends Future<T>> body, Runnable release) {
        Guarded<T> g = new Guarded<>(body, release);
        return acquired.then(g).ensure(g);
    }

    /** The lock or permit is held: start the body. */
    @Override
    public Future<T> apply(Object ignored) {
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
