package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.internal.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listening sockets and the connections they accepted: asyncio's {@code asyncio.Server}, what
 * {@link EventLoop#createServer} and {@link EventLoop#startServer} return, and
 * {@link Net#createUnixServer} and {@link Net#startUnixServer} for a Unix domain socket (then
 * {@link #path()} names it, and closing the server removes its file).
 *
 * <pre>
 *   SERVING ──close()──&gt; CLOSED (no listening socket) ──last connection gone──&gt; waitClosed() completes
 * </pre>
 *
 * <p><b>Accepting.</b> Each readiness of a listening socket accepts at most
 * {@value #ACCEPT_BATCH} connections ({@link #ACCEPT_BATCH}); the socket stays ready while more
 * wait, so the next iteration takes the next batch, after the callbacks already queued. A burst of
 * connects is thus accepted as fast as one by one would be, but never keeps the loop from its
 * other connections for longer than one batch. If {@code accept()} fails (typically "Too many
 * open files", EMFILE/ENFILE), the listening socket stays open but stops asking for readiness,
 * accepting resumes after one second (asyncio's {@code ACCEPT_RETRY_DELAY}), and the error is
 * reported to the exception handler: the loop does not spin on a ready socket it cannot accept
 * from (netty/netty#1578, joyent/libuv#690).
 *
 * <p><b>Errors while accepting.</b> An {@link Error} thrown while a connection is accepted and
 * set up (by {@code accept()}, the protocol factory, or the transport's creation and
 * registration) is handled as a failed accept: that connection is closed, accepting pauses for
 * the retry delay, the error is reported, and the loop goes on with the connections it has and
 * its other work. Such an error is typically a class that could not be loaded or initialised
 * ({@code NoClassDefFoundError}, {@code ExceptionInInitializerError}), which is what the
 * descriptor limit produces: a class file read from a directory needs a descriptor, and so does
 * one JDK class's initialiser (which the loop initialises early, see {@code NioWarmUp}). The JVM
 * fails every later use of that class from the same caller (JVMS 5.4.3), so the report may come
 * back once per retry delay: visible, but not fatal to what the server already serves. A
 * {@link VirtualMachineError} ({@code OutOfMemoryError}, {@code StackOverflowError},
 * {@code InternalError}) or a {@link ThreadDeath} is rethrown and ends the loop's run, as an
 * {@code Error} from any callback does: the JVM may have failed anywhere, the loop's own state
 * included, and a process supervisor (or {@code -XX:+ExitOnOutOfMemoryError}) is the one to
 * decide. Tomcat's acceptor rethrows the same two ({@code ExceptionUtils.handleThrowable}),
 * though it lets a {@code StackOverflowError} pass; here a stack overflow while accepting would
 * be a bug, not a condition to wait out. Once a connection has its protocol, the protocol's
 * callbacks follow the loop's rule: an {@code Exception} closes that connection and is reported,
 * an {@code Error} ends the run.
 *
 * <p><b>Closing.</b> {@link #close()} closes the listening sockets at once (the descriptors are
 * released by the loop's next select, before any continuation runs) and leaves the accepted
 * connections alone, as asyncio does; {@link #closeClients()} and {@link #abortClients()} deal
 * with those (asyncio 3.13). {@link #waitClosed()} completes once the server is closed and every
 * connection it accepted is gone.
 *
 * <p>Loop thread only. Compared with Netty's {@code ServerBootstrap}: one listening socket per
 * resolved address, accepted connections served by the same loop, no child group.
 */
public final class Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    /**
     * The listen backlog when none is given: the kernel's own ceiling,
     * {@code /proc/sys/net/core/somaxconn} (4096 on Linux 5.4 and later), or 511 where that
     * cannot be read (nginx's and Redis's default). asyncio's 100 overflows under a burst of
     * connects: the kernel drops the SYNs past it, and clients wait out a retransmission or
     * believe they are connected while the server never sees them. The kernel caps any value at
     * {@code somaxconn}, so a larger one costs nothing.
     */
    public static final int DEFAULT_BACKLOG = somaxconn();
    /**
     * Connections accepted per readiness of a listening socket: 16, Netty's
     * {@code maxMessagesPerRead} for a server channel. Accepting one (the system call,
     * non-blocking mode and {@code TCP_NODELAY}, a transport, its registration, and
     * {@code connectionMade}) took 15-25 µs here, so a batch holds the loop about 0.3 ms. The
     * socket stays ready while connections wait, so the next poll takes the next batch: 4,000
     * queued connects were all accepted in the same time in batches of 16, 64 or 4,096 (a median
     * of 66-107 ms on two shared cores), but the longest iteration fell from 66-105 ms to about
     * 1-5 ms. asyncio accepts {@code backlog} (100 by default) per readiness; with the kernel's
     * {@code somaxconn} as the backlog that would be 4,096.
     */
    static final int ACCEPT_BATCH = 16;
    /** asyncio's {@code ACCEPT_RETRY_DELAY}. */
    static final Duration DEFAULT_ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    /** How a connection is taken from a listening socket; a seam so tests can act out EMFILE. */
    interface Acceptor {
        SocketChannel accept(ServerSocketChannel channel) throws IOException;
    }

    private final EventLoop loop;
    private final Supplier<? extends Protocol> factory;
    private final int backlog;
    private final List<Listener> listeners = new ArrayList<>();
    /** What the listening sockets were bound to; kept after close. */
    private List<InetSocketAddress> boundAddresses = List.of();
    /** The socket file of a Unix domain server, else null; and the identity of the file we bound. */
    private Path unixPath;
    private Object unixFileKey;
    // Loop thread only:
    private boolean closed;
    /** Head of the intrusive list of live connections accepted here. */
    private SocketTransport connections;
    private int connectionCount;
    private List<Future<Void>> closeWaiters;
    private List<Future<Void>> serveForeverWaiters;
    /** Package-private seams for tests. */
    Acceptor acceptor = ServerSocketChannel::accept;
    Duration acceptRetryDelay = DEFAULT_ACCEPT_RETRY_DELAY;

    /** Read line by line: a procfs file says its size is 0, and a whole-file read here returned "4" of "4096". */
    private static int somaxconn() {
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/sys/net/core/somaxconn"))) {
            String line = r.readLine();
            int n = line == null ? 0 : Integer.parseInt(line.trim());
            return n > 0 ? n : 511;
        } catch (IOException | RuntimeException e) {
            return 511;
        }
    }

    private Server(EventLoop loop, Supplier<? extends Protocol> factory, int backlog) {
        this.loop = loop;
        this.factory = factory;
        this.backlog = backlog;
    }

    /** See {@link Net#createServer(EventLoop, Supplier, String, int, int)}. */
    static Future<Server> create(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
            int backlog) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(factory, "protocolFactory");
        NetSupport.checkThread(loop, "EventLoop.createServer");
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        return Resolver.resolve(loop, host, port).map(addresses -> {
            Server server = new Server(loop, factory, backlog);
            server.bind(addresses, port);
            return server;
        });
    }

    /** See {@link Net#createUnixServer(EventLoop, Supplier, Path, int, TlsConfig)}. */
    static Future<Server> createUnix(EventLoop loop, Supplier<? extends Protocol> factory, Path path, int backlog) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(factory, "protocolFactory");
        NetSupport.checkThread(loop, "Net.createUnixServer");
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        UnixDomainSocketAddress address = UnixSockets.address(path);
        Server server = new Server(loop, factory, backlog);
        try {
            server.bindUnix(path, address);
        } catch (IOException | RuntimeException e) {
            return NetSupport.failed(loop, e);
        }
        return NetSupport.completed(loop, server);
    }

    /** Binds the one listening socket of a Unix domain server, after clearing a stale file away. */
    private void bindUnix(Path path, UnixDomainSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listeners.add(new Listener(ch));
            ch.configureBlocking(false);
            UnixSockets.removeStale(path, address);
            ch.bind(address, backlog);
            unixPath = path;
            unixFileKey = UnixSockets.fileKey(path);
            LOOP.register(loop, ch, SelectionKey.OP_ACCEPT, listeners.get(0));
        } catch (IOException | RuntimeException e) {
            NetSupport.closeQuietly(ch);
            listeners.clear();
            if (unixPath != null) {
                UnixSockets.removeOnClose(path, unixFileKey);
            }
            throw e;
        }
        log.debug("{} listening", this);
    }

    /** Binds a listening socket per address (all on one port) and starts accepting; on failure closes them all. */
    private void bind(List<InetSocketAddress> addresses, int port) throws IOException {
        int boundPort = port;
        try {
            for (InetSocketAddress address : addresses) {
                ServerSocketChannel ch = ServerSocketChannel.open();
                Listener listener = new Listener(ch);
                listeners.add(listener);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as asyncio on POSIX: restart without TIME_WAIT trouble
                ch.configureBlocking(false);
                ch.bind(boundPort == address.getPort() ? address : new InetSocketAddress(address.getAddress(), boundPort),
                        backlog);
                if (boundPort == 0) {
                    boundPort = ((InetSocketAddress) ch.getLocalAddress()).getPort(); // the others share it
                }
            }
            List<InetSocketAddress> bound = new ArrayList<>();
            for (Listener listener : listeners) {
                bound.add((InetSocketAddress) listener.channel.getLocalAddress());
                LOOP.register(loop, listener.channel, SelectionKey.OP_ACCEPT, listener);
            }
            boundAddresses = Collections.unmodifiableList(bound);
        } catch (IOException | RuntimeException e) {
            for (Listener listener : listeners) {
                NetSupport.closeQuietly(listener.channel); // EADDRINUSE and friends leave no socket behind
            }
            listeners.clear();
            throw e;
        }
        log.debug("{} listening", this);
    }

    /** A listening socket: the {@link IoHandler} of its key. */
    private final class Listener extends IoHandler {
        final ServerSocketChannel channel;
        TimerHandle retry;

        Listener(ServerSocketChannel channel) {
            this.channel = channel;
        }

        /** OP_ACCEPT: accept up to {@link #ACCEPT_BATCH} connections. */
        @Override
        public void run() {
            for (int i = 0; i < ACCEPT_BATCH && !closed; i++) {
                SocketChannel c;
                try {
                    c = acceptor.accept(channel);
                } catch (IOException e) {
                    pauseAccepting("accept() failed", e);
                    return;
                } catch (Error e) {
                    pauseAccepting("accept() failed", nonFatal(e));
                    return;
                }
                if (c == null) {
                    return; // nothing left to accept (EAGAIN): not an error
                }
                if (!accepted(c, this)) {
                    return;
                }
            }
        }

        /**
         * Stop asking for readiness, try again after a delay, report: never spin on EMFILE. The
         * report comes last so that accepting resumes even if reporting fails.
         */
        private void pauseAccepting(String what, Throwable e) {
            if (closed) {
                return;
            }
            SelectionKey key = key();
            if (key.isValid()) {
                key.interestOps(0);
            }
            retry = loop.callLater(acceptRetryDelay, this::resume);
            NetSupport.report(loop, what + " on " + Server.this + "; not accepting for "
                    + acceptRetryDelay.toMillis() + " ms (the listening socket stays open)", e);
        }

        private void resume() {
            retry = null;
            SelectionKey key = key();
            if (!closed && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }

        void close() {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
            NetSupport.closeRegistered(loop, channel);
        }
    }

    /**
     * A connection was accepted: configure it, make its protocol and transport, start it.
     *
     * @return false if an {@link Error} stopped the setup and {@code listener} paused accepting
     */
    private boolean accepted(SocketChannel c, Listener listener) {
        try {
            c.configureBlocking(false);
            if (unixPath == null) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            NetSupport.closeQuietly(c); // the peer is already gone
            log.debug("{}: dropping an accepted connection", this, e);
            return true;
        }
        SocketTransport transport;
        try {
            Protocol protocol = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            transport = new SocketTransport(loop, c, protocol, this);
            LOOP.register(loop, c, 0, transport);
        } catch (Exception e) {
            NetSupport.closeQuietly(c);
            NetSupport.report(loop, "could not set up an accepted connection on " + this, e);
            return true;
        } catch (Error e) {
            NetSupport.closeQuietly(c);
            listener.pauseAccepting("could not set up an accepted connection", nonFatal(e));
            return false;
        }
        attach(transport);
        transport.start();
        return true;
    }

    /**
     * An {@link Error} from the accept path, returned to be handled as an accept failure, or
     * rethrown if it is fatal: a {@link VirtualMachineError} ({@code OutOfMemoryError},
     * {@code StackOverflowError}, {@code InternalError}) or a {@link ThreadDeath}. See the class
     * Javadoc, "Errors while accepting".
     */
    private static Error nonFatal(Error e) {
        if (e instanceof VirtualMachineError || e instanceof ThreadDeath) {
            throw e;
        }
        return e;
    }

    private void attach(SocketTransport t) {
        t.nextInServer = connections;
        if (connections != null) {
            connections.previousInServer = t;
        }
        connections = t;
        connectionCount++;
    }

    /** Called by a transport once its protocol has been told the connection is lost. */
    void detach(SocketTransport t) {
        SocketTransport prev = t.previousInServer;
        SocketTransport next = t.nextInServer;
        if (prev != null) {
            prev.nextInServer = next;
        } else if (connections == t) {
            connections = next;
        } else {
            return; // not linked
        }
        if (next != null) {
            next.previousInServer = prev;
        }
        t.previousInServer = null;
        t.nextInServer = null;
        connectionCount--;
        wakeCloseWaiters();
    }

    // ------------------------------------------------------------------ API

    /**
     * The port the server listens (or listened) on, the same for every address; -1 for a Unix
     * domain socket.
     *
     * @return the port number
     */
    public int port() {
        return boundAddresses.isEmpty() ? -1 : boundAddresses.get(0).getPort();
    }

    /**
     * The addresses the server listens (or listened) on: asyncio's {@code [s.getsockname() for s in server.sockets]}.
     * Empty for a Unix domain socket: see {@link #path()}.
     *
     * @return the listening addresses
     */
    public List<InetSocketAddress> addresses() {
        return boundAddresses;
    }

    /**
     * The socket file a Unix domain server listens (or listened) on, as given to
     * {@link Net#createUnixServer}; null for a TCP server. asyncio's
     * {@code server.sockets[0].getsockname()}.
     *
     * @return the path, or null
     */
    public Path path() {
        return unixPath;
    }

    /**
     * Whether the server still accepts connections: asyncio's {@code is_serving()}.
     *
     * @return true until the server is closed
     */
    public boolean isServing() {
        return !closed;
    }

    /**
     * Connections accepted here that are not closed yet.
     *
     * @return the number of open connections
     */
    public int connectionCount() {
        return connectionCount;
    }

    /**
     * The loop this server belongs to.
     *
     * @return the loop whose thread runs this server
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Stops listening: closes the listening sockets (connects are refused from the next
     * iteration on) and leaves accepted connections open. Completes {@link #serveForever()}.
     * Idempotent. asyncio's {@code Server.close()}. A Unix domain server also removes its socket
     * file, unless another file has taken its place (asyncio 3.13's {@code cleanup_socket}).
     */
    @Override
    public void close() {
        NetSupport.checkThread(loop, "Server.close");
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : listeners) {
            l.close();
        }
        if (unixPath != null) {
            UnixSockets.removeOnClose(unixPath, unixFileKey);
        }
        if (serveForeverWaiters != null) {
            List<Future<Void>> waiters = serveForeverWaiters;
            serveForeverWaiters = null;
            for (Future<Void> f : waiters) {
                f.complete(null);
            }
        }
        log.debug("{} closed", this);
        wakeCloseWaiters();
    }

    /**
     * Closes every accepted connection gracefully (each flushes what it has buffered; over TLS,
     * through the TLS layer, so each sends close_notify).
     */
    public void closeClients() {
        NetSupport.checkThread(loop, "Server.closeClients");
        for (SocketTransport t : liveConnections()) {
            if (t.protocol() instanceof TlsTransport.Lower tls) {
                tls.tls().close();
            } else {
                t.close();
            }
        }
    }

    /** Aborts every accepted connection, dropping what they have buffered. */
    public void abortClients() {
        NetSupport.checkThread(loop, "Server.abortClients");
        for (SocketTransport t : liveConnections()) {
            t.abort();
        }
    }

    private List<SocketTransport> liveConnections() {
        List<SocketTransport> all = new ArrayList<>(connectionCount);
        for (SocketTransport t = connections; t != null; t = t.nextInServer) {
            all.add(t);
        }
        return all;
    }

    /**
     * Completes once the server is closed and every connection it accepted is gone: asyncio
     * 3.12's {@code wait_closed()}.
     *
     * @return a future that completes once the server and its connections are closed
     */
    public Future<Void> waitClosed() {
        NetSupport.checkThread(loop, "Server.waitClosed");
        Future<Void> f = loop.createFuture();
        if (closed && connectionCount == 0) {
            f.complete(null);
            return f;
        }
        if (closeWaiters == null) {
            closeWaiters = new ArrayList<>(2);
        }
        closeWaiters.add(f);
        return f;
    }

    private void wakeCloseWaiters() {
        if (closed && connectionCount == 0 && closeWaiters != null) {
            List<Future<Void>> waiters = closeWaiters;
            closeWaiters = null;
            for (Future<Void> f : waiters) {
                f.complete(null);
            }
        }
    }

    /**
     * A future that completes when the server is closed; cancelling it closes the server:
     * asyncio's {@code serve_forever()}, in continuation style.
     *
     * @return a future that completes when the server is closed
     * @throws IllegalStateException if the server is already closed
     */
    public Future<Void> serveForever() {
        NetSupport.checkThread(loop, "Server.serveForever");
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        Future<Void> f = loop.createFuture();
        f.onDone(done -> {
            if (done.isCancelled()) {
                close();
            }
        });
        if (serveForeverWaiters == null) {
            serveForeverWaiters = new ArrayList<>(1);
        }
        serveForeverWaiters.add(f);
        return f;
    }

    @Override
    public String toString() {
        return "Server[" + (unixPath != null ? unixPath : boundAddresses) + (closed ? ", closed" : ", serving")
                + ", connections=" + connectionCount + "]";
    }
}
