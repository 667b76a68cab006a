package io.eventloop.postgres;

import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import java.util.concurrent.CancellationException;

/**
 * The future {@link PgConnection#transaction(ThrowingFunction)} returns: asyncpg's
 * {@code async with conn.transaction():} around a body. It waits on one thing at a time:
 * <pre>
 *   BODY (the start, then the body's future) ──value──────────────────&gt; ENDING: commit() ──&gt; value, or the COMMIT's failure
 *        └──failure or cancellation (started) ──────────────────────&gt; ENDING: rollback() ──&gt; that failure / cancelled
 *        └──failure (nothing was started: the server refused BEGIN) ───────────────────────&gt; that failure
 * </pre>
 *
 * <p><b>Cancellation</b> follows the library's rule while in BODY: a cancel is passed to what it
 * waits on (the body's future, and through it the query running, which the connection cancels on
 * the server); the body may catch it and go on, and then its outcome decides as usual. A cancel
 * that cannot be passed on (the body's future is done, its outcome not yet handled) is remembered:
 * the block is rolled back and the scope ends cancelled. In ENDING the COMMIT or ROLLBACK is on its
 * way and its outcome stands: {@link #cancel(String)} returns false, as for a done future (so
 * {@code Async.waitFor} reports what the server decided rather than a timeout).
 */
final class TransactionScope<T> extends Future<T> {
    private final PgTransaction tx;
    /** The start followed by the body; cancels go there while the scope is in BODY. */
    private Future<T> running;
    private boolean ending;
    /** A cancel that could not be passed to {@link #running}: the outcome is a cancellation whatever it was. */
    private CancellationException mustCancel;

    private TransactionScope(PgConnection conn, PgTransaction tx) {
        super(conn.protocol().loop);
        this.tx = tx;
    }

    static <T> Future<T> run(PgConnection conn, PgTransaction tx,
            ThrowingFunction<? super PgConnection, ? extends Future<T>> body) {
        TransactionScope<T> scope = new TransactionScope<>(conn, tx);
        scope.running = tx.start().then(v -> {
            Future<T> f = body.apply(conn);
            if (f == null) {
                throw new NullPointerException("the body of " + tx + " returned null instead of a Future");
            }
            return f;
        });
        scope.running.onDone(scope::bodyDone);
        return scope;
    }

    @Override
    public boolean cancel(String message) {
        if (isDone() || ending) {
            return false;
        }
        if (!running.cancel(message) && mustCancel == null) {
            mustCancel = new CancellationException(message);
        }
        return true;
    }

    private void bodyDone(Future<T> body) {
        ending = true;
        Throwable failure;
        if (mustCancel != null) {
            failure = mustCancel;
        } else if (body.isCancelled()) {
            failure = cancellation(body);
        } else {
            failure = body.exception();
        }
        if (failure == null) {
            T value = body.result();
            Future<Void> commit;
            try {
                commit = tx.commit();
            } catch (IllegalStateException e) { // the body ended the block itself: nothing to commit
                super.fail(e);
                return;
            }
            commit.onDone(c -> {
                if (c.isCancelled()) {
                    end(cancellation(c), null);
                } else if (c.exception() != null) {
                    super.fail(c.exception());
                } else {
                    super.complete(value);
                }
            });
            return;
        }
        if (!tx.mayBeOpen()) {
            end(failure, null);
            return;
        }
        tx.rollback().onDone(r -> end(failure, r.isCancelled() ? cancellation(r) : r.exception()));
    }

    /** Ends with the body's failure (cancelled if it is a cancellation), a rollback failure suppressed in it. */
    private void end(Throwable failure, Throwable rollbackFailure) {
        if (rollbackFailure != null && rollbackFailure != failure) {
            failure.addSuppressed(rollbackFailure);
        }
        if (failure instanceof CancellationException c) {
            super.cancel(c.getMessage());
            try {
                exception();
            } catch (CancellationException mine) {
                for (Throwable s : c.getSuppressed()) {
                    mine.addSuppressed(s); // a cancelled future makes its own CancellationException
                }
            }
        } else {
            super.fail(failure);
        }
    }

    private static CancellationException cancellation(Future<?> cancelled) {
        try {
            cancelled.exception();
            return new CancellationException();
        } catch (CancellationException c) {
            return c;
        }
    }

    /** Whether the body is done and the COMMIT or ROLLBACK is on its way. */
    boolean isEnding() {
        return ending;
    }

    @Override
    public String toString() {
        return "Future[transaction " + tx + (ending ? " (ending)" : "") + "]";
    }
}
