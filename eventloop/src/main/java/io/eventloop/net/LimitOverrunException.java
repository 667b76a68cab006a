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
    /** The number of bytes to consume to get past the overrun. */
    private final int consumed;
    /** Whether the separator was found, beyond the limit. */
    private final boolean separatorFound;

    /**
     * An overrun found after looking at {@code consumed} bytes.
     *
     * @param message what happened
     * @param consumed the number of bytes to consume to get past the overrun
     * @param separatorFound whether the separator was found (beyond the limit) or not at all
     */
    public LimitOverrunException(String message, int consumed, boolean separatorFound) {
        super(message);
        this.consumed = consumed;
        this.separatorFound = separatorFound;
    }

    /**
     * Whether the separator was found, beyond the limit. If not, the rest of the over-long line
     * or chunk is still to come: after {@link StreamReader#readLine()} dropped what it had, the
     * next line it returns is that rest.
     *
     * @return true if the separator is among the bytes looked at
     */
    public boolean separatorFound() {
        return separatorFound;
    }

    /**
     * The number of bytes to consume to get past the overrun.
     *
     * @return the number of bytes looked at
     */
    public int consumed() {
        return consumed;
    }
}
