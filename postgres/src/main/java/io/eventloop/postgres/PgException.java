package io.eventloop.postgres;

import java.util.Collections;
import java.util.Map;

/**
 * The server answered with an {@code ErrorResponse}: a failed statement ({@code 42P01 relation
 * "nope" does not exist}), a refused login ({@code 28P01 password authentication failed}), a
 * cancelled query ({@code 57014}). {@link #getMessage()} is the server's text followed by the
 * SQLSTATE; {@link #sqlState()}, {@link #detail()}, {@link #hint()} and {@link #position()} are the
 * error's fields, and {@link #fields()} all of them by their one-letter protocol code.
 *
 * <pre>{@code
 * conn.execute("INSERT INTO users(email) VALUES ($1)", email)
 *         .recover(PgException.class, e -> e.sqlState().equals("23505")   // unique_violation
 *                 ? Async.completed("duplicate") : Async.failed(e));
 * }</pre>
 *
 * <p>Unchecked, as a statement the program wrote correctly does not expect one, and as
 * {@code RedisException} is; a lost connection is the checked {@link PgConnectionException}
 * instead. Compared with asyncpg: its {@code PostgresError} and the subclass it picks per
 * SQLSTATE ({@code UniqueViolationError} ...), with {@code sqlstate}, {@code detail},
 * {@code hint} and {@code position}; here one type, and {@link #sqlState()} to test. The
 * connection stays usable after one: the next query runs as usual.
 */
public class PgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The ErrorResponse's fields by their one-letter code, unmodifiable. */
    private final Map<Character, String> fields;

    /**
     * An error from the server.
     *
     * @param fields the {@code ErrorResponse}'s fields by their code ({@code 'C'} SQLSTATE,
     *     {@code 'M'} message, {@code 'D'} detail, {@code 'H'} hint, {@code 'P'} position ...)
     * @param context what was running, such as the query's text; appended to the message; may be
     *     null
     */
    public PgException(Map<Character, String> fields, String context) {
        super(message(fields, context));
        this.fields = Collections.unmodifiableMap(fields);
    }

    private static String message(Map<Character, String> fields, String context) {
        String severity = fields.getOrDefault('V', fields.getOrDefault('S', "ERROR"));
        StringBuilder b = new StringBuilder(severity).append(' ').append(fields.getOrDefault('C', "?????"))
                .append(": ").append(fields.getOrDefault('M', "(no message)"));
        if (fields.containsKey('D')) {
            b.append(" (detail: ").append(fields.get('D')).append(')');
        }
        if (context != null) {
            b.append(" [").append(context).append(']');
        }
        return b.toString();
    }

    /**
     * The SQLSTATE: five characters, such as {@code "23505"} (unique_violation) or
     * {@code "28P01"} (invalid_password).
     *
     * @return the error's code
     */
    public String sqlState() {
        return fields.getOrDefault('C', "");
    }

    /**
     * The server's primary message, without the SQLSTATE and context {@link #getMessage()} adds.
     *
     * @return the human-readable message
     */
    public String serverMessage() {
        return fields.getOrDefault('M', "");
    }

    /**
     * {@code ERROR}, {@code FATAL} or {@code PANIC} (not localized).
     *
     * @return the severity
     */
    public String severity() {
        return fields.getOrDefault('V', fields.getOrDefault('S', ""));
    }

    /**
     * A second message with more detail, or null.
     *
     * @return the detail
     */
    public String detail() {
        return fields.get('D');
    }

    /**
     * A suggestion of what to do, or null.
     *
     * @return the hint
     */
    public String hint() {
        return fields.get('H');
    }

    /**
     * Where in the query's text the error is: a 1-based character index, or 0 when the server
     * gave none.
     *
     * @return the position, or 0
     */
    public int position() {
        String p = fields.get('P');
        return p == null ? 0 : Integer.parseInt(p);
    }

    /**
     * Every field of the {@code ErrorResponse}, by its code (PostgreSQL's "Error and Notice
     * Message Fields": {@code 'W'} where, {@code 's'} schema, {@code 't'} table, {@code 'n'}
     * constraint ...).
     *
     * @return the fields, unmodifiable
     */
    public Map<Character, String> fields() {
        return fields;
    }
}
