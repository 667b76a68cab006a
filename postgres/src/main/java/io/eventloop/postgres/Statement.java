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
    final String sql;
    private final PgProtocol protocol;
    State state = State.PREPARING;
    int[] parameterTypes;
    /** The result columns; null when the statement returns no rows (NoData). */
    PgRow.Columns columns;

    Statement(PgProtocol protocol, String name, String sql) {
        this.protocol = protocol;
        this.name = name;
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
