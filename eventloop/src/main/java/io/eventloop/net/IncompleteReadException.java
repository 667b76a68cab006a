package io.eventloop.net;

import java.io.EOFException;

/**
 * The stream ended before a read was satisfied: asyncio's {@code IncompleteReadError}. Thrown by
 * {@link StreamReader#readExactly(int)} (which knows how many bytes it expected) and
 * {@link StreamReader#readUntil(byte[])} (which does not). The bytes read before EOF are in
 * {@link #partial()}; the reader's buffer is empty afterwards.
 */
public class IncompleteReadException extends EOFException {
    private static final long serialVersionUID = 1L;
    private final transient byte[] partial;
    /** How many bytes were expected, or {@code null} when unknown. */
    private final Integer expected;

    /**
     * A read that ended at EOF with {@code partial} bytes.
     *
     * @param partial the bytes read before EOF
     * @param expected how many bytes were expected, or {@code null} when unknown
     */
    public IncompleteReadException(byte[] partial, Integer expected) {
        super(partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected.toString())
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the stream ended (a copy).
     *
     * @return a copy of the bytes read
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were expected, or {@code null} when unknown (a {@code readUntil}).
     *
     * @return the number of bytes expected, or null
     */
    public Integer expected() {
        return expected;
    }
}
