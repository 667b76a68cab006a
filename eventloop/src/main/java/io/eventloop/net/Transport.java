package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One stream connection (TCP, or a Unix domain socket), as its {@link Protocol} sees it: asyncio's
 * {@code asyncio.Transport}.
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
     * @param data the bytes to send, from its position up to its limit
     * @throws IllegalStateException after {@link #close()}, {@link #abort()} or {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /**
     * {@link #write(ByteBuffer)} of a whole array.
     *
     * @param data the bytes to send
     */
    void write(byte[] data);

    /**
     * {@link #write(ByteBuffer)} of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data the array that holds the bytes
     * @param offset where the bytes start in {@code data}
     * @param length how many bytes to send
     */
    void write(byte[] data, int offset, int length);

    /**
     * Half-closes: once the buffer is flushed, shuts the sending side down (the peer reads EOF);
     * reading goes on. Idempotent.
     */
    void writeEof();

    /**
     * Whether {@link #writeEof()} is supported: always true for TCP.
     *
     * @return true if {@link #writeEof()} may be called
     */
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

    /**
     * Whether {@link #close()} or {@link #abort()} was called, or the connection was lost.
     *
     * @return true once the transport is closing or closed
     */
    boolean isClosing();

    /** Stops reading from the socket (drops read interest) until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /**
     * Whether the transport is reading: not paused, not at EOF, not closing.
     *
     * @return true while received bytes are delivered to the protocol
     */
    boolean isReading();

    /**
     * Sets the water marks of the write buffer: the protocol is paused above {@code high} and
     * resumed at or below {@code low}.
     *
     * @param high the buffered byte count above which the protocol is paused
     * @param low the buffered byte count at or below which it is resumed
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * {@link #setWriteBufferLimits(int, int)} with {@code low = high / 4}, asyncio's default ratio.
     *
     * @param high the buffered byte count above which the protocol is paused
     */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /**
     * The high-water mark of the write buffer, in bytes.
     *
     * @return the byte count above which the protocol is paused
     */
    int writeBufferHighWaterMark();

    /**
     * The low-water mark of the write buffer, in bytes.
     *
     * @return the byte count at or below which the protocol is resumed
     */
    int writeBufferLowWaterMark();

    /**
     * Bytes buffered and not yet taken by the socket: asyncio's {@code get_write_buffer_size()}.
     *
     * @return the number of bytes waiting in the write buffer
     */
    long writeBufferSize();

    /**
     * A future that completes once every byte written so far has been handed to the socket; it
     * fails if the connection closes first (with {@link java.nio.channels.ClosedChannelException}
     * after {@link #abort()}, else with what closed it). Netty's write promise, asked for only
     * when needed, so plain writes allocate nothing.
     *
     * @return a future that completes once the bytes written so far have been handed to the socket
     */
    Future<Void> flushed();

    /**
     * The local address: an {@link java.net.InetSocketAddress} over TCP, a
     * {@link java.net.UnixDomainSocketAddress} on a Unix domain socket (asyncio's
     * {@code get_extra_info('sockname')}).
     *
     * @return the address this side of the connection is bound to
     */
    SocketAddress localAddress();

    /**
     * The peer's address: an {@link java.net.InetSocketAddress} over TCP, a
     * {@link java.net.UnixDomainSocketAddress} on a Unix domain socket, whose path is empty when
     * the peer did not bind one (a client, as asyncio's {@code get_extra_info('peername')} gives
     * {@code ''}).
     *
     * @return the address of the other side
     */
    SocketAddress remoteAddress();

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}: asyncio's
     * {@code loop.sendfile(transport, file, offset, count)}. The bytes go after everything written
     * before the call and before everything written after it, whichever way they are sent.
     *
     * <p>A plain socket's transport sends them with {@link FileChannel#transferTo} (the kernel's
     * {@code sendfile}, zero-copy), as the socket takes them; nothing of the file is held in
     * memory, and {@link #writeBufferSize()} does not count it. Other transports (TLS, which must
     * encrypt the bytes in the JVM) fall back to reading the file in chunks of
     * {@value FileSender#CHUNK} bytes on the default executor and writing them, one chunk in
     * memory at a time, as asyncio does with {@code fallback=True}; on that path writes made
     * while the file is being sent go out between its chunks (asyncio refuses them with
     * {@code RuntimeError} on its native path): wait for the future before writing more.
     *
     * <p>Completes with the number of bytes sent: {@code count}, or fewer if the file ends first.
     * Fails if the connection is lost first, with what closed it. Cancelling stops the sending
     * at the next chunk boundary; the peer has then received a prefix of the range, and the
     * file's position says how long it was. On every outcome the file's position is left at
     * {@code position} plus the bytes sent, as asyncio leaves it. The file must stay open until
     * the future is done; closing it is the caller's business.
     *
     * @param file the file to send from, open for reading
     * @param position where in the file to start
     * @param count how many bytes to send at most
     * @return the number of bytes sent, once they are handed to the socket
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     * @throws IllegalStateException after {@link #close()}, {@link #abort()} or {@link #writeEof()}
     */
    default Future<Long> sendFile(FileChannel file, long position, long count) {
        return FileSender.fallback(this, file, position, count);
    }

    /**
     * Sets a socket option, such as {@code StandardSocketOptions.SO_SNDBUF}.
     *
     * @param <T> the type of the option's value
     * @param option the option to set
     * @param value its new value
     * @return this transport
     * @throws IOException if the socket refuses the option or is closed
     */
    <T> Transport setOption(SocketOption<T> option, T value) throws IOException;

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
     * @return the protocol that receives this transport's data and events
     */
    Protocol protocol();

    /**
     * Hands the connection to another protocol: from the next byte on, {@code protocol} gets
     * {@code dataReceived}, {@code eofReceived}, the flow-control calls and
     * {@code connectionLost}; it is not told {@code connectionMade}. asyncio's
     * {@code transport.set_protocol()}; {@link Net#startTls} uses it to put TLS under the
     * protocol of an open connection.
     *
     * @param protocol the protocol that gets the connection's events from now on
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
     *
     * @return the session, or null
     */
    default javax.net.ssl.SSLSession sslSession() {
        return null;
    }

    /**
     * The protocol agreed by ALPN during the TLS handshake (e.g. {@code "h2"}), or null when
     * there is no TLS or none was agreed: asyncio's {@code ssl_object.selected_alpn_protocol()}.
     *
     * @return the protocol's name, or null
     */
    default String applicationProtocol() {
        return null;
    }

    /**
     * The loop this transport belongs to.
     *
     * @return the loop whose thread runs this transport
     */
    EventLoop loop();
}
