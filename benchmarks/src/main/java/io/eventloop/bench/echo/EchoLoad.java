package io.eventloop.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * The load on one server: a fixed number of connections driven by one thread through one
 * selector, in slices of time, over plain TCP or TLS.
 *
 * <ul>
 *   <li><b>Request/response</b> ({@code size > 0}): each connection sends a message of
 *       {@code size} bytes, reads until the whole echo is back, records the latency and sends the
 *       next one at once (a closed loop: one request in flight per connection). A connection
 *       keeps reading while it writes, so a message larger than the socket buffers cannot
 *       deadlock.</li>
 *   <li><b>Bulk</b> ({@code size == 0}, plain TCP only): each connection writes 64 KiB chunks
 *       whenever its socket takes them and reads whatever comes back.</li>
 * </ul>
 * Over TLS ({@link ClientTls}) every connection shakes hands when the load is made; a message is
 * then wrapped whole into records of at most 16 KiB (so 64 KiB leaves as four records) and what
 * counts is the plaintext echoed back. Slices as {@link Load} describes: a slice ends by draining,
 * so between slices the server is idle and the connections of other servers can be driven
 * meanwhile.
 */
final class EchoLoad implements Load {
    private static final int BULK_CHUNK = 64 * 1024;
    private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int size;
    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;
    /** Every read lands here: the bytes are counted, not kept. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
    /** Every unwrapped record lands here (TLS): a record holds at most 16 KiB of plaintext. */
    private final ByteBuffer plain = ByteBuffer.allocateDirect(64 * 1024);

    /** One client connection and where it is in its exchange. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out;
        /** The connection's TLS, or null for plain TCP. */
        TlsClientConnection tls;
        SelectionKey key;
        long sentAt;
        /** Request/response: bytes of the current echo received. Bulk: bytes sent and received in the slice. */
        long received;
        long sent;
        boolean busy;

        Conn(SocketChannel channel, ByteBuffer out) {
            this.channel = channel;
            this.out = out;
        }
    }

    /**
     * Opens {@code connections} connections to {@code server}, over TLS from {@code tls} unless it
     * is null, and finishes their handshakes; {@code size} 0 means bulk.
     */
    EchoLoad(SocketAddress server, int connections, int size, ClientTls tls) throws IOException {
        if (size == 0 && tls != null) {
            throw new IllegalArgumentException("the bulk load runs over plain TCP only");
        }
        this.size = size;
        ByteBuffer message = ByteBuffer.allocateDirect(size > 0 ? size : BULK_CHUNK);
        for (int i = 0; i < message.capacity(); i++) {
            message.put(i, (byte) i);
        }
        selector = Selector.open();
        try {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(server);
                Conn c = new Conn(ch, message.duplicate());
                conns.add(c);
                if (server instanceof InetSocketAddress) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                ch.configureBlocking(false);
                c.key = ch.register(selector, 0, c);
                if (tls != null) {
                    c.tls = new TlsClientConnection(ch, tls.newEngine(), true);
                }
            }
            if (tls != null) {
                Map<SelectionKey, TlsClientConnection> handshakes = new HashMap<>();
                for (Conn c : conns) {
                    handshakes.put(c.key, c.tls);
                }
                completeHandshakes(selector, handshakes, plain);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String negotiated() {
        if (conns.isEmpty() || conns.get(0).tls == null) {
            return null;
        }
        SSLSession s = conns.get(0).tls.engine().getSession();
        return s.getProtocol() + " " + s.getCipherSuite();
    }

    /**
     * Drives the handshakes of {@code pending} (keys of {@code selector}, each with its TLS) until
     * every one is done, at most 30 s; leaves each key with no interest.
     */
    static void completeHandshakes(Selector selector, Map<SelectionKey, TlsClientConnection> pending, ByteBuffer plain)
            throws IOException {
        long deadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
        for (Map.Entry<SelectionKey, TlsClientConnection> e : List.copyOf(pending.entrySet())) {
            handshakeStep(e.getKey(), e.getValue(), pending, plain);
        }
        while (!pending.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                throw new IOException(pending.size() + " TLS handshakes did not finish within 30 s");
            }
            IOException[] failed = new IOException[1];
            selector.select(key -> {
                TlsClientConnection t = pending.get(key);
                if (t != null && failed[0] == null) {
                    try {
                        handshakeStep(key, t, pending, plain);
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            }, 100);
            if (failed[0] != null) {
                throw failed[0];
            }
        }
    }

    private static void handshakeStep(SelectionKey key, TlsClientConnection t, Map<SelectionKey, TlsClientConnection> pending,
            ByteBuffer plain) throws IOException {
        if (t.handshake(plain)) {
            pending.remove(key);
            key.interestOps(0);
        } else {
            key.interestOps(SelectionKey.OP_READ | (t.wantsWrite() ? SelectionKey.OP_WRITE : 0));
        }
    }

    @Override
    public Slice slice(double seconds, Window window, LatencyHistogram latencies) throws IOException {
        boolean bulk = size == 0;
        window.opened();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long requests = 0;
        long bytes = 0;
        long allRequests = 0;
        long allBytes = 0;
        int busy = 0;
        for (Conn c : conns) {
            c.busy = true;
            busy++;
            if (bulk) {
                c.sent = 0;
                c.received = 0;
                c.out.clear();
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                send(c);
            }
        }
        boolean draining = false;
        long drainedFrom = end;
        long deadline = end + DRAIN_LIMIT_NANOS;
        while (busy > 0) {
            long now = System.nanoTime();
            if (!draining && now >= end) {
                draining = true;
                drainedFrom = now;
                if (bulk) {
                    for (Conn c : conns) {
                        c.key.interestOps(SelectionKey.OP_READ); // stop sending; wait for the echo of what was sent
                        if (c.received == c.sent) {
                            c.busy = false;
                            busy--;
                        }
                    }
                    continue;
                }
            }
            if (now >= deadline) {
                throw new IOException("the server did not echo everything within 30 s of the end of a slice");
            }
            long wait = draining ? deadline - now : end - now;
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                Conn c = (Conn) key.attachment();
                int ready = key.readyOps();
                if ((ready & SelectionKey.OP_READ) != 0) {
                    long n;
                    if (c.tls == null) {
                        scratch.clear();
                        n = c.channel.read(scratch);
                    } else {
                        n = c.tls.read(plain);
                    }
                    if (n < 0) {
                        throw new IOException("the server closed a connection");
                    }
                    allBytes += n;
                    if (!draining) {
                        bytes += n;
                    }
                    c.received += n;
                    if (bulk) {
                        if (draining && c.busy && c.received == c.sent) {
                            c.busy = false;
                            busy--;
                        }
                    } else if (c.received == size) {
                        allRequests++;
                        if (!draining) {
                            requests++;
                            latencies.record(System.nanoTime() - c.sentAt);
                            send(c);
                        } else {
                            c.busy = false;
                            busy--;
                        }
                    } else if (c.received > size) {
                        throw new IOException("more bytes echoed than sent");
                    }
                }
                if ((ready & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
                    if (bulk) {
                        if (!draining) {
                            if (!c.out.hasRemaining()) {
                                c.out.clear();
                            }
                            c.sent += c.channel.write(c.out);
                        }
                    } else {
                        flush(c);
                    }
                }
            }
        }
        double elapsed = (drainedFrom - start) / 1e9;
        for (Conn c : conns) {
            c.key.interestOps(0);
        }
        window.closed();
        return new Slice(requests, bytes, elapsed, allRequests, allBytes);
    }

    private static void send(Conn c) throws IOException {
        c.out.clear();
        c.received = 0;
        c.sentAt = System.nanoTime();
        if (c.tls != null) {
            c.tls.wrap(c.out); // all of it, into records waiting for the socket
        }
        flush(c);
    }

    /** Writes what the socket takes; asks for OP_WRITE only while part of the message is left. */
    private static void flush(Conn c) throws IOException {
        boolean left;
        if (c.tls == null) {
            c.channel.write(c.out);
            left = c.out.hasRemaining();
        } else {
            left = !c.tls.flush();
        }
        int ops = SelectionKey.OP_READ | (left ? SelectionKey.OP_WRITE : 0);
        if (c.key.interestOps() != ops) {
            c.key.interestOps(ops);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        List<SocketChannel> channels = new ArrayList<>();
        for (Conn c : conns) {
            channels.add(c.channel);
            if (c.tls != null) {
                c.tls.releaseEngine();
            }
        }
        closeAll(channels);
    }

    /**
     * Opens {@code count} connections that stay idle after one 1-byte exchange each, in batches
     * of 50 (below every server's listen backlog), each batch echoed before the next is opened, so
     * every connection has been accepted and served once. Over TLS ({@code tls} not null) each
     * connection finishes its handshake before its byte is sent; the load generator then drops
     * its engine, and the connection stays open with the server's TLS state in place.
     */
    static List<SocketChannel> openIdle(SocketAddress server, int count, ClientTls tls) throws IOException {
        List<SocketChannel> open = new ArrayList<>(count);
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            for (int done = 0; done < count; ) {
                int batch = Math.min(50, count - done);
                List<SocketChannel> current = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    SocketChannel ch = SocketChannel.open(server);
                    open.add(ch);
                    current.add(ch);
                    if (server instanceof InetSocketAddress) {
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    }
                    if (tls == null) {
                        ch.write(one.clear());
                    }
                }
                if (tls == null) {
                    for (SocketChannel ch : current) {
                        one.clear();
                        if (ch.read(one) != 1) {
                            throw new IOException("no echo on an idle connection");
                        }
                    }
                } else {
                    exchangeOneByte(current, tls);
                }
                done += batch;
            }
        } catch (IOException | RuntimeException e) {
            closeAll(open);
            throw e;
        }
        return open;
    }

    /** TLS: shakes hands on every channel of {@code batch}, then sends one byte on each and reads its echo. */
    private static void exchangeOneByte(List<SocketChannel> batch, ClientTls tls) throws IOException {
        ByteBuffer plain = ByteBuffer.allocate(32 * 1024);
        try (Selector selector = Selector.open()) {
            Map<SelectionKey, TlsClientConnection> handshakes = new HashMap<>();
            Map<SelectionKey, TlsClientConnection> waiting = new HashMap<>();
            for (SocketChannel ch : batch) {
                ch.configureBlocking(false);
                SelectionKey key = ch.register(selector, 0);
                TlsClientConnection t = new TlsClientConnection(ch, tls.newEngine(), false);
                handshakes.put(key, t);
                waiting.put(key, t);
            }
            try {
                completeHandshakes(selector, handshakes, plain);
                for (Map.Entry<SelectionKey, TlsClientConnection> e : waiting.entrySet()) {
                    e.getValue().wrap(ByteBuffer.wrap(new byte[] {1}));
                    if (!e.getValue().flush()) {
                        throw new IOException("one byte did not fit into a socket buffer");
                    }
                    e.getKey().interestOps(SelectionKey.OP_READ);
                }
                long deadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
                Map<SelectionKey, TlsClientConnection> pending = new HashMap<>(waiting);
                while (!pending.isEmpty()) {
                    if (System.nanoTime() >= deadline) {
                        throw new IOException(pending.size() + " idle TLS connections got no echo within 30 s");
                    }
                    IOException[] failed = new IOException[1];
                    selector.select(key -> {
                        TlsClientConnection t = pending.get(key);
                        try {
                            long n = t == null ? 0 : t.read(plain);
                            if (n < 0) {
                                throw new IOException("the server closed an idle TLS connection");
                            }
                            if (n > 0) {
                                pending.remove(key);
                                key.interestOps(0);
                            }
                        } catch (IOException e) {
                            failed[0] = e;
                        }
                    }, 100);
                    if (failed[0] != null) {
                        throw failed[0];
                    }
                }
            } finally {
                for (TlsClientConnection t : waiting.values()) {
                    t.releaseEngine();
                }
            }
        } // closing the selector deregisters the channels; they stay open
    }

    /** Closes with a reset (SO_LINGER 0), leaving no TIME_WAIT entries behind for the next run. */
    static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel ch : channels) {
            try {
                if (ch.isOpen()) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException e) {
                // closing anyway
            }
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
