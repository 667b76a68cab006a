package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One TCP connection, as its {@link Protocol} sees it: asyncio's {@code asyncio.Transport}.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} goes straight to the socket when nothing is
 * buffered; what the socket does not take is copied into the transport's buffer and flushed, with
 * gathering writes, when the socket becomes writable. The protocol is told
 * {@link Protocol#pauseWriting()} when the buffer passes the high-water mark and
 * {@link Protocol#resumeWriting()} when it drains to the low-water mark (defaults 64 KiB and
 * 16 KiB, as asyncio).
 *
 * <p><b>Closing.</b> {@link #close()} stops reading, flushes the buffer, then closes;
 * {@link #abort()} closes at once and drops the buffer; {@link #writeEof()} half-closes (sends
 * FIN once the buffer is flushed) and keeps reading. Writing after a local close, abort or
 * writeEof throws {@link IllegalStateException} (fail fast, as Netty); writing after the
 * <em>peer</em> or an error closed the connection drops the bytes silently, as asyncio does, because
 * code elsewhere in the program cannot know yet (its {@code connectionLost} is on its way).
 *
 * <p><b>Threads.</b> Every method must be called on the loop thread; from other threads go
 * through {@link EventLoop#callSoonThreadsafe}.
 *
 * <p>Compared with Netty's {@code Channel}: {@code write} is {@code writeAndFlush} without a
 * promise (ask {@link #flushed()} when you need one), and the water marks drive the protocol
 * callbacks instead of {@code isWritable()} polling.
 */
public interface Transport {
    /**
     * Sends {@code data}'s remaining bytes, or buffers what cannot be sent now. The buffer's
     * position and limit are left as they were, so the same bytes may be written to several
     * transports.
     *
     * @throws IllegalStateException after {@link #close()}, {@link #abort()} or {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /** {@link #write(ByteBuffer)} of a whole array. */
    void write(byte[] data);

    /** {@link #write(ByteBuffer)} of {@code length} bytes of {@code data} from {@code offset}. */
    void write(byte[] data, int offset, int length);

    /**
     * Half-closes: once the buffer is flushed, shuts the sending side down (the peer reads EOF);
     * reading goes on. Idempotent.
     */
    void writeEof();

    /** Whether {@link #writeEof()} is supported: always true for TCP. */
    boolean canWriteEof();

    /**
     * Closes gracefully: stops reading, flushes the buffer, closes the socket, then calls
     * {@link Protocol#connectionLost} with {@code null}. Idempotent.
     */
    void close();

    /**
     * Closes at once, dropping whatever is buffered; {@link Protocol#connectionLost} follows with
     * {@code null}. Idempotent.
     */
    void abort();

    /** Whether {@link #close()} or {@link #abort()} was called, or the connection was lost. */
    boolean isClosing();

    /** Stops reading from the socket (drops read interest) until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /** Whether the transport is reading: not paused, not at EOF, not closing. */
    boolean isReading();

    /**
     * Sets the water marks of the write buffer: the protocol is paused above {@code high} and
     * resumed at or below {@code low}.
     *
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /** {@link #setWriteBufferLimits(int, int)} with {@code low = high / 4}, asyncio's default ratio. */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /** The high-water mark of the write buffer, in bytes. */
    int writeBufferHighWaterMark();

    /** The low-water mark of the write buffer, in bytes. */
    int writeBufferLowWaterMark();

    /** Bytes buffered and not yet taken by the socket: asyncio's {@code get_write_buffer_size()}. */
    long writeBufferSize();

    /**
     * A future that completes once every byte written so far has been handed to the socket; it
     * fails if the connection closes first (with {@link java.nio.channels.ClosedChannelException}
     * after {@link #abort()}, else with what closed it). Netty's write promise, asked for only
     * when needed, so plain writes allocate nothing.
     */
    Future<Void> flushed();

    /** The local address. */
    InetSocketAddress localAddress();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Sets a socket option, such as {@code StandardSocketOptions.SO_SNDBUF}. */
    <T> Transport setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads a socket option. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /** The protocol this transport feeds. */
    Protocol protocol();

    /**
     * Hands the connection to another protocol: from the next byte on, {@code protocol} gets
     * {@code dataReceived}, {@code eofReceived}, the flow-control calls and
     * {@code connectionLost}; it is not told {@code connectionMade}. asyncio's
     * {@code transport.set_protocol()}; {@link Net#startTls} uses it to put TLS under the
     * protocol of an open connection.
     *
     * @throws UnsupportedOperationException if this transport cannot change protocol (the
     *     default, for transports written before this method existed)
     */
    default void setProtocol(Protocol protocol) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its protocol");
    }

    /**
     * The TLS session once the handshake is done, or null on a connection without TLS (or
     * before its handshake finished): the peer's certificates, the cipher suite, the version.
     * asyncio's {@code get_extra_info('ssl_object')}, {@code 'peercert'} and {@code 'cipher'}.
     */
    default javax.net.ssl.SSLSession sslSession() {
        return null;
    }

    /**
     * The protocol agreed by ALPN during the TLS handshake (e.g. {@code "h2"}), or null when
     * there is no TLS or none was agreed: asyncio's {@code ssl_object.selected_alpn_protocol()}.
     */
    default String applicationProtocol() {
        return null;
    }

    /** The loop this transport belongs to. */
    EventLoop loop();
}
