package io.eventloop.postgres;

import io.eventloop.AsyncIterator;
import io.eventloop.Future;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The body of a {@link Query} whose messages are too many to encode at once: executeMany's
 * Bind/Execute per row, a COPY's CopyData. The connection asks it for one chunk at a time
 * ({@link #encode}) and writes each before asking for the next, pausing while the transport's
 * buffer is above its high-water mark or the source has nothing ready; nothing else is written on
 * the connection until the body has written its Sync (see {@link BulkWriter}).
 *
 * <pre>
 *   encode ──MORE──&gt; (written) ──&gt; encode ...          (a chunk at a time)
 *     │  └──WAIT──&gt; (written) ──source ready──&gt; encode ...
 *     └──DONE (Sync appended) ──&gt; written: the exchange waits for its ReadyForQuery like any other
 *   a bad value, a failed source, a cancellation, a server error while writing:
 *     nothing written yet ──&gt; taken back, never sent
 *     some written        ──&gt; {@link #abort}: what makes the server end it with nothing applied, then Sync
 * </pre>
 *
 * Loop-thread confined.
 */
abstract class Bulk {
    /** What {@link #encode} did. */
    enum Step {
        /** Encoded a chunk: write it and call again. */
        MORE,
        /** The source has nothing ready: write what there is and call again once {@link #waitingFor} is done. */
        WAIT,
        /** Encoded the last messages, Sync included. */
        DONE
    }

    /** The source failed: its cause is the caller's error, not a bad value. */
    static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceFailure(Throwable cause) {
            super(cause);
        }
    }

    /** The query this is the body of; set by its constructor. */
    Query query;
    /** Whether {@link #encode} needs the query's text prepared first (its description gives the types). */
    final boolean needsStatement;
    /** Where its messages begin in the connection's batch, until the first of them is written. */
    int mark;
    /** Whether some of its messages were written: from then on it can only be ended by {@link #abort}. */
    boolean started;
    /** Why the client ended it early, reported instead of the server's answer; null if it did not. */
    Throwable clientError;
    /** After {@link Step#WAIT}: the future the source is waiting on. */
    Future<?> waitingFor;

    Bulk(boolean needsStatement) {
        this.needsStatement = needsStatement;
    }

    /**
     * Appends its next messages to {@code out}, about {@code chunk} bytes of them, or all that are
     * left with the Sync.
     *
     * @param st the prepared statement when {@link #needsStatement}, else null
     * @throws IllegalArgumentException for a value that cannot be sent, naming it; {@code out}
     *     holds only whole messages then
     * @throws SourceFailure when the source failed
     */
    abstract Step encode(MessageWriter out, Statement st, int chunk);

    /** Appends what ends a started exchange with nothing applied, and Sync: it failed because of {@code why}. */
    abstract void abort(MessageWriter out, String why);

    /** A backend message of this exchange other than ErrorResponse and ReadyForQuery. */
    abstract void message(byte type, ByteBuffer body);

    /** The server's error, as reported to the caller (with the row it came from, where known). */
    Throwable failure(PgException error) {
        return error;
    }

    /** The value of the caller's future when all went well. */
    abstract Object result();

    /** Releases the source; called once the exchange is over, whatever its outcome. */
    void close() {
    }

    /** The exchange, for messages. */
    abstract String describe();

    /** Parse, Bind and Execute of {@code sql} as the unnamed statement and portal, without parameters: how a COPY starts. */
    static void runUnnamed(MessageWriter out, String sql) {
        out.begin((byte) 'P');
        out.int8(0);
        out.cstring(sql);
        out.int16(0);
        out.end();
        out.begin((byte) 'B');
        out.int8(0);
        out.int8(0);
        out.int16(0);
        out.int16(0);
        out.int16(0);
        out.end();
        out.begin((byte) 'E');
        out.int8(0);
        out.int32(0);
        out.end();
    }

    // ------------------------------------------------------------------ sources

    /** The elements of an {@link Iterable}, or of an {@link AsyncIterator} taken as they are ready. */
    static final class Source {
        static final Object PENDING = new Object();
        static final Object END = new Object();

        private final Iterator<?> iterator;
        private final AsyncIterator<?> async;
        private Future<? extends Optional<?>> pending;
        private boolean closed;

        Source(Iterable<?> items) {
            this.iterator = items.iterator();
            this.async = null;
        }

        Source(AsyncIterator<?> items) {
            this.iterator = null;
            this.async = items;
        }

        /**
         * The next element, {@link #END} after the last, or {@link #PENDING} when an asynchronous
         * source has none ready yet ({@link #waitingFor()} then says for what).
         *
         * @throws SourceFailure when the source failed
         */
        Object next() {
            try {
                if (iterator != null) {
                    return iterator.hasNext() ? iterator.next() : END;
                }
                if (pending == null) {
                    pending = async.next();
                }
            } catch (RuntimeException e) {
                throw new SourceFailure(e);
            }
            if (!pending.isDone()) {
                return PENDING;
            }
            Future<? extends Optional<?>> f = pending;
            pending = null;
            if (f.isCancelled()) {
                throw new SourceFailure(new CancellationException("the source's next element was cancelled"));
            }
            if (f.exception() != null) {
                throw new SourceFailure(f.exception());
            }
            Optional<?> o = f.result();
            return o.isPresent() ? o.get() : END;
        }

        Future<?> waitingFor() {
            return pending;
        }

        /** Closes an asynchronous source (after cancelling an element it is still waiting for). */
        void close() {
            if (closed || async == null) {
                return;
            }
            closed = true;
            if (pending != null && !pending.isDone()) {
                pending.cancel();
            }
            async.closeAsync();
        }
    }
}
