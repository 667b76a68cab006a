package io.eventloop.postgres;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query of the user's and its answer: in the extended protocol Bind, Execute, Sync of a
 * prepared {@link Statement}, answered by BindComplete, DataRow..., CommandComplete,
 * ReadyForQuery; in the simple protocol ({@code execute} without arguments) one Query message,
 * answered by a CommandComplete per statement in it; with a {@link Bulk} body, an executeMany
 * (Bind and Execute per row, one Sync) or a COPY, whose messages the body encodes and answers it
 * reads. Rows are decoded as they arrive, into the
 * form {@link Mode} asks for; the future completes at ReadyForQuery, so a query that failed
 * half-way never reports the rows before the error.
 *
 * <pre>
 *   QUEUED ──(flush: written)──&gt; SENT ──ReadyForQuery──&gt; done (value, or PgException)
 *     │                           └──(connection lost)──&gt; PgConnectionException
 *     └─(cancelled or timed out before it was written: never written)
 * </pre>
 */
final class Query extends Exchange {
    /** What the caller asked for. */
    enum Mode { ROWS, ROW, VALUE, TAG }

    /**
     * The caller's future: cancelling it (directly, or through a future derived from it) tells
     * the connection, which cancels the query on the server if it is running there.
     */
    static final class QueryFuture extends Future<Object> {
        final Query query;

        QueryFuture(EventLoop loop, Query query) {
            super(loop);
            this.query = query;
        }

        @Override
        public boolean cancel(String message) {
            boolean taken = super.cancel(message);
            if (taken) {
                query.protocol.abandoned(query);
            }
            return taken;
        }
    }

    final PgProtocol protocol;
    final String sql;
    final Object[] args;
    final Mode mode;
    /** Simple protocol: no arguments, several statements allowed, results only as command tags. */
    final boolean simple;
    final QueryFuture future;
    /** The body of an executeMany or COPY, written a chunk at a time; null for a query of one Bind. */
    final Bulk bulk;
    boolean sent;
    /** Whether it was already run again after its statement was invalidated. */
    boolean retried;
    TimerHandle timeout;
    /** The statement it was bound to; null until written, and for the simple protocol. */
    Statement statement;
    private List<Row> rows;
    private Row first;
    private String tag;

    Query(PgProtocol protocol, EventLoop loop, String sql, Object[] args, Mode mode, boolean simple) {
        this.protocol = protocol;
        this.sql = sql;
        this.args = args;
        this.mode = mode;
        this.simple = simple;
        this.bulk = null;
        this.future = new QueryFuture(loop, this);
        if (mode == Mode.ROWS) {
            rows = new ArrayList<>();
        }
    }

    /**
     * A bulk query: {@code sql} is the text its body needs prepared (executeMany's statement, the
     * {@code SELECT} that describes a COPY's columns), or what describes it when it needs none.
     */
    Query(PgProtocol protocol, EventLoop loop, String sql, Bulk bulk) {
        this.protocol = protocol;
        this.sql = sql;
        this.args = new Object[0];
        this.mode = Mode.TAG;
        this.simple = false;
        this.bulk = bulk;
        bulk.query = this;
        this.future = new QueryFuture(loop, this);
    }

    /** Whether it needs {@link #sql} prepared before it can be written. */
    boolean needsStatement() {
        return bulk != null ? bulk.needsStatement : !simple;
    }

    @Override
    void message(byte type, ByteBuffer body) {
        if (bulk != null) {
            bulk.message(type, body);
            return;
        }
        switch (type) {
            case 'D' -> {
                if (simple || error != null || future.isDone()) {
                    return; // simple protocol: rows are not asked for; a failed or abandoned query: dropped
                }
                if (statement.columns == null) {
                    throw new IllegalStateException("a DataRow for a statement that returns no rows: " + describe());
                }
                if (mode == Mode.ROWS) {
                    rows.add(row(statement.columns, body));
                } else if (first == null) {
                    first = row(statement.columns, body);
                }
            }
            case 'C' -> tag = cstring(body);
            case 'I' -> tag = "";
            case '2', '3', 'T', 'n' -> { } // BindComplete, CloseComplete, RowDescription and NoData (simple protocol)
            default -> throw unexpected(type, this);
        }
    }

    private static Row row(PgRow.Columns columns, ByteBuffer body) {
        int n = body.getShort() & 0xFFFF;
        if (n != columns.oids.length) {
            throw new IllegalStateException("a DataRow of " + n + " columns for a description of " + columns.oids.length);
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            int len = body.getInt();
            if (len < -1 || len > body.remaining()) {
                throw new IllegalStateException("a value of " + len + " bytes in a DataRow with " + body.remaining() + " left");
            }
            if (len >= 0) {
                int end = body.position() + len;
                int oid = columns.oids[i];
                // read in place where the decoder reads exactly len bytes; a slice bounds the others
                ByteBuffer value = !columns.binary[i] || PgTypes.readsExactly(oid) ? body : body.slice(body.position(), len);
                values[i] = columns.binary[i] ? PgTypes.decode(oid, value, len) : PgTypes.text(value, len);
                body.position(end);
            }
        }
        return new PgRow(columns, values);
    }

    /** Back to QUEUED, to run again with a newly prepared statement. */
    void retry() {
        retried = true;
        sent = false;
        statement = null;
        error = null;
        first = null;
        tag = null;
        if (rows != null) {
            rows.clear();
        }
    }

    @Override
    void finished() {
        if (timeout != null) {
            timeout.cancel();
        }
        if (bulk != null) {
            bulk.close();
        }
        if (future.isDone()) {
            return; // cancelled or timed out: the answer is dropped
        }
        if (bulk != null) {
            if (bulk.clientError != null) {
                future.fail(bulk.clientError);
            } else if (error != null) {
                future.fail(bulk.failure(error));
            } else {
                future.complete(bulk.result());
            }
            return;
        }
        if (error != null) {
            future.fail(error);
            return;
        }
        switch (mode) {
            case ROWS -> future.complete(Collections.unmodifiableList(rows));
            case ROW -> future.complete(first);
            case VALUE -> future.complete(first == null || first.size() == 0 ? null : first.get(0));
            case TAG -> future.complete(tag);
        }
    }

    @Override
    void lost(Throwable why) {
        if (timeout != null) {
            timeout.cancel();
        }
        if (bulk != null) {
            bulk.close();
        }
        if (!future.isDone()) {
            future.fail(why);
        }
    }

    @Override
    String describe() {
        return bulk != null ? bulk.describe() : MessageWriter.abbreviate(sql.strip());
    }
}
