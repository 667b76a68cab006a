package io.eventloop.postgres;

import io.eventloop.net.Transport;

/**
 * Writes the messages of a {@link Bulk} query a chunk at a time, so an executeMany of a million
 * rows or a COPY of a large table is never encoded whole, and waits when the transport's buffer
 * passes its high-water mark ({@code Protocol.pauseWriting}) or the source has nothing ready.
 *
 * <p>The rule it keeps: from its first chunk to its Sync, the bulk query is the only thing
 * written on the connection (the batch that carries its first chunk also carries the queries
 * issued before it); queries issued meanwhile wait in {@code outgoing} and go out after the
 * Sync, in order. Its answers may arrive while it is still being written (it is in
 * {@code inflight} from its first chunk): a server error ends the writing early.
 *
 * <p>A turn writes at most {@link #CHUNKS_PER_TURN} chunks, then yields to the loop with
 * {@code callSoon}, so one bulk write never holds the loop while a fast socket keeps taking
 * data. Loop-thread confined.
 */
final class BulkWriter {
    /** Bytes encoded per write: large enough that a write costs little per row, small enough to bound memory. */
    static final int CHUNK = 128 * 1024;
    static final int CHUNKS_PER_TURN = 8;

    private final PgProtocol protocol;
    /** The query being written; null when none is. */
    Query streaming;
    /** The transport's buffer is above its high-water mark. */
    private boolean paused;
    private boolean scheduled;
    /** A turn is running: a cancellation from inside the source waits for the turn's end. */
    private boolean pumping;
    /** The most the transport's buffer held after a chunk, and the largest batch encoded: what bounds memory, for tests. */
    long maxWriteBuffer;
    int maxBatch;
    /** pauseWriting calls received, for tests. */
    long pauses;

    BulkWriter(PgProtocol protocol) {
        this.protocol = protocol;
    }

    /** {@code q} is next in the flush; the batch holds what went before it. Writes its first chunks. */
    void start(Query q, Statement st) {
        q.statement = st;
        q.sent = true;
        q.bulk.mark = protocol.out.size();
        protocol.inflight.add(q);
        streaming = q;
        pump();
    }

    void pauseWriting() {
        paused = true;
        pauses++;
    }

    void resumeWriting() {
        paused = false;
        schedule();
    }

    void schedule() {
        if (!scheduled && streaming != null) {
            scheduled = true;
            protocol.loop.callSoon(this::pump);
        }
    }

    private void pump() {
        scheduled = false;
        Query q = streaming;
        if (q == null || pumping || protocol.phase != PgProtocol.Phase.READY) {
            return;
        }
        MessageWriter out = protocol.out;
        pumping = true;
        try {
            for (int turn = 0; turn < CHUNKS_PER_TURN; turn++) {
                if (q.future.isDone() || q.error != null) {
                    end(q, q.error != null ? "the server reported an error" : "cancelled by the client");
                    return;
                }
                if (paused) {
                    return; // resumeWriting schedules the next turn
                }
                Bulk.Step step;
                try {
                    step = q.bulk.encode(out, q.statement, CHUNK);
                } catch (RuntimeException e) {
                    Throwable why = e instanceof Bulk.SourceFailure f ? f.getCause() : e;
                    q.bulk.clientError = why;
                    end(q, "the client failed: " + why);
                    return;
                }
                write(q);
                if (step == Bulk.Step.DONE) {
                    streaming = null;
                    q.bulk.close();
                    protocol.scheduleFlush();
                    return;
                }
                if (step == Bulk.Step.WAIT) {
                    q.bulk.waitingFor.onDone(f -> schedule());
                    return;
                }
            }
            schedule(); // the rest in a later turn
        } finally {
            pumping = false;
        }
    }

    private void write(Query q) {
        MessageWriter out = protocol.out;
        if (!q.bulk.started && out.size() > q.bulk.mark) {
            q.bulk.started = true;
        }
        maxBatch = Math.max(maxBatch, out.size());
        protocol.writeNow();
        Transport t = protocol.transport;
        if (t != null) {
            maxWriteBuffer = Math.max(maxWriteBuffer, t.writeBufferSize());
        }
    }

    /**
     * Ends {@code q}'s writing before its end: taken back whole if nothing of it was written
     * (the queries before it in the batch still go), else ended on the server with nothing applied.
     */
    private void end(Query q, String why) {
        streaming = null;
        MessageWriter out = protocol.out;
        if (!q.bulk.started) {
            out.rewind(q.bulk.mark);
            protocol.inflight.removeLastOccurrence(q);
            q.sent = false;
            q.lost(q.bulk.clientError != null ? q.bulk.clientError : q.error);
        } else {
            q.bulk.abort(out, why);
            write(q);
            q.bulk.close();
        }
        protocol.scheduleFlush();
    }

    /**
     * {@code q}'s future was cancelled or timed out: if it is being written, it is ended now
     * (from inside a turn, at the turn's next step).
     *
     * @return whether {@code q} was being written
     */
    boolean abandoned(Query q) {
        if (q != streaming) {
            return false;
        }
        if (!pumping) {
            end(q, "cancelled by the client");
        }
        return true;
    }

    /** The connection is gone: nothing more is written. */
    void lost() {
        streaming = null;
        paused = false;
    }
}
