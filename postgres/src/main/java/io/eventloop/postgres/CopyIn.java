package io.eventloop.postgres;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of a {@code COPY ... FROM STDIN} in the extended protocol: Parse, Bind and Execute of
 * the COPY (unnamed), then the data in CopyData messages, CopyDone and Sync, all written without
 * waiting for the server's CopyInResponse. That is safe because a COPY that fails to start (a
 * missing table) makes the server skip every message up to the Sync, and the server ignores
 * CopyData and CopyDone outside copy mode anyway (postgres.c, "Accept but ignore these
 * messages"); the COPY ends at the Sync either way, so the connection's order holds.
 *
 * <p>Two sources: records (an {@code Object[]} or {@code List} each) encoded in the binary copy
 * format with the types of the columns the statement {@code SELECT cols FROM table} describes,
 * or raw bytes in whatever format the COPY names. Ended early (a bad value after some data was
 * written, a failed source, a cancellation), it sends CopyFail: the server rolls the COPY back.
 * Loop-thread confined.
 */
final class CopyIn extends Bulk {
    /** The binary copy format's signature, flags and header extension length. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final String copySql;
    private final String table;
    private final Source source;
    /** Whether the elements are records to encode, or bytes to send as they are. */
    private final boolean records;
    private final int maxMessageSize;
    private int[] oids;
    private String[] what;
    private boolean preambleDone;
    /** Where the open CopyData's length is, -1 when none is open. */
    private int dataAt = -1;
    /** What is left of a raw element larger than a chunk. */
    private ByteBuffer rest;
    private long index;
    private String tag;

    CopyIn(String copySql, String table, Iterable<?> source, boolean records, int maxMessageSize) {
        this(copySql, table, new Source(source), records, maxMessageSize);
    }

    CopyIn(String copySql, String table, Source source, boolean records, int maxMessageSize) {
        super(records);
        this.copySql = copySql;
        this.table = table;
        this.source = source;
        this.records = records;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    Step encode(MessageWriter out, Statement st, int chunk) {
        if (!preambleDone) {
            if (records) {
                columns(st);
            }
            runUnnamed(out, copySql);
            openData(out);
            if (records) {
                out.bytes(HEADER);
            }
            preambleDone = true;
        } else {
            openData(out);
        }
        int limit = out.size() + chunk;
        while (out.size() < limit) {
            if (rest != null) {
                raw(out, rest, limit);
                continue;
            }
            Object element;
            try {
                element = source.next();
            } catch (SourceFailure e) {
                closeData(out);
                throw e;
            }
            if (element == Source.PENDING) {
                closeData(out);
                waitingFor = source.waitingFor();
                return Step.WAIT;
            }
            if (element == Source.END) {
                if (records) {
                    out.int16(-1); // the trailer
                }
                closeData(out);
                out.begin((byte) 'c');
                out.end();
                out.begin((byte) 'S');
                out.end();
                return Step.DONE;
            }
            if (records) {
                record(out, element);
            } else if (element instanceof ByteBuffer b) {
                raw(out, b.duplicate(), limit);
            } else if (element instanceof byte[] b) {
                raw(out, ByteBuffer.wrap(b), limit);
            } else {
                closeData(out);
                throw new IllegalArgumentException("element " + index + " of the data for " + describe() + " is "
                        + (element == null ? "null" : "a " + element.getClass().getName()) + ", not a ByteBuffer or a byte[]");
            }
            index++;
        }
        closeData(out);
        return Step.MORE;
    }

    /** The columns' types from the description; every one must have a binary format here. */
    private void columns(Statement st) {
        PgRow.Columns c = st.columns;
        if (c == null) {
            throw new IllegalArgumentException(st.sql + " describes no columns");
        }
        oids = c.oids;
        what = new String[oids.length];
        for (int i = 0; i < oids.length; i++) {
            what[i] = "column \"" + c.names[i] + "\"";
            if (!PgTypes.binary(oids[i])) {
                throw new IllegalArgumentException(describe() + ": column \"" + c.names[i] + "\" has type " + oids[i]
                        + ", which has no binary format in this client; copy its text with copyToTable instead");
            }
        }
    }

    private void record(MessageWriter out, Object element) {
        Object[] values;
        if (element instanceof Object[] a) {
            values = a;
        } else if (element instanceof List<?> l) {
            values = l.toArray();
        } else {
            closeData(out);
            throw new IllegalArgumentException("record " + index + " for " + describe() + " is "
                    + (element == null ? "null" : "a " + element.getClass().getName()) + ", not an Object[] or a List");
        }
        if (values.length != oids.length) {
            closeData(out);
            throw new IllegalArgumentException("record " + index + " for " + describe() + " has " + values.length
                    + " values for " + oids.length + " columns");
        }
        int mark = out.size();
        try {
            out.int16(values.length);
            for (int i = 0; i < values.length; i++) {
                PgTypes.encode(oids[i], values[i], out, what[i]);
            }
        } catch (IllegalArgumentException e) {
            out.rewind(mark);
            closeData(out);
            throw new IllegalArgumentException("record " + index + " for " + describe() + ": " + e.getMessage(), e);
        }
        if (out.size() - mark > maxMessageSize) {
            int size = out.size() - mark;
            out.rewind(mark);
            closeData(out);
            throw new IllegalArgumentException("record " + index + " for " + describe() + " is " + size
                    + " bytes, over the limit of " + maxMessageSize + " (PgOptions.maxMessageSize)");
        }
    }

    /** As much of {@code b} as fits before {@code limit}; the rest waits in {@link #rest}. */
    private void raw(MessageWriter out, ByteBuffer b, int limit) {
        int n = Math.min(b.remaining(), Math.max(limit - out.size(), 1));
        if (b.hasArray()) {
            out.bytes(b.array(), b.arrayOffset() + b.position(), n);
        } else {
            byte[] copy = new byte[n];
            b.duplicate().get(copy);
            out.bytes(copy);
        }
        b.position(b.position() + n);
        rest = b.hasRemaining() ? b : null;
    }

    private void openData(MessageWriter out) {
        out.int8('d');
        dataAt = out.reserveInt();
    }

    /** Ends the open CopyData; an empty one is taken back. */
    private void closeData(MessageWriter out) {
        if (dataAt < 0) {
            return;
        }
        if (out.size() == dataAt + 4) {
            out.rewind(dataAt - 1);
        } else {
            out.putIntAt(dataAt, out.size() - dataAt);
        }
        dataAt = -1;
    }

    @Override
    void abort(MessageWriter out, String why) {
        closeData(out);
        out.begin((byte) 'f');
        out.cstring(why.replace('\0', ' '));
        out.end();
        out.begin((byte) 'S');
        out.end();
    }

    @Override
    void message(byte type, ByteBuffer body) {
        switch (type) {
            case 'C' -> tag = Exchange.cstring(body);
            case '1', '2', 'G' -> { } // ParseComplete, BindComplete, CopyInResponse
            default -> throw Exchange.unexpected(type, query);
        }
    }

    @Override
    Object result() {
        return tag;
    }

    @Override
    void close() {
        source.close();
    }

    @Override
    String describe() {
        return "COPY " + table + " FROM STDIN";
    }
}
