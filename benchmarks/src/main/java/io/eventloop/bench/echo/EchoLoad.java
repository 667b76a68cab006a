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
 * The load generator: one thread, one selector, a fixed number of connections.
 *
 * <ul>
 *   <li>{@link #requestResponse}: each connection sends a message of {@code size} bytes, reads
 *       until the whole echo is back, records the latency and sends the next one at once (a
 *       closed loop: one request in flight per connection). The connection keeps reading while
 *       it writes, so a message larger than the socket buffers cannot deadlock.</li>
 *   <li>{@link #bulk}: each connection writes 64 KiB chunks whenever its socket takes them and
 *       reads whatever comes back; throughput is the bytes echoed back.</li>
 * </ul>
 * Both run a warm-up, then a measured window; {@link Window} is told when the window opens and
 * closes, so server-side counters are read at exactly those points.
 */
final class EchoLoad {
    /** Told when the measured window opens and closes (on the load thread). */
    interface Window {
        void opened() throws IOException;

        void closed() throws IOException;
    }

    /** What one measured window gave. */
    record Result(long requests, long bytes, double seconds, LatencyHistogram latencies) {
    }

    private static final int BULK_CHUNK = 64 * 1024;

    private final InetSocketAddress server;
    private final int connections;
    private final long warmUpNanos;
    private final long measureNanos;
    /** Every read lands here: the bytes are counted, not kept. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);

    EchoLoad(InetSocketAddress server, int connections, double warmUpSeconds, double measureSeconds) {
        this.server = server;
        this.connections = connections;
        this.warmUpNanos = (long) (warmUpSeconds * 1e9);
        this.measureNanos = (long) (measureSeconds * 1e9);
    }

    /** One client connection and where it is in its exchange. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out;
        SelectionKey key;
        long sentAt;
        long received;

        Conn(SocketChannel channel, ByteBuffer out) {
            this.channel = channel;
            this.out = out;
        }
    }

    Result requestResponse(int size, Window window) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            message.put(i, (byte) i);
        }
        return run(message, window, false, size);
    }

    Result bulk(Window window) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(BULK_CHUNK);
        return run(chunk, window, true, 0);
    }

    private Result run(ByteBuffer message, Window window, boolean bulk, int size) throws IOException {
        LatencyHistogram latencies = new LatencyHistogram();
        List<Conn> conns = new ArrayList<>(connections);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(server);
                conns.add(new Conn(ch, message.duplicate()));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
            }
            for (Conn c : conns) {
                c.key = c.channel.register(selector, SelectionKey.OP_READ | (bulk ? SelectionKey.OP_WRITE : 0), c);
                if (!bulk) {
                    send(c);
                }
            }
            long start = System.nanoTime();
            long windowStart = start + warmUpNanos;
            long windowEnd = windowStart + measureNanos;
            boolean measuring = false;
            long requests = 0;
            long bytes = 0;
            long openedAt = 0;
            while (true) {
                long now = System.nanoTime();
                if (!measuring && now >= windowStart) {
                    window.opened();
                    measuring = true;
                    requests = 0;
                    bytes = 0;
                    openedAt = System.nanoTime();
                }
                if (measuring && now >= windowEnd) {
                    long closedAt = System.nanoTime();
                    window.closed();
                    return new Result(requests, bytes, (closedAt - openedAt) / 1e9, latencies);
                }
                long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis((measuring ? windowEnd : windowStart) - now));
                selector.select(timeoutMs);
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
                        if (measuring) {
                            bytes += n;
                        }
                        if (!bulk) {
                            c.received += n;
                            if (c.received == size) {
                                if (measuring) {
                                    requests++;
                                    latencies.record(System.nanoTime() - c.sentAt);
                                }
                                send(c);
                            } else if (c.received > size) {
                                throw new IOException("more bytes echoed than sent");
                            }
                        }
                    }
                    if ((ready & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
                        if (bulk) {
                            if (!c.out.hasRemaining()) {
                                c.out.clear();
                            }
                            c.channel.write(c.out);
                        } else {
                            flush(c);
                        }
                    }
                }
            }
        } finally {
            for (Conn c : conns) {
                abortQuietly(c.channel);
            }
        }
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
            abortQuietly(ch);
        }
    }

    private static void abortQuietly(SocketChannel ch) {
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
