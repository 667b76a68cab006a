package io.eventloop.net;

import io.eventloop.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One UDP socket, as its {@link DatagramProtocol} sees it: asyncio's
 * {@code asyncio.DatagramTransport}, what {@link Net#createDatagramEndpoint} completes with.
 *
 * <p><b>Sending.</b> {@link #sendTo(ByteBuffer, SocketAddress)} hands the datagram to the kernel
 * at once when nothing is queued. When the kernel refuses it for lack of buffer space, the
 * datagram is copied into the transport's send queue and sent, in order, as soon as the socket
 * is writable: a datagram accepted by {@code sendTo} is never dropped for being early and never
 * merged with another (each stays one datagram). The protocol is told
 * {@link DatagramProtocol#pauseWriting()} when the queue passes the high-water mark and
 * {@link DatagramProtocol#resumeWriting()} when it drains to the low-water mark (defaults
 * 64 KiB and 16 KiB, as asyncio); each queued datagram counts its length plus 8 bytes (its UDP
 * header), so a queue of empty datagrams counts too. A datagram the kernel refuses with an error
 * (no route, a broadcast without {@link DatagramOptions#broadcast(boolean)}) is dropped and the
 * error goes to {@link DatagramProtocol#errorReceived}; the endpoint stays open.
 *
 * <p><b>Receiving.</b> Each readiness of the socket reads up to
 * {@link DatagramOptions#readBatch(int)} datagrams (32 by default) into the loop's read buffer,
 * each handed to {@link DatagramProtocol#datagramReceived} whole; the socket stays ready while
 * more wait, so the next iteration goes on after the other callbacks had their turn. A datagram
 * longer than {@link #maxDatagramSize()} is dropped and reported as a
 * {@link DatagramTooLargeException}. On a connected endpoint, an ICMP "port unreachable" for an
 * earlier datagram arrives as {@link DatagramProtocol#errorReceived} with a
 * {@link java.net.PortUnreachableException}, and the endpoint stays open (asyncio's rule).
 *
 * <p><b>Closing.</b> {@link #close()} stops reading, sends what is queued, closes the socket,
 * then calls {@link DatagramProtocol#connectionLost} with {@code null}; {@link #abort()} closes at
 * once and drops the queue. Sending after either throws {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> Every method must be called on the loop thread; from other threads go
 * through {@link EventLoop#callSoonThreadsafe}.
 *
 * <p>Compared with asyncio: {@code sendto(data, addr)} is {@link #sendTo} (or {@link #send} for
 * the connected remote address, asyncio's {@code sendto(data)}); a target that differs from the
 * connected remote address throws as asyncio's {@code ValueError} does; {@code get_extra_info}'s
 * {@code 'sockname'} and {@code 'peername'} are {@link #localAddress()} and
 * {@link #remoteAddress()}. asyncio's datagram transports cannot pause reading; these can. Compared
 * with Netty's {@code DatagramChannel}: no {@code DatagramPacket} object per datagram, and the
 * water marks drive the protocol's callbacks.
 */
public interface DatagramTransport {
    /**
     * Sends {@code data}'s remaining bytes as one datagram to {@code target}, or queues it when
     * the kernel cannot take it now. The buffer's position and limit are left as they were.
     *
     * @param data the datagram, from its position up to its limit; may be empty
     * @param target where to send it; on a connected endpoint null or the remote address
     * @throws IllegalArgumentException if the datagram is longer than {@link #maxDatagramSize()};
     *     if {@code target} is null on an endpoint that is not connected, unresolved, of another
     *     address family than the socket, or not the remote address of a connected endpoint
     * @throws IllegalStateException after {@link #close()} or {@link #abort()}
     */
    void sendTo(ByteBuffer data, SocketAddress target);

    /**
     * {@link #sendTo(ByteBuffer, SocketAddress)} of a whole array.
     *
     * @param data the datagram
     * @param target where to send it; on a connected endpoint null or the remote address
     */
    void sendTo(byte[] data, SocketAddress target);

    /**
     * Sends one datagram to the remote address of a connected endpoint: asyncio's
     * {@code sendto(data)} without an address.
     *
     * @param data the datagram, from its position up to its limit
     * @throws IllegalArgumentException if the endpoint is not connected, or the datagram is too long
     */
    void send(ByteBuffer data);

    /**
     * {@link #send(ByteBuffer)} of a whole array.
     *
     * @param data the datagram
     */
    void send(byte[] data);

    /**
     * Closes gracefully: stops reading, sends what is queued, closes the socket, then calls
     * {@link DatagramProtocol#connectionLost} with {@code null}. Idempotent.
     */
    void close();

    /**
     * Closes at once, dropping what is queued; {@link DatagramProtocol#connectionLost} follows
     * with {@code null}. Idempotent.
     */
    void abort();

    /**
     * Whether {@link #close()} or {@link #abort()} was called, or the endpoint failed.
     *
     * @return true once the transport is closing or closed
     */
    boolean isClosing();

    /** Stops reading from the socket until {@link #resumeReading()}; the kernel keeps (then drops) what arrives. Idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /**
     * Whether the transport is reading: open and not paused.
     *
     * @return true while received datagrams are delivered to the protocol
     */
    boolean isReading();

    /**
     * Sets the water marks of the send queue: the protocol is paused above {@code high} and
     * resumed at or below {@code low}.
     *
     * @param high the queued byte count above which the protocol is paused
     * @param low the queued byte count at or below which it is resumed
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * {@link #setWriteBufferLimits(int, int)} with {@code low = high / 4}, asyncio's default ratio.
     *
     * @param high the queued byte count above which the protocol is paused
     */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /**
     * The high-water mark of the send queue, in bytes.
     *
     * @return the byte count above which the protocol is paused
     */
    int writeBufferHighWaterMark();

    /**
     * The low-water mark of the send queue, in bytes.
     *
     * @return the byte count at or below which the protocol is resumed
     */
    int writeBufferLowWaterMark();

    /**
     * Bytes queued and not yet taken by the kernel, each datagram counting 8 bytes more than its
     * length: asyncio's {@code get_write_buffer_size()}.
     *
     * @return the size of the send queue
     */
    long writeBufferSize();

    /**
     * Datagrams queued and not yet taken by the kernel.
     *
     * @return how many datagrams wait in the send queue
     */
    int queuedDatagrams();

    /**
     * The longest datagram this endpoint sends or receives ({@link DatagramOptions#maxDatagramSize(int)}).
     *
     * @return the limit, in bytes
     */
    int maxDatagramSize();

    /**
     * The local address the socket is bound to.
     *
     * @return the local address
     */
    InetSocketAddress localAddress();

    /**
     * The remote address of a connected endpoint.
     *
     * @return the remote address, or null if the endpoint is not connected
     */
    InetSocketAddress remoteAddress();

    /**
     * Joins a multicast group: from now on datagrams sent to {@code group} (at the port the
     * socket is bound to) arrive on {@code networkInterface}. Joining a group already joined on
     * that interface does nothing.
     *
     * @param group a multicast address
     * @param networkInterface the interface to receive on
     * @throws IOException if the kernel refuses (a group of the other address family, say)
     * @throws IllegalArgumentException if {@code group} is not a multicast address
     */
    void joinGroup(InetAddress group, NetworkInterface networkInterface) throws IOException;

    /**
     * Leaves a multicast group joined with {@link #joinGroup} or
     * {@link DatagramOptions#joinGroup(InetAddress, NetworkInterface)}.
     *
     * @param group the multicast address
     * @param networkInterface the interface it was joined on
     * @return true if it was joined, false if there was nothing to leave
     */
    boolean leaveGroup(InetAddress group, NetworkInterface networkInterface);

    /**
     * Sets a socket option, such as {@code StandardSocketOptions.SO_RCVBUF}.
     *
     * @param <T> the type of the option's value
     * @param option the option to set
     * @param value its new value
     * @return this transport
     * @throws IOException if the socket refuses the option or is closed
     */
    <T> DatagramTransport setOption(SocketOption<T> option, T value) throws IOException;

    /**
     * Reads a socket option.
     *
     * @param <T> the type of the option's value
     * @param option the option to read
     * @return its current value
     * @throws IOException if the socket is closed
     */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /**
     * The protocol this transport feeds.
     *
     * @return the protocol that receives this endpoint's datagrams and events
     */
    DatagramProtocol protocol();

    /**
     * The loop this transport belongs to.
     *
     * @return the loop whose thread runs this transport
     */
    EventLoop loop();
}
