package io.eventloop.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a datagram endpoint does with its events: asyncio's {@code asyncio.DatagramProtocol}. The
 * loop calls these methods on its thread, one at a time; a {@link DatagramTransport} is how the
 * protocol sends, pauses and closes.
 *
 * <pre>
 *   connectionMade ──&gt; (datagramReceived | errorReceived)* ──&gt; connectionLost
 *        (pauseWriting / resumeWriting may come in between, in pairs)
 * </pre>
 *
 * <p>An exception thrown by any of these methods closes <em>that</em> endpoint: it is reported once
 * to the loop's exception handler, and {@link #connectionLost} follows with it as the cause.
 *
 * <p>Compared with asyncio: the same callbacks ({@code connection_made}, {@code datagram_received},
 * {@code error_received}, {@code connection_lost}, and the flow-control pair asyncio's datagram
 * transports also call), with the datagram as a {@link ByteBuffer} that is valid only during the
 * call (the loop-wide read buffer: copy what you keep). A datagram is delivered whole or not at
 * all: one longer than the endpoint's maximum datagram size is dropped and reported to
 * {@link #errorReceived} as a {@link DatagramTooLargeException}, never handed over cut short.
 */
public interface DatagramProtocol {
    /**
     * The endpoint is bound (and connected, if it was given a remote address); {@code transport}
     * is how to send, pause reading and close. Called once, first.
     *
     * @param transport the endpoint's transport
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived. {@code data} holds it, whole, between its position and limit, and is
     * valid only until this method returns: the loop reads every socket into the same buffer.
     * Passing it to {@link DatagramTransport#sendTo} is fine (the transport copies what it cannot
     * send at once). A zero-length datagram arrives as an empty buffer.
     *
     * @param data the datagram's bytes, between its position and its limit
     * @param from the sender's address (an {@link java.net.InetSocketAddress}); on a connected
     *     endpoint always its remote address
     */
    default void datagramReceived(ByteBuffer data, SocketAddress from) {
    }

    /**
     * Sending or receiving failed, and the endpoint stays open: asyncio's {@code error_received}.
     * The common causes:
     * <ul>
     *   <li>{@link java.net.PortUnreachableException}: on a connected endpoint, the kernel was told
     *       (ICMP) that nothing listens at the remote address; an earlier datagram was lost;</li>
     *   <li>{@link DatagramTooLargeException}: a received datagram was longer than the maximum
     *       datagram size and was dropped;</li>
     *   <li>another {@link java.io.IOException} from the kernel about one datagram it refused to
     *       send (no route, message too long for the path, broadcast not allowed): that datagram
     *       is dropped.</li>
     * </ul>
     *
     * @param error what went wrong
     */
    default void errorReceived(Exception error) {
    }

    /**
     * The endpoint is closed: the last call. {@code cause} is {@code null} after
     * {@link DatagramTransport#close()} or {@link DatagramTransport#abort()}, else what closed it
     * (an exception a protocol method threw, or an I/O error that left the socket unusable).
     *
     * @param cause null for an orderly close, else what ended the endpoint
     */
    default void connectionLost(Throwable cause) {
    }

    /**
     * The transport's send queue went above its high-water mark (the kernel is refusing
     * datagrams faster than they are sent): stop producing until {@link #resumeWriting()}. What is
     * sent meanwhile is still queued, not dropped.
     */
    default void pauseWriting() {
    }

    /** The send queue drained to its low-water mark: producing may go on. */
    default void resumeWriting() {
    }
}
