package io.eventloop.postgres;

import java.nio.ByteBuffer;

/**
 * A named prepared statement of one connection, and the exchange that prepares it: Parse,
 * Describe (statement), Sync. Its answer gives the parameter types (ParameterDescription) that
 * decide how each argument is encoded, and the result columns (RowDescription) that decide which
 * come back in the binary format and how their values are decoded. Kept by its SQL text in the
 * connection's cache, so each text is parsed and planned once per connection (asyncpg's
 * statement cache).
 *
 * <pre>
 *   new ──(Parse+Describe+Sync written)──&gt; PREPARING ──ReadyForQuery──&gt; READY
 *                                              └────── ErrorResponse ──&gt; FAILED (dropped from the cache)
 * </pre>
 */
final class Statement extends Exchange {
    enum State { PREPARING, READY, FAILED }

    final String name;
    /** The name as the Bind message carries it, NUL included: encoded once, bound many times. */
    private final byte[] nameBytes;
    final String sql;
    private final PgProtocol protocol;
    State state = State.PREPARING;
    int[] parameterTypes;
    /** The result columns; null when the statement returns no rows (NoData). */
    PgRow.Columns columns;

    Statement(PgProtocol protocol, String name, String sql) {
        this.protocol = protocol;
        this.name = name;
        this.nameBytes = (name + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.sql = sql;
    }

    @Override
    void message(byte type, ByteBuffer body) {
        switch (type) {
            case '1', '3' -> { } // ParseComplete; CloseComplete of an evicted statement closed in this batch
            case 't' -> {
                int n = body.getShort() & 0xFFFF;
                int[] types = new int[n];
                for (int i = 0; i < n; i++) {
                    types[i] = body.getInt();
                }
                parameterTypes = types;
            }
            case 'T' -> columns = rowDescription(body);
            case 'n' -> columns = null;
            default -> throw unexpected(type, this);
        }
    }

    static PgRow.Columns rowDescription(ByteBuffer body) {
        int n = body.getShort() & 0xFFFF;
        String[] names = new String[n];
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = cstring(body);
            body.getInt();   // table OID
            body.getShort(); // column number
            oids[i] = body.getInt();
            body.getShort(); // type size
            body.getInt();   // type modifier
            body.getShort(); // format (zero in a statement's description)
        }
        return new PgRow.Columns(names, oids);
    }

    /** For each parameter, how an error names it: {@code argument $1 of SELECT ...}. */
    String[] argumentNames(String of) {
        String[] names = new String[parameterTypes.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "argument $" + (i + 1) + " of " + of;
        }
        return names;
    }

    /**
     * Bind of this statement to the unnamed portal with {@code args}, and Execute of every row.
     * The caller checked the number of arguments; {@code what} names each for errors.
     *
     * @param results whether the rows are asked for (their formats follow the description)
     * @throws IllegalArgumentException when an argument does not fit its parameter's type
     */
    void bindExecute(MessageWriter out, Object[] args, String[] what, boolean results) {
        int[] types = parameterTypes;
        out.begin((byte) 'B');
        out.int8(0); // the unnamed portal
        out.bytes(nameBytes);
        out.int16(types.length);
        for (int t : types) {
            out.int16(PgTypes.binary(t) ? 1 : 0);
        }
        out.int16(types.length);
        for (int i = 0; i < types.length; i++) {
            PgTypes.encode(types[i], args[i], out, what[i]);
        }
        int n = results && columns != null ? columns.binary.length : 0;
        out.int16(n);
        for (int i = 0; i < n; i++) {
            out.int16(columns.binary[i] ? 1 : 0);
        }
        out.end();
        out.begin((byte) 'E');
        out.int8(0);
        out.int32(0); // every row
        out.end();
    }

    @Override
    void finished() {
        if (error != null || parameterTypes == null) {
            state = State.FAILED;
            protocol.prepareFailed(this, error);
        } else {
            state = State.READY;
            protocol.prepared(this);
        }
    }

    @Override
    void lost(Throwable why) {
        state = State.FAILED; // the queries waiting for it are failed by the connection
    }

    @Override
    String describe() {
        return "preparing " + MessageWriter.abbreviate(sql);
    }
}
