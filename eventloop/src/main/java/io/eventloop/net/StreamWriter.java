package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The writing half of a stream connection: asyncio's {@code asyncio.StreamWriter}.
 *
 * <p>{@link #write} never waits: it hands the bytes to the transport, which sends what the socket
 * takes and buffers the rest. {@link #drain()} is the backpressure point: it completes at once
 * while the buffer is under its high-water mark (64 KiB by default; it returns the same completed
 * future, so it costs nothing), and otherwise waits until the buffer is down to the low-water mark
 * (16 KiB). The pattern, as in asyncio:
 * <pre>{@code
 * writer.write(chunk);
 * return writer.drain().then(v -> nextChunk());   // await writer.drain()
 * }</pre>
 * A producer that never drains grows the buffer without bound; one that drains cannot outrun its
 * peer by more than the high-water mark.
 *
 * <p>Once the connection is lost, {@link #drain()} fails with the cause (an
 * {@link java.io.IOException} such as a connection reset) or a
 * {@link java.nio.channels.ClosedChannelException}, so a write-and-drain loop ends instead of
 * spinning (bpo-25441). Writing after {@link #close()} throws {@link IllegalStateException}.
 *
 * <p>Loop thread only. Compared with an {@code OutputStream}: {@code write} never blocks and
 * {@code drain} is the only place a writer waits.
 */
public final class StreamWriter {
    /** The socket's transport, or the TLS one after {@link #startTls}. Loop thread only. */
    private Transport transport;
    private final StreamProtocol protocol;
    private final StreamReader reader;
    /** What drain returns while not paused: one completed future, reused. */
    private final Future<Void> drained;

    StreamWriter(Transport transport, StreamProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
        this.drained = NetSupport.completed(transport.loop(), null);
    }

    /**
     * Writes {@code data}; see the class comment.
     *
     * @param data the bytes to send
     * @throws IllegalStateException after close() or writeEof()
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes {@code data}'s remaining bytes, leaving its position as it is.
     *
     * @param data the bytes to send, from its position up to its limit
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Writes {@code text} as UTF-8.
     *
     * @param text the text to send
     */
    public void write(String text) {
        transport.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes each array in turn: asyncio's {@code writelines()}; drain afterwards as after a write.
     *
     * @param lines the byte arrays to send, in order
     */
    public void writeLines(Iterable<byte[]> lines) {
        Objects.requireNonNull(lines, "lines");
        for (byte[] line : lines) {
            transport.write(line);
        }
    }

    /**
     * Completes when it is fine to write more: at once below the high-water mark, else when the
     * buffer has drained to the low-water mark. Fails if the connection is lost (or was lost
     * already), or with the reader's exception. Any number of callers may wait at once.
     *
     * @return a future that completes when more may be written
     */
    public Future<Void> drain() {
        NetSupport.checkThread(transport.loop(), "StreamWriter.drain");
        Throwable error = reader.exception();
        if (error != null) {
            return NetSupport.failed(transport.loop(), error);
        }
        if (transport.isClosing() && !protocol.isLost()) {
            // Let connectionLost arrive first (it comes on the next iteration), so a
            // write-then-drain loop on a closed connection sees the error (asyncio's sleep(0) here).
            return NetSupport.nextIteration(transport.loop()).then(v -> protocol.drainHelper(drained));
        }
        return protocol.drainHelper(drained);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, after what was written
     * before and before what is written after: {@link Transport#sendFile(FileChannel, long, long)},
     * asyncio's {@code await loop.sendfile(writer.transport, file, offset, count)}. Zero-copy
     * ({@link FileChannel#transferTo}) on a plain socket; read and written in chunks over TLS.
     * The file is not buffered in memory. Completes with the number of bytes sent, fewer than
     * {@code count} only if the file ends first.
     *
     * @param file the file to send from; it must be open for reading and stay open until the
     *     future is done
     * @param position where in the file to start
     * @param count how many bytes to send at most
     * @return the number of bytes sent, once they are handed to the socket
     */
    public Future<Long> sendFile(FileChannel file, long position, long count) {
        return transport.sendFile(file, position, count);
    }

    /** Half-closes: the peer reads EOF once the buffer is flushed; reading goes on. */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Whether {@link #writeEof()} is supported: true for TCP.
     *
     * @return true if {@link #writeEof()} may be called
     */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection once the buffer is flushed. Idempotent. */
    public void close() {
        transport.close();
    }

    /**
     * Whether the connection is closing or closed.
     *
     * @return true once the connection is closing or closed
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Completes once the connection is closed; fails with the cause if it was lost to an error:
     * asyncio's {@code wait_closed()}.
     *
     * @return a future that completes once the connection is closed
     */
    public Future<Void> waitClosed() {
        NetSupport.checkThread(transport.loop(), "StreamWriter.waitClosed");
        return protocol.closed();
    }

    /**
     * Upgrades the connection to TLS, in place: asyncio's {@code await writer.start_tls(context)},
     * for protocols that begin in plain text and switch (SMTP's and IMAP's STARTTLS,
     * PostgreSQL's SSLRequest). Completes once the handshake is done; from then on this writer
     * and the connection's reader carry plaintext over TLS. Call it when the two sides agree the
     * next bytes are the handshake, with nothing written and not yet flushed that should have
     * gone in the clear before it, and write nothing until it completes. A client's
     * {@code config} checks the server's certificate against its
     * {@link TlsConfig#serverName(String) serverName}, by default the host this connection was
     * made to. Fails, and the connection is closed, if the handshake fails or times out.
     *
     * @param config this side's TLS settings: a client's or a server's configuration
     * @return a future that completes once the handshake is done
     */
    public Future<Void> startTls(TlsConfig config) {
        NetSupport.checkThread(transport.loop(), "StreamWriter.startTls");
        return Net.startTls(transport, config).map(t -> {
            transport = t;
            protocol.replaceTransport(t);
            return null;
        });
    }

    /**
     * The transport underneath: water marks, socket options, abort.
     *
     * @return the connection's transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * The peer's address: an {@link java.net.InetSocketAddress} over TCP, a
     * {@link java.net.UnixDomainSocketAddress} on a Unix domain socket (whose path is empty for a
     * client that did not bind one, as asyncio's {@code get_extra_info('peername')} gives
     * {@code ''}).
     *
     * @return the address of the other side
     */
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /**
     * The local address: an {@link java.net.InetSocketAddress} over TCP, a
     * {@link java.net.UnixDomainSocketAddress} on a Unix domain socket.
     *
     * @return the address this side of the connection is bound to
     */
    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    /**
     * The loop this writer belongs to.
     *
     * @return the loop whose thread runs this writer
     */
    public EventLoop loop() {
        return transport.loop();
    }

    @Override
    public String toString() {
        return "StreamWriter[" + transport + "]";
    }
}
