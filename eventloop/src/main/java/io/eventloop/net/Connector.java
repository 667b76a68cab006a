package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.internal.IoHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One {@code createConnection}: resolve the host, try each address in turn until one connects,
 * then hand the channel (and its selection key) to a new {@link SocketTransport}. A Unix domain
 * socket has one address, its path, and no lookup.
 *
 * <pre>
 *   resolving ──&gt; connecting(address i) ──finishConnect──&gt; connected: transport made, result completed
 *                    │ refused/unreachable: next address; none left: result fails
 *   timeout, cancel of the result ──&gt; the channel is closed, the timer and the lookup cancelled
 * </pre>
 * Every way out that is not "connected" closes the channel it opened: no descriptor outlives a
 * refused, timed-out or cancelled connect. The JDK keeps a closed channel's descriptor until its
 * key is flushed from the selector, so the number cannot be reused while the key still exists
 * (the problem python/cpython#131728 fixed in asyncio).
 *
 * <p>Loop thread only.
 */
final class Connector extends IoHandler {
    private final EventLoop loop;
    private final Supplier<? extends Protocol> factory;
    private final String host;
    private final String target;
    private final Duration timeout;
    private final Future<Transport> result;
    private Future<List<InetSocketAddress>> lookup;
    private List<? extends SocketAddress> addresses;
    private int next;
    /** The channel of the attempt in progress, or null. */
    private SocketChannel channel;
    private TimerHandle timer;
    private IOException failure;

    private Connector(EventLoop loop, Supplier<? extends Protocol> factory, String host, String target,
            Duration timeout) {
        this.loop = loop;
        this.factory = factory;
        this.host = host;
        this.target = target;
        this.timeout = timeout;
        this.result = loop.createFuture();
    }

    /** See {@link Net#createConnection(EventLoop, Supplier, String, int, Duration)}. */
    static Future<Transport> connect(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
            Duration timeout) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(factory, "protocolFactory");
        NetSupport.checkThread(loop, "EventLoop.createConnection");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("createConnection needs a host");
        }
        Connector c = new Connector(loop, factory, host, host + ":" + port, timeout);
        c.start();
        c.lookup = Resolver.resolve(loop, host, port);
        c.lookup.onDone(c::resolved);
        return c.result;
    }

    /** See {@link Net#createUnixConnection(EventLoop, Supplier, Path, Duration, TlsConfig)}. */
    static Future<Transport> connectUnix(EventLoop loop, Supplier<? extends Protocol> factory, Path path,
            Duration timeout) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(factory, "protocolFactory");
        NetSupport.checkThread(loop, "Net.createUnixConnection");
        UnixDomainSocketAddress address = UnixSockets.address(path);
        Connector c = new Connector(loop, factory, null, path.toString(), timeout);
        c.start();
        c.addresses = List.of(address);
        c.tryNext();
        return c.result;
    }

    private void start() {
        result.onDone(f -> {
            if (f.isCancelled()) {
                abandon();
            }
        });
        if (timeout != null) {
            timer = loop.callLater(timeout, this::timedOut);
        }
    }

    private void resolved(Future<List<InetSocketAddress>> f) {
        if (result.isDone()) {
            return;
        }
        if (f.isCancelled() || f.exception() != null) {
            finish(f.isCancelled() ? new IOException("lookup of " + target + " was cancelled") : f.exception());
            return;
        }
        addresses = f.result();
        tryNext();
    }

    /** Starts a connect to the next address; fails the result when none is left. */
    private void tryNext() {
        while (next < addresses.size() && !result.isDone()) {
            SocketAddress address = addresses.get(next++);
            SocketChannel ch = null;
            try {
                boolean unix = address instanceof UnixDomainSocketAddress;
                ch = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                channel = ch;
                ch.configureBlocking(false);
                if (!unix) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // as asyncio's transports
                }
                if (ch.connect(address)) {
                    established();
                } else {
                    LOOP.register(loop, ch, SelectionKey.OP_CONNECT, this);
                }
                return;
            } catch (IOException e) {
                NetSupport.closeQuietly(ch);
                channel = null;
                record(address, e);
            }
        }
        if (!result.isDone()) {
            finish(failure != null ? failure : new IOException("no address to connect to for " + target));
        }
    }

    /** OP_CONNECT: finish the connect (which clears the need for OP_CONNECT), or try the next address. */
    @Override
    public void run() {
        if (result.isDone() || channel == null) {
            abandon();
            return;
        }
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            NetSupport.closeQuietly(channel);
            channel = null;
            record(addresses.get(next - 1), e);
            tryNext();
            return;
        }
        established();
    }

    private void established() {
        cancelTimer();
        SocketChannel ch = channel;
        channel = null;
        Protocol protocol;
        SocketTransport transport;
        try {
            protocol = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            transport = new SocketTransport(loop, ch, protocol, null);
            transport.connectedHost = host;
        } catch (Exception e) {
            NetSupport.closeQuietly(ch); // the factory or the transport failed: the socket must not leak
            result.fail(e);
            return;
        }
        SelectionKey key = key();
        try {
            if (key == null) {
                LOOP.register(loop, ch, 0, transport);
            } else {
                key.interestOps(0); // OP_CONNECT stays set otherwise, and select would return at once forever
                key.attach(transport);
                transport.setKey(key);
            }
        } catch (IOException | RuntimeException e) {
            NetSupport.closeQuietly(ch);
            result.fail(e);
            return;
        }
        result.complete(transport);
        transport.start();
    }

    private void timedOut() {
        timer = null;
        if (result.isDone()) {
            return;
        }
        abandon();
        result.fail(new SocketTimeoutException("connect to " + target + " timed out after " + timeout.toMillis() + " ms"));
    }

    /**
     * One address failed. The JDK says only "Connection refused": the failure is rewrapped to name
     * what was tried, as asyncio's "Connect call failed ('127.0.0.1', 7379)" does, keeping the type
     * callers catch ({@link ConnectException}, else the closest {@code java.net} one) and the JDK's
     * exception as its cause.
     */
    private void record(SocketAddress tried, IOException cause) {
        String message;
        if (tried instanceof InetSocketAddress address) {
            String ip = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
            message = "connect to " + target + (target.equals(ip + ":" + address.getPort()) ? "" : " (" + ip + ")")
                    + " failed: " + cause.getMessage();
        } else {
            message = "connect to " + target + " failed: " + cause.getMessage();
        }
        IOException e = cause instanceof ConnectException ? new ConnectException(message)
                : cause instanceof NoRouteToHostException ? new NoRouteToHostException(message)
                : cause instanceof SocketException ? new SocketException(message) : new IOException(message);
        e.initCause(cause);
        if (failure == null) {
            failure = e;
        } else {
            failure.addSuppressed(e);
        }
    }

    private void finish(Throwable error) {
        abandon();
        result.fail(error);
    }

    /** Releases everything this attempt holds: the timer, the lookup, the channel. */
    private void abandon() {
        cancelTimer();
        if (lookup != null && !lookup.isDone()) {
            lookup.cancel();
        }
        NetSupport.closeQuietly(channel);
        channel = null;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public String toString() {
        return "Connector[" + target + ", " + result + "]";
    }
}
