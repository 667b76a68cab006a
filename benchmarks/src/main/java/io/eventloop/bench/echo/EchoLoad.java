package io.eventloop.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load on one server: a fixed number of connections driven by one thread through one
 * selector, in slices of time.
 *
 * <ul>
 *   <li><b>Request/response</b> ({@code size > 0}): each connection sends a message of
 *       {@code size} bytes, reads until the whole echo is back, records the latency and sends the
 *       next one at once (a closed loop: one request in flight per connection). A connection
 *       keeps reading while it writes, so a message larger than the socket buffers cannot
 *       deadlock.</li>
 *   <li><b>Bulk</b> ({@code size == 0}): each connection writes 64 KiB chunks whenever its
 *       socket takes them and reads whatever comes back.</li>
 * </ul>
 * A {@linkplain #slice slice} starts with nothing in flight, runs for its duration, then drains:
 * no new request is sent (no more bytes, for bulk) and the slice ends once every byte sent has
 * come back. So between slices the server is idle and the connections of other servers can be
 * driven meanwhile; and the server work of every request counted lies inside the slice, which is
 * what the {@link Window} (server CPU time, allocation) is read around.
 */
final class EchoLoad implements AutoCloseable {
    /** Told when a slice starts and once it has drained (on the load thread). */
    interface Window {
        void opened() throws IOException;

        void closed() throws IOException;
    }

    static final Window NO_WINDOW = new Window() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /**
     * What one slice gave: {@code requests} and {@code bytes} completed within its
     * {@code seconds}; {@code allRequests} and {@code allBytes} including those of the drain.
     */
    record Slice(long requests, long bytes, double seconds, long allRequests, long allBytes) {
    }

    private static final int BULK_CHUNK = 64 * 1024;
    private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int size;
    private final List<Conn> conns = new ArrayList<>();
    private final Selector selector;
    /** Every read lands here: the bytes are counted, not kept. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);

    /** One client connection and where it is in its exchange. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out;
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

    /** Opens {@code connections} connections to {@code server}; {@code size} 0 means bulk. */
    EchoLoad(InetSocketAddress server, int connections, int size) throws IOException {
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
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                c.key = ch.register(selector, 0, c);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Drives the connections for {@code seconds}, then drains; latencies of the slice go to {@code latencies}. */
    Slice slice(double seconds, Window window, LatencyHistogram latencies) throws IOException {
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
                    scratch.clear();
                    int n = c.channel.read(scratch);
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
        flush(c);
    }

    /** Writes what the socket takes; asks for OP_WRITE only while part of the message is left. */
    private static void flush(Conn c) throws IOException {
        c.channel.write(c.out);
        int ops = SelectionKey.OP_READ | (c.out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
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
        }
        closeAll(channels);
    }

    /**
     * Opens {@code count} connections that stay idle after one 1-byte exchange each, in batches
     * of 50 (below every server's listen backlog), each batch echoed before the next is opened, so
     * every connection has been accepted and served once.
     */
    static List<SocketChannel> openIdle(InetSocketAddress server, int count) throws IOException {
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
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.write(one.clear());
                }
                for (SocketChannel ch : current) {
                    one.clear();
                    if (ch.read(one) != 1) {
                        throw new IOException("no echo on an idle connection");
                    }
                }
                done += batch;
            }
        } catch (IOException | RuntimeException e) {
            closeAll(open);
            throw e;
        }
        return open;
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
