package io.eventloop.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * Full TLS handshakes on new connections: {@code slots} connections at a time, each of which
 * connects, shakes hands (TLS 1.3, a full handshake: {@link ClientTls} offers no session to
 * resume), sends one byte and reads its echo, then closes with a reset (SO_LINGER 0, so that
 * thousands of connections a second leave no TIME_WAIT entries behind), and its slot starts the
 * next connection at once. One unit is one such connection; its latency runs from the
 * {@code connect} to the echo.
 *
 * <p>The echoed byte makes each unit cover the server's whole handshake: a TLS 1.3 client is done
 * once it has sent its Finished, before the server has read it, so a client that left at that
 * point would spare the server the end of its handshake. The reset then costs both servers the
 * same: the socket is gone with no close_notify to answer.
 */
final class HandshakeLoad implements Load {
    private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final InetSocketAddress server;
    private final int slots;
    private final ClientTls tls;
    private final Selector selector;
    /** Every unwrapped record lands here: the bytes are counted, not kept. */
    private final ByteBuffer plain = ByteBuffer.allocateDirect(64 * 1024);
    private final List<Attempt> open = new ArrayList<>();
    private String negotiated;

    /** One connection from its connect to its reset. */
    private static final class Attempt {
        final SocketChannel channel;
        final SelectionKey key;
        final long startedAt;
        TlsClientConnection tls;
        boolean byteSent;

        Attempt(SocketChannel channel, SelectionKey key, long startedAt) {
            this.channel = channel;
            this.key = key;
            this.startedAt = startedAt;
        }
    }

    HandshakeLoad(InetSocketAddress server, int slots, ClientTls tls) throws IOException {
        this.server = server;
        this.slots = slots;
        this.tls = tls;
        this.selector = Selector.open();
    }

    @Override
    public String negotiated() {
        return negotiated;
    }

    @Override
    public Slice slice(double seconds, Window window, LatencyHistogram latencies) throws IOException {
        window.opened();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long deadline = end + DRAIN_LIMIT_NANOS;
        long[] counts = new long[2]; // completed within the slice, completed in all
        boolean[] draining = {false};
        long drainedFrom = end;
        for (int i = 0; i < slots; i++) {
            connect();
        }
        IOException[] failed = new IOException[1];
        while (!open.isEmpty()) {
            long now = System.nanoTime();
            if (!draining[0] && now >= end) {
                draining[0] = true;
                drainedFrom = now;
            }
            if (now >= deadline) {
                throw new IOException(open.size() + " TLS connections still unfinished 30 s after the end of a slice");
            }
            long wait = draining[0] ? deadline - now : end - now;
            selector.select(key -> {
                if (failed[0] != null) {
                    return;
                }
                Attempt a = (Attempt) key.attachment();
                try {
                    if (step(a)) {
                        counts[1]++;
                        if (!draining[0]) {
                            counts[0]++;
                            latencies.record(System.nanoTime() - a.startedAt);
                        }
                        finish(a);
                        if (!draining[0]) {
                            connect();
                        }
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
            }, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        window.closed();
        return new Slice(counts[0], counts[0], (drainedFrom - start) / 1e9, counts[1], counts[1]);
    }

    private void connect() throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Attempt a = new Attempt(ch, ch.register(selector, SelectionKey.OP_CONNECT), System.nanoTime());
            a.key.attach(a);
            open.add(a);
            if (ch.connect(server)) {
                a.key.interestOps(0);
                if (step(a)) {
                    throw new IOException("an echo before anything was sent");
                }
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Takes one connection as far as it goes; true once its byte is echoed. */
    private boolean step(Attempt a) throws IOException {
        if (a.tls == null) {
            if (a.channel.isConnectionPending() && !a.channel.finishConnect()) {
                return false;
            }
            a.tls = new TlsClientConnection(a.channel, tls.newEngine(), true);
        }
        if (!a.byteSent) {
            if (!a.tls.handshake(plain)) {
                a.key.interestOps(SelectionKey.OP_READ | (a.tls.wantsWrite() ? SelectionKey.OP_WRITE : 0));
                return false;
            }
            if (negotiated == null) {
                SSLSession s = a.tls.engine().getSession();
                negotiated = s.getProtocol() + " " + s.getCipherSuite();
            }
            a.tls.wrap(ByteBuffer.wrap(new byte[] {1}));
            a.byteSent = true;
        }
        if (!a.tls.flush()) {
            a.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return false;
        }
        long n = a.tls.read(plain); // after the handshake: the server's session tickets, then the echo
        if (n < 0) {
            throw new IOException("the server closed a new TLS connection before echoing");
        }
        if (n == 0) {
            a.key.interestOps(SelectionKey.OP_READ);
            return false;
        }
        return true;
    }

    private void finish(Attempt a) {
        open.remove(a);
        a.tls.releaseEngine();
        EchoLoad.closeAll(List.of(a.channel));
    }

    @Override
    public void close() throws IOException {
        for (Attempt a : List.copyOf(open)) {
            if (a.tls != null) {
                a.tls.releaseEngine();
            }
            EchoLoad.closeAll(List.of(a.channel));
        }
        open.clear();
        selector.close();
    }
}
