package io.eventloop.postgres;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request on the wire and the backend messages that answer it, up to and including its
 * {@code ReadyForQuery}: every exchange ends with its own {@code Sync} (or is a simple
 * {@code Query}), so the server answers each with exactly one {@code ReadyForQuery}, and an
 * error inside one skips only the rest of that one. That is what lets many be in flight at once
 * and be matched to their answers by order alone, and what brings the connection back after an
 * error with no extra round trip.
 *
 * <p>The two kinds: {@link Statement} (Parse and Describe of a new statement) and {@link Query}
 * (Bind and Execute of a prepared one, or a simple-protocol Query, or with a {@link Bulk} body an
 * executeMany or a COPY: many messages, still one Sync). Loop-thread confined.
 */
abstract class Exchange {
    /** The server's error for this exchange, waiting for its ReadyForQuery; null if none. */
    PgException error;

    /**
     * A message for this exchange other than ErrorResponse and ReadyForQuery.
     *
     * @throws IllegalStateException if the message has no place in this exchange (a protocol error)
     */
    abstract void message(byte type, ByteBuffer body);

    /** Its ReadyForQuery: the exchange is over, {@link #error} is set if it failed. */
    abstract void finished();

    /** The connection is gone before the exchange finished. */
    abstract void lost(Throwable why);

    /** What the exchange is, for messages: the query's text, abbreviated. */
    abstract String describe();

    static IllegalStateException unexpected(byte type, Exchange in) {
        return new IllegalStateException("unexpected message '" + (char) type + "' in the answer to " + in.describe());
    }

    // ------------------------------------------------------------------ reading helpers

    /** A NUL-terminated UTF-8 string at {@code b}'s position. */
    static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) { // IndexOutOfBoundsException past the limit: a malformed message
            end++;
        }
        String s = PgTypes.text(b, end - start);
        b.get(); // the NUL
        return s;
    }

    /** The fields of an ErrorResponse or NoticeResponse. */
    static Map<Character, String> fields(ByteBuffer b) {
        Map<Character, String> fields = new LinkedHashMap<>();
        for (byte code = b.get(); code != 0; code = b.get()) {
            fields.put((char) code, cstring(b));
        }
        return fields;
    }
}
