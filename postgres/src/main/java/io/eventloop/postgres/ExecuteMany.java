package io.eventloop.postgres;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of {@code executeMany}: Bind and Execute of one prepared statement per row, and one
 * Sync after the last, so the rows run in one implicit transaction (asyncpg 0.22's
 * {@code executemany}): the first row that fails makes the server skip the rest up to the Sync and
 * roll back the ones before it. The rows are encoded a chunk at a time as the connection writes
 * them, so a large input is never encoded whole.
 *
 * <p>Ended early after some rows were written (a bad value in a later row, a cancellation), it
 * sends an Execute of a portal that does not exist, named for the reason: an error the server
 * must answer, which rolls back the rows before it as any failing row would, and that names the
 * cause in the server's log. Loop-thread confined.
 */
final class ExecuteMany extends Bulk {
    /** The portal whose absence ends an executeMany the client gave up on. */
    static final String ABORT_PORTAL = "executeMany ended by the client";

    private final String sql;
    private final Source rows;
    private final int maxMessageSize;
    private String[] what;
    /** Rows encoded. */
    private int index;
    /** Rows the server reported done (a CommandComplete each): the next error is row {@code completed}'s. */
    private int completed;

    ExecuteMany(String sql, Iterable<?> rows, int maxMessageSize) {
        super(true);
        this.sql = sql;
        this.rows = new Source(rows);
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    Step encode(MessageWriter out, Statement st, int chunk) {
        if (what == null) {
            what = st.argumentNames(MessageWriter.abbreviate(sql.strip()));
        }
        int limit = out.size() + chunk;
        while (out.size() < limit) {
            Object row = rows.next();
            if (row == Source.END) {
                out.begin((byte) 'S');
                out.end();
                return Step.DONE;
            }
            Object[] args = arguments(row, st.parameterTypes.length);
            int mark = out.size();
            try {
                st.bindExecute(out, args, what, false);
            } catch (IllegalArgumentException e) {
                out.rewind(mark);
                throw new IllegalArgumentException("row " + index + " of " + describe() + ": " + e.getMessage(), e);
            }
            if (out.size() - mark > maxMessageSize) {
                int size = out.size() - mark;
                out.rewind(mark);
                throw new IllegalArgumentException("row " + index + " of " + describe() + ": its Bind would be " + size
                        + " bytes, over the limit of " + maxMessageSize + " (PgOptions.maxMessageSize)");
            }
            index++;
        }
        return Step.MORE;
    }

    private Object[] arguments(Object row, int parameters) {
        Object[] args;
        if (row instanceof Object[] a) {
            args = a;
        } else if (row instanceof List<?> l) {
            args = l.toArray();
        } else {
            throw new IllegalArgumentException("row " + index + " of " + describe() + " is "
                    + (row == null ? "null" : "a " + row.getClass().getName())
                    + ", not an Object[] or a List of its arguments");
        }
        if (args.length != parameters) {
            throw new IllegalArgumentException("row " + index + " of " + describe() + " has " + args.length + " argument"
                    + (args.length == 1 ? "" : "s") + " for " + parameters + " parameter" + (parameters == 1 ? "" : "s"));
        }
        return args;
    }

    @Override
    void abort(MessageWriter out, String why) {
        out.begin((byte) 'E');
        out.cstring(ABORT_PORTAL);
        out.int32(0);
        out.end();
        out.begin((byte) 'S');
        out.end();
    }

    @Override
    void message(byte type, ByteBuffer body) {
        switch (type) {
            case 'C', 'I' -> completed++;
            case '2', 'D', 's', 'n' -> { } // BindComplete; rows of a statement that returns some are dropped
            default -> throw Exchange.unexpected(type, query);
        }
    }

    @Override
    Throwable failure(PgException error) {
        return new PgException(error.fields(), "row " + completed + " of " + describe() + "; no row was applied");
    }

    @Override
    Object result() {
        return null;
    }

    @Override
    String describe() {
        return "executeMany " + MessageWriter.abbreviate(sql.strip());
    }
}
