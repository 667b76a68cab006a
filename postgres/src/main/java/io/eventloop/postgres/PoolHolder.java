package io.eventloop.postgres;

import io.eventloop.Async;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import java.util.function.Supplier;

/**
 * The body of {@link PgPool#withConnection} and the release at its end: one object is both the
 * continuation that starts the body and the cleanup, and remembers whether the body got the
 * connection, so that a caller cancelled while it waited releases nothing.
 */
final class PoolHolder<T> implements ThrowingFunction<PgConnection, Future<T>>, Supplier<Future<?>> {
    private final PgPool pool;
    private final ThrowingFunction<? super PgConnection, ? extends Future<T>> body;
    private PgConnection conn;

    PoolHolder(PgPool pool, ThrowingFunction<? super PgConnection, ? extends Future<T>> body) {
        this.pool = pool;
        this.body = body;
    }

    /** The connection is the caller's: start the body. */
    @Override
    public Future<T> apply(PgConnection c) throws Exception {
        conn = c;
        Future<T> f = body.apply(c);
        if (f == null) {
            throw new NullPointerException("the body given to PgPool.withConnection returned null instead of a Future");
        }
        return f;
    }

    /** The body is done (or never started): the connection goes back, unless it never came or is back already. */
    @Override
    public Future<?> get() {
        if (conn == null || conn.released) {
            return Async.completed(null);
        }
        return pool.giveBack(conn);
    }
}
