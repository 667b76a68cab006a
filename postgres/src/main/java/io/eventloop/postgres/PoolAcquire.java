package io.eventloop.postgres;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;

/**
 * A caller of {@link PgPool#acquire()}: waiting in the pool's queue until a connection is handed
 * over. Cancelled or failed (the acquire timeout), it leaves the queue at once. Handed a
 * connection and then taken back (its awaiter was cancelled before it resumed, see
 * {@link Future#retract()}), it gives the connection back to the pool, so none is lost.
 */
final class PoolAcquire extends Future<PgConnection> {
    private final PgPool pool;
    /** The acquire timeout, or null. */
    TimerHandle timer;
    /** The handle it was completed with, or null. */
    PgConnection lease;

    PoolAcquire(EventLoop loop, PgPool pool) {
        super(loop);
        this.pool = pool;
    }

    @Override
    public boolean cancel(String message) {
        boolean cancelled = super.cancel(message);
        if (cancelled) {
            ended();
        }
        return cancelled;
    }

    @Override
    public boolean fail(Throwable error) {
        boolean failed = super.fail(error);
        if (failed) {
            ended();
        }
        return failed;
    }

    private void ended() {
        if (timer != null) {
            timer.cancel();
        }
        pool.acquireEnded(this);
    }

    @Override
    public boolean complete(PgConnection value) {
        boolean completed = super.complete(value);
        if (completed && timer != null) {
            timer.cancel();
        }
        return completed;
    }

    /** Handed a connection, then its awaiter was cancelled before it resumed: the connection goes back. */
    @Override
    protected boolean retract() {
        if (lease != null) {
            pool.releaseQuietly(lease);
        }
        return true;
    }

    @Override
    public String toString() {
        return "PgPool.acquire[" + pool.server() + "]";
    }
}
