package io.eventloop.net;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A received datagram was longer than the endpoint's maximum datagram size
 * ({@link DatagramOptions#maxDatagramSize(int)}), so it was dropped rather than delivered cut
 * short: the reason given to {@link DatagramProtocol#errorReceived}. The kernel tells only that
 * the datagram did not fit, not how long it was, so this names the limit and the sender.
 *
 * <p>Compared with asyncio: asyncio reads up to 256 KiB per datagram and so never meets this; a
 * plain {@code recvfrom} into a smaller buffer silently truncates. Here the limit is explicit and
 * an overrun is visible.
 */
public final class DatagramTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The limit the datagram exceeded. */
    private final int limit;
    /** Who sent it; not serialized (addresses need not be serializable). */
    private final transient SocketAddress sender;

    /**
     * Makes the exception.
     *
     * @param limit the maximum datagram size the datagram exceeded
     * @param sender who sent it
     */
    public DatagramTooLargeException(int limit, SocketAddress sender) {
        super("a datagram of more than " + limit + " bytes from " + sender
                + " was dropped: the endpoint's maximum datagram size is " + limit
                + " bytes (DatagramOptions.maxDatagramSize)");
        this.limit = limit;
        this.sender = sender;
    }

    /**
     * The maximum datagram size the datagram exceeded.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * Who sent the datagram.
     *
     * @return the sender's address, or null after deserialization
     */
    public SocketAddress sender() {
        return sender;
    }
}
