package io.eventloop.net;

import java.io.IOException;

/**
 * A line or chunk is longer than the {@link StreamReader}'s limit: asyncio's
 * {@code LimitOverrunError}. It stops memory growth: the reader gives up instead of buffering
 * without end. {@link #consumed()} says how many bytes were looked at (for
 * {@link StreamReader#readUntil}, whose buffer is left intact, that is where to resume).
 */
public class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int consumed;

    /**
     * @param message what happened
     * @param consumed the number of bytes to consume to get past the overrun
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** The number of bytes to consume to get past the overrun. */
    public int consumed() {
        return consumed;
    }
}
