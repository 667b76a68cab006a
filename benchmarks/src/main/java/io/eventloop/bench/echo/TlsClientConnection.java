package io.eventloop.bench.echo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One load-generator connection's TLS: an {@link SSLEngine} over a non-blocking
 * {@link SocketChannel}, with its own ciphertext buffers. Everything here is non-blocking: each
 * call does what the socket allows now and says whether the caller must wait for readiness.
 * One thread (the load generator's) only.
 */
final class TlsClientConnection {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private SSLEngine engine;
    /** Ciphertext read and not yet unwrapped, in write mode: room for a read of 64 KiB and a split record. */
    private final ByteBuffer netIn;
    /** Ciphertext wrapped and not yet written, in write mode. */
    private ByteBuffer netOut;

    /**
     * {@code direct}: direct buffers, which BoringSSL reads and writes without a copy (for the
     * loads); heap buffers for the idle connections, which are many and exchange one byte.
     */
    TlsClientConnection(SocketChannel channel, SSLEngine engine, boolean direct) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = direct ? ByteBuffer.allocateDirect(64 * 1024 + packet) : ByteBuffer.allocate(packet);
        netOut = direct ? ByteBuffer.allocateDirect(2 * packet) : ByteBuffer.allocate(packet);
        engine.beginHandshake();
    }

    SSLEngine engine() {
        return engine;
    }

    /** Whether ciphertext is waiting for the socket to take it (then wait for OP_WRITE). */
    boolean wantsWrite() {
        return netOut.position() > 0;
    }

    /**
     * Advances the handshake as far as the socket allows. True once it is done and its last
     * flight is written; false when it must wait for the socket (readable, or writable if
     * {@link #wantsWrite()}). {@code plain} is scratch for what unwrapping may produce.
     */
    boolean handshake(ByteBuffer plain) throws IOException {
        for (;;) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        grow(engine.getSession().getPacketBufferSize());
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the engine closed during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flush()) {
                        return false;
                    }
                    netIn.flip();
                    plain.clear();
                    SSLEngineResult r = engine.unwrap(netIn, plain);
                    netIn.compact();
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed during the handshake");
                    }
                    boolean stuck = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || r.bytesConsumed() == 0 && r.getHandshakeStatus() == hs;
                    if (stuck) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new IOException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
                default -> {
                    return flush(); // FINISHED, NOT_HANDSHAKING
                }
            }
        }
    }

    /** Wraps all of {@code data} (from its position to its limit, which is left unchanged) into records. */
    void wrap(ByteBuffer data) throws SSLException {
        int position = data.position();
        while (data.hasRemaining()) {
            SSLEngineResult r = engine.wrap(data, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> grow(engine.getSession().getPacketBufferSize());
                case CLOSED -> throw new SSLException("the engine is closed");
                default -> {
                    if (r.bytesConsumed() == 0) {
                        throw new SSLException("the engine took no plaintext: " + r);
                    }
                }
            }
        }
        data.position(position);
    }

    /** Writes what the socket takes; true if nothing is left to write. */
    boolean flush() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        channel.write(netOut);
        netOut.compact();
        return netOut.position() == 0;
    }

    /**
     * Reads what has arrived and unwraps every whole record in it into {@code plain} (cleared for
     * each record: the bytes are counted, not kept). Returns the plaintext bytes, or -1 at the
     * server's EOF or close_notify.
     */
    long read(ByteBuffer plain) throws IOException {
        int n = channel.read(netIn);
        if (n < 0) {
            return -1;
        }
        netIn.flip();
        long produced = 0;
        try {
            while (netIn.hasRemaining()) {
                plain.clear();
                SSLEngineResult r = engine.unwrap(netIn, plain);
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        return produced;
                    }
                    case BUFFER_OVERFLOW -> throw new SSLException("unwrap needs more than " + plain.capacity() + " bytes: " + r);
                    case CLOSED -> {
                        return -1;
                    }
                    default -> {
                    }
                }
                produced += r.bytesProduced();
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    return produced;
                }
            }
            return produced;
        } finally {
            netIn.compact();
        }
    }

    /** Frees the engine (a BoringSSL engine holds native memory); the connection stays as it is. */
    void releaseEngine() {
        ClientTls.release(engine);
        engine = null;
    }

    private void runTasks() {
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            t.run();
        }
    }

    private void grow(int atLeast) {
        int capacity = netOut.capacity() + Math.max(atLeast, netOut.capacity());
        ByteBuffer bigger = netOut.isDirect() ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        netOut.flip();
        bigger.put(netOut);
        netOut = bigger;
    }
}
