package io.eventloop.testing;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Connection;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Two connected transports with no socket between them, for testing a {@link Protocol} or a
 * stream handler deterministically: what {@code socketpair()} gives a test, with the network's
 * behaviour under the test's control.
 *
 * <pre>{@code
 * EventLoop loop = new EventLoop();
 * MemoryConnection c = MemoryConnection.pair(loop, new MyClient(), new MyServer(),
 *         MemoryConnection.Options.defaults().fragment(1));   // every byte its own dataReceived
 * c.client().write(request);
 * loop.runOnce(Duration.ZERO);                                // the server has the first byte
 * }</pre>
 *
 * <p><b>What it mirrors.</b> Each end is a {@link Transport} with the rules of the loop's socket
 * transport: writes are buffered, the protocol is paused above the high-water mark (default
 * 64 KiB) and resumed at or below the low one (16 KiB); {@code pauseReading} stops delivery to
 * that end; {@code writeEof} half-closes (the peer's {@code eofReceived}, and the peer closes
 * when it returns {@code false}); {@code close} delivers what is buffered, then the EOF, then
 * {@code connectionLost(null)} on the next iteration; {@code abort} drops the buffer; writing
 * after a local close, abort or writeEof throws {@link IllegalStateException}, and writing after
 * the peer closed drops the bytes silently, as the socket transport does.
 *
 * <p><b>Where it differs from a socket, on purpose.</b>
 * <ul>
 * <li>Delivery is always a loop callback, never a call inside {@code write}, so re-entrancy is
 * as on a socket; by default each write reaches the peer whole, one iteration later, and
 * {@link Options#fragment} / {@link Options#lockstep} split it as a network might.</li>
 * <li>There is no kernel buffer: a byte counts in the writer's
 * {@link Transport#writeBufferSize()} until the peer's protocol has it, so back-pressure is
 * exact (a reader that pauses makes the writer pause after precisely the high-water mark).</li>
 * <li>Bytes sent to an end that has closed are dropped without a RST; {@link #reset()} is how a
 * test asks for one.</li>
 * <li>Addresses are made up: the server is {@code 127.0.0.1:1}, the client {@code 127.0.0.1:2}
 * (privileged ports no test's real socket gets, so a log line shows the connection was in
 * memory) unless {@link Options#addresses} says otherwise. Socket options are remembered, not
 * applied: {@code getOption} returns what {@code setOption} was given, {@code null} if nothing.</li>
 * </ul>
 *
 * <p>Loop thread only: make it, write, step the loop ({@link EventLoop#runOnce},
 * {@link EventLoop#runUntilComplete}) on the thread that made the loop.
 *
 * <p>Compared with Netty's {@code EmbeddedChannel}: that runs one pipeline and lets the test
 * write inbound and read outbound messages by hand, synchronously; here two real protocols talk
 * to each other through the loop, so timing (one iteration per delivery), flow control and
 * closing behave as they will in production. Compared with trio's
 * {@code memory_stream_pair()}: the same idea, with trio's {@code memory_stream_pump} and its
 * {@code max_bytes} here as {@link Options#fragment}, and the pump run by the loop instead of by
 * each {@code send_all}.
 */
public final class MemoryConnection {
    private final MemoryTransport client;
    private final MemoryTransport server;

    private MemoryConnection(EventLoop loop, Protocol client, Protocol server, Options options) {
        this.client = new MemoryTransport(loop, this, client, "client", options.clientAddress(),
                options.serverAddress(), options);
        this.server = new MemoryTransport(loop, this, server, "server", options.serverAddress(),
                options.clientAddress(), options);
        this.client.connect(this.server);
        this.server.connect(this.client);
    }

    /**
     * {@link #pair(EventLoop, Protocol, Protocol, Options)} with {@link Options#defaults()}.
     *
     * @param loop the loop both ends run on
     * @param client the protocol of the client's end
     * @param server the protocol of the server's end
     * @return the connected pair
     */
    public static MemoryConnection pair(EventLoop loop, Protocol client, Protocol server) {
        return pair(loop, client, server, Options.defaults());
    }

    /**
     * Connects {@code client} and {@code server} in memory, and calls {@code connectionMade} on
     * both before returning, the client's first (an exception from either closes that end, as on
     * a socket: it is reported to the loop's exception handler and the other end reads EOF).
     * Nothing is delivered until the loop runs.
     *
     * @param loop the loop both ends run on
     * @param client the protocol of the client's end
     * @param server the protocol of the server's end
     * @param options how bytes travel between the ends
     * @return the connected pair
     * @throws IllegalStateException if not called on {@code loop}'s thread
     */
    public static MemoryConnection pair(EventLoop loop, Protocol client, Protocol server, Options options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(options, "options");
        loop.checkThread("MemoryConnection.pair");
        MemoryConnection c = new MemoryConnection(loop, client, server, options);
        c.client.start();
        c.server.start();
        return c;
    }

    /**
     * {@link #streams(EventLoop, BiFunction, Options)} with {@link Options#defaults()}.
     *
     * @param loop the loop both ends run on
     * @param handler the server side's stream handler, called with its reader and writer
     * @return the client's reader and writer
     */
    public static Connection streams(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler) {
        return streams(loop, handler, Options.defaults());
    }

    /**
     * A stream handler served over a memory pair, with the client's reader and writer returned:
     * {@code Net.startServer} and {@code Net.openConnection} in one call, with no port. The
     * server side runs {@code handler} exactly as {@code startServer} runs it (a task for the
     * connection; when its future completes the connection is closed after flushing; a failure is
     * reported to the loop's exception handler unless it is the connection's own loss;
     * {@code null} keeps the connection until its writer is closed). Both readers have
     * {@link StreamReader#DEFAULT_LIMIT}. The handler starts on the next iteration, as it would
     * after an accept. {@link #of(Transport)} of {@code writer().transport()} gives the pair, to
     * {@link #reset()} it.
     *
     * @param loop the loop both ends run on
     * @param handler the server side's stream handler, called with its reader and writer
     * @param options how bytes travel between the ends
     * @return the client's reader and writer
     * @throws IllegalStateException if not called on {@code loop}'s thread
     */
    public static Connection streams(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, Options options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        loop.checkThread("MemoryConnection.streams");
        Protocol server = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT), handler);
        Protocol client = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT), null);
        MemoryConnection c = pair(loop, client, server, options);
        return Net.connection(c.client);
    }

    /**
     * The pair {@code transport} is an end of: how a test that only holds a transport (the one
     * its protocol was given, or {@code writer().transport()} of {@link #streams}) reaches
     * {@link #reset()}.
     *
     * @param transport an end of a memory pair
     * @return the pair
     * @throws IllegalArgumentException if {@code transport} is not from a {@code MemoryConnection}
     */
    public static MemoryConnection of(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (transport instanceof MemoryTransport t) {
            return t.connection();
        }
        throw new IllegalArgumentException("not a MemoryConnection transport: " + transport);
    }

    /**
     * The client's end: the transport the client protocol was given.
     *
     * @return the client's transport
     */
    public Transport client() {
        return client;
    }

    /**
     * The server's end: the transport the server protocol was given.
     *
     * @return the server's transport
     */
    public Transport server() {
        return server;
    }

    /**
     * Resets the connection, as a RST from the network would: what either end had not delivered
     * is dropped, nothing more is delivered, and each protocol gets
     * {@code connectionLost(new IOException("Connection reset by peer"))} on the next iteration
     * (each its own exception; a waiting {@link Transport#flushed()} fails with it). An end that
     * was closed already is left as it is. trio has no counterpart (its memory streams only close
     * cleanly); Netty's {@code EmbeddedChannel} would need an exception fired by hand.
     *
     * @throws IllegalStateException if not called on the loop's thread
     */
    public void reset() {
        client.loop().checkThread("MemoryConnection.reset");
        client.reset(new IOException("Connection reset by peer"));
        server.reset(new IOException("Connection reset by peer"));
    }

    @Override
    public String toString() {
        return "MemoryConnection[" + client + ", " + server + "]";
    }

    /**
     * How a {@link MemoryConnection} delivers: immutable, each setter returns a copy.
     *
     * <pre>{@code MemoryConnection.Options.defaults().fragment(1, 2).lockstep(true)}</pre>
     *
     * <p>The same settings apply to both directions. Compared with trio: {@code fragment} is
     * {@code memory_stream_pump}'s {@code max_bytes}, generalised to a cycle of sizes; Netty's
     * {@code EmbeddedChannel} has no counterpart (a test splits its buffers itself).
     */
    public static final class Options {
        private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2);
        private static final Options DEFAULTS = new Options(new int[0], false, 64 * 1024, 16 * 1024, CLIENT, SERVER);

        private final int[] fragments;
        private final boolean lockstep;
        private final int high;
        private final int low;
        private final InetSocketAddress clientAddress;
        private final InetSocketAddress serverAddress;

        private Options(int[] fragments, boolean lockstep, int high, int low, InetSocketAddress clientAddress,
                InetSocketAddress serverAddress) {
            this.fragments = fragments;
            this.lockstep = lockstep;
            this.high = high;
            this.low = low;
            this.clientAddress = clientAddress;
            this.serverAddress = serverAddress;
        }

        /**
         * Each write reaches the peer whole, all that is buffered in one callback; water marks
         * 64 KiB and 16 KiB, as the socket transport's; server {@code 127.0.0.1:1}, client
         * {@code 127.0.0.1:2}.
         *
         * @return the default options
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * Delivers each write in chunks of these sizes, one {@code dataReceived} per chunk: the
         * first chunk has {@code sizes[0]} bytes, the next {@code sizes[1]}, cycling through the
         * list, the last one shorter if the write runs out. Each write starts the cycle again, and
         * no chunk holds bytes of two writes. {@code fragment(1)} is the harshest test of a
         * parser.
         *
         * @param sizes the chunk sizes, in bytes, used in turn
         * @return a copy with that fragmentation
         * @throws IllegalArgumentException if {@code sizes} is empty or a size is not positive
         */
        public Options fragment(int... sizes) {
            Objects.requireNonNull(sizes, "sizes");
            if (sizes.length == 0) {
                throw new IllegalArgumentException("fragment needs at least one size, got none");
            }
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i] <= 0) {
                    throw new IllegalArgumentException("fragment sizes must be positive, got " + sizes[i]
                            + " at index " + i + " of " + Arrays.toString(sizes));
                }
            }
            return new Options(sizes.clone(), lockstep, high, low, clientAddress, serverAddress);
        }

        /**
         * With {@code true}, delivers one chunk (or the EOF) per loop iteration, each callback
         * scheduling the next, instead of everything buffered in one callback: a test can stop
         * between any two chunks, and the peer's replies interleave with them as they would on a
         * slow network.
         *
         * @param on whether to deliver one chunk per iteration
         * @return a copy with that setting
         */
        public Options lockstep(boolean on) {
            return new Options(fragments, on, high, low, clientAddress, serverAddress);
        }

        /**
         * The water marks each end starts with ({@link Transport#setWriteBufferLimits} changes
         * them later): the protocol is paused above {@code high} bytes undelivered and resumed at
         * or below {@code low}.
         *
         * @param high the undelivered byte count above which a protocol is paused
         * @param low the undelivered byte count at or below which it is resumed
         * @return a copy with those water marks
         * @throws IllegalArgumentException unless {@code high >= low >= 0}
         */
        public Options writeBufferLimits(int high, int low) {
            if (low < 0 || high < low) {
                throw new IllegalArgumentException("need high >= low >= 0, got high=" + high + ", low=" + low);
            }
            return new Options(fragments, lockstep, high, low, clientAddress, serverAddress);
        }

        /**
         * The addresses the ends report: the client's {@code localAddress()} is {@code client}
         * and its {@code remoteAddress()} is {@code server}, and the other way round for the
         * server. Nothing is bound.
         *
         * @param client the client end's own address
         * @param server the server end's own address
         * @return a copy with those addresses
         */
        public Options addresses(InetSocketAddress client, InetSocketAddress server) {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(server, "server");
            return new Options(fragments, lockstep, high, low, client, server);
        }

        /**
         * The fragment sizes; empty when each write is delivered whole.
         *
         * @return a copy of the fragment sizes
         */
        public int[] fragments() {
            return fragments.clone();
        }

        /**
         * Whether one chunk is delivered per iteration.
         *
         * @return true in lockstep mode
         */
        public boolean lockstep() {
            return lockstep;
        }

        /**
         * The high-water mark each end starts with.
         *
         * @return the high-water mark, in bytes
         */
        public int writeBufferHighWaterMark() {
            return high;
        }

        /**
         * The low-water mark each end starts with.
         *
         * @return the low-water mark, in bytes
         */
        public int writeBufferLowWaterMark() {
            return low;
        }

        /**
         * The client's address.
         *
         * @return the client end's own address
         */
        public InetSocketAddress clientAddress() {
            return clientAddress;
        }

        /**
         * The server's address.
         *
         * @return the server end's own address
         */
        public InetSocketAddress serverAddress() {
            return serverAddress;
        }

        @Override
        public String toString() {
            return "MemoryConnection.Options[fragment=" + Arrays.toString(fragments) + ", lockstep=" + lockstep
                    + ", writeBufferLimits=" + high + "/" + low + ", client=" + clientAddress + ", server="
                    + serverAddress + "]";
        }
    }
}
