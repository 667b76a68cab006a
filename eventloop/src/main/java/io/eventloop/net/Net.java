package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Handle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The networking operations of a loop, as static functions: {@link EventLoop}'s
 * {@code createServer}, {@code createConnection}, {@code startServer}, {@code openConnection} and
 * {@code sock*} methods delegate here, and the overloads with more parameters (backlog, reader
 * limit, connect timeout) live here only.
 *
 * <p>Every function must be called on the loop's thread and returns a future that is already
 * running. Compared with asyncio: the same functions, with the loop as first argument instead of
 * the receiver; {@code create_connection} returns the transport (its protocol is
 * {@link Transport#protocol()}), and {@code open_connection} returns one {@link Connection}.
 */
public final class Net {
    /**
     * The connect timeout when none is given: 30 s (Netty's {@code CONNECT_TIMEOUT_MILLIS}
     * default). asyncio has none, leaving it to the kernel (about two minutes on Linux).
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private Net() {
    }

    // ------------------------------------------------------------------ transports and protocols

    /**
     * Listens on {@code host}:{@code port} and serves each accepted connection with a new protocol
     * from {@code protocolFactory}: asyncio's {@code loop.create_server()}. A null or empty host
     * listens on every interface; a name is resolved on the default executor and every address
     * it resolves to is listened on; port 0 picks a free port ({@link Server#port()}). The future
     * fails with a {@link java.net.BindException} if the address is in use, leaving no socket
     * open.
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @return the server, once it listens on every address
     */
    public static Future<Server> createServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port) {
        return createServer(loop, protocolFactory, host, port, Server.DEFAULT_BACKLOG);
    }

    /**
     * {@link #createServer(EventLoop, Supplier, String, int)} with a listen backlog (default
     * {@link Server#DEFAULT_BACKLOG}, the kernel's {@code somaxconn}).
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param backlog how many connections the kernel queues before they are accepted
     * @return the server, once it listens on every address
     */
    public static Future<Server> createServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, int backlog) {
        return Server.create(loop, protocolFactory, host, port, backlog);
    }

    /**
     * {@link #createServer(EventLoop, Supplier, String, int)} over TLS: asyncio's
     * {@code loop.create_server(..., ssl=context)}. Each connection's protocol is made, and told
     * {@code connectionMade}, once its handshake is done; a handshake that fails or times out
     * closes that connection only, with one WARN line naming the client and the reason (a client
     * that closes before sending anything is logged at DEBUG). A null {@code tls} serves plain
     * TCP.
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection, after its handshake
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param tls the server's certificate and TLS settings; null for plain TCP
     * @return the server, once it listens on every address
     * @throws IllegalArgumentException if {@code tls} is a client configuration
     */
    public static Future<Server> createServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, TlsConfig tls) {
        return createServer(loop, protocolFactory, host, port, Server.DEFAULT_BACKLOG, tls);
    }

    /**
     * {@link #createServer(EventLoop, Supplier, String, int, TlsConfig)} with a listen backlog.
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection, after its handshake
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param backlog how many connections the kernel queues before they are accepted
     * @param tls the server's certificate and TLS settings; null for plain TCP
     * @return the server, once it listens on every address
     */
    public static Future<Server> createServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, int backlog, TlsConfig tls) {
        if (tls == null) {
            return createServer(loop, protocolFactory, host, port, backlog);
        }
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (!tls.isServer()) {
            throw new IllegalArgumentException("a server needs a server configuration (TlsConfig.server(...)), not " + tls);
        }
        return Server.create(loop, () -> new TlsTransport(loop, tls, null, protocolFactory.get(), true).lower, host,
                port, backlog);
    }

    /**
     * Connects to {@code host}:{@code port} and runs a protocol from {@code protocolFactory} on the
     * connection: asyncio's {@code loop.create_connection()}. The host is resolved on the default
     * executor unless it is a numeric address; each address is tried in turn. The future fails
     * with {@link java.net.ConnectException} when refused and with
     * {@link java.net.SocketTimeoutException} after {@link #DEFAULT_CONNECT_TIMEOUT}; cancelling it
     * abandons the attempt. However it fails, no socket is left open, and the protocol is made
     * only once connected.
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once connected
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @return the connection's transport, once connected
     */
    public static Future<Transport> createConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port) {
        return createConnection(loop, protocolFactory, host, port, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * {@link #createConnection(EventLoop, Supplier, String, int)} with a connect timeout (null: none,
     * the kernel's own applies). The timeout covers the name lookup and every address tried.
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once connected
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @param connectTimeout how long the lookup and the connect may take together; null for no
     *     limit of ours
     * @return the connection's transport, once connected
     */
    public static Future<Transport> createConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, Duration connectTimeout) {
        return Connector.connect(loop, protocolFactory, host, port, connectTimeout);
    }

    /**
     * {@link #createConnection(EventLoop, Supplier, String, int)} over TLS: asyncio's
     * {@code loop.create_connection(..., ssl=context, server_hostname=...)}. Completes with the
     * TLS transport once the handshake is done (the protocol is made and told
     * {@code connectionMade} then). The server's certificate is checked against {@code tls}'s
     * trust and, unless turned off, against {@link TlsConfig#serverName(String)} or else
     * {@code host}; a failed check fails the future with an
     * {@link javax.net.ssl.SSLHandshakeException} that names the host and the reason. The
     * handshake has its own timeout ({@link TlsConfig#handshakeTimeout(Duration)}); cancelling
     * the future abandons the connection at any stage. A null {@code tls} connects in plain TCP.
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once the handshake is done
     * @param host the name or address to connect to, and the name checked in the certificate unless
     *     {@code tls} names another
     * @param port the port to connect to
     * @param tls the trust and TLS settings of the client; null for plain TCP
     * @return the TLS transport, once the handshake is done
     * @throws IllegalArgumentException if {@code tls} is a server configuration
     */
    public static Future<Transport> createConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, TlsConfig tls) {
        return createConnection(loop, protocolFactory, host, port, DEFAULT_CONNECT_TIMEOUT, tls);
    }

    /**
     * {@link #createConnection(EventLoop, Supplier, String, int, TlsConfig)} with a connect timeout (null: none).
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once the handshake is done
     * @param host the name or address to connect to, and the name checked in the certificate unless
     *     {@code tls} names another
     * @param port the port to connect to
     * @param connectTimeout how long the lookup and the connect may take together; null for no
     *     limit of ours
     * @param tls the trust and TLS settings of the client; null for plain TCP
     * @return the TLS transport, once the handshake is done
     */
    public static Future<Transport> createConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            String host, int port, Duration connectTimeout, TlsConfig tls) {
        if (tls == null) {
            return createConnection(loop, protocolFactory, host, port, connectTimeout);
        }
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (tls.isServer()) {
            throw new IllegalArgumentException("a connection needs a client configuration (TlsConfig.client(...)), not " + tls);
        }
        String name = tls.serverName() != null ? tls.serverName() : host;
        return handshaken(loop, Connector.connect(loop,
                () -> new TlsTransport(loop, tls, name, protocolFactory.get(), true).lower, host, port, connectTimeout));
    }

    /**
     * The TLS transport of a connection whose protocol is a {@link TlsTransport.Lower}, once its
     * handshake is done; cancelling it abandons the connection at any stage.
     */
    private static Future<Transport> handshaken(EventLoop loop, Future<Transport> connect) {
        Future<Transport> result = loop.createFuture();
        connect.onDone(c -> {
            if (c.isCancelled() || c.exception() != null) {
                copy(c, result);
            } else if (result.isDone()) {
                c.result().abort(); // cancelled while connecting
            } else {
                Transport raw = c.result();
                Future<Transport> handshake = ((TlsTransport.Lower) raw.protocol()).tls().handshake;
                handshake.onDone(h -> copy(h, result));
                result.onDone(r -> {
                    if (r.isCancelled()) {
                        raw.abort();
                    }
                });
            }
        });
        result.onDone(r -> {
            if (r.isCancelled()) {
                connect.cancel();
            }
        });
        return result;
    }

    private static <T> void copy(Future<T> from, Future<T> to) {
        if (to.isDone()) {
            return;
        }
        if (from.isCancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.fail(from.exception());
        } else {
            to.complete(from.result());
        }
    }

    /**
     * Puts TLS under the protocol of an open connection and runs the handshake: asyncio's
     * {@code loop.start_tls(transport, protocol, context)}, for protocols that upgrade in band
     * (STARTTLS). Completes with the new transport once the handshake is done; from then on the
     * protocol gets plaintext through it and must write to it, not to {@code transport}. The
     * protocol is not told {@code connectionMade} again. Nothing may be written to
     * {@code transport} meanwhile. A client's certificate is checked against
     * {@link TlsConfig#serverName(String)}, else the host {@code transport} was connected to.
     * Fails (and closes the connection) if the handshake fails or times out.
     *
     * @param transport the open connection to upgrade; nothing may be written to it from now on
     * @param tls the TLS settings of this side: a client's or a server's configuration
     * @return the TLS transport to write to from now on, once the handshake is done
     * @throws IllegalArgumentException if a client {@code tls} has no server name to check and
     *     {@code transport} was not made by connecting to a host name
     * @throws IllegalStateException if {@code transport} is closing, or is TLS already
     * @throws UnsupportedOperationException if {@code transport} cannot change protocol
     */
    public static Future<Transport> startTls(Transport transport, TlsConfig tls) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(tls, "tls");
        EventLoop loop = transport.loop();
        NetSupport.checkThread(loop, "Net.startTls");
        if (transport instanceof TlsTransport) {
            throw new IllegalStateException("startTls on a connection that is TLS already: " + transport);
        }
        if (transport.isClosing()) {
            throw new IllegalStateException("startTls on a closing connection: " + transport);
        }
        String name = tls.serverName();
        if (name == null && transport instanceof SocketTransport s) {
            name = s.connectedHost;
        }
        if (!tls.isServer() && name == null && tls.verifiesHostname()) {
            throw new IllegalArgumentException("startTls needs the server's name to check its certificate: give it with "
                    + "TlsConfig.serverName(...) (" + transport + " was not made by connecting to a host name)");
        }
        TlsTransport t = new TlsTransport(loop, tls, name, transport.protocol(), false);
        transport.setProtocol(t.lower);
        t.start(transport);
        return t.handshake;
    }

    // ------------------------------------------------------------------ streams

    /**
     * Serves each connection with {@code handler(reader, writer)}: asyncio's
     * {@code asyncio.start_server()}. The handler runs as a task; when its future completes the
     * connection is closed (after flushing what was written); if it fails, the failure is reported
     * once to the loop's exception handler and only that connection is closed. A handler that
     * returns {@code null} keeps the connection open until its writer is closed (a "callback"
     * handler that started its own work).
     *
     * <p>One failure is not reported: the connection's own loss. A handler that fails with the
     * very exception its read or drain failed with because the peer reset or the connection was
     * aborted (or with an exception caused by it) is logged at DEBUG only, so a plain
     * read-write-drain handler needs no {@code recover} for a peer that goes away. asyncio reports
     * that too, as an "Unhandled exception in client_connected_cb"; we do not, because a reset is a
     * normal event for a server, and one ERROR with a stack trace per reset floods the log of a
     * busy one. Any other failure, an {@code IOException} unrelated to the loss included, is
     * reported as before.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer; the connection closes when
     *     its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @return the server, once it listens on every address
     */
    public static Future<Server> startServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, String host, int port) {
        return startServer(loop, handler, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * {@link #startServer(EventLoop, BiFunction, String, int)} with each reader's limit.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer; the connection closes when
     *     its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param limit the longest line or chunk each reader buffers (default
     *     {@link StreamReader#DEFAULT_LIMIT})
     * @return the server, once it listens on every address
     */
    public static Future<Server> startServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, String host, int port, int limit) {
        return startServer(loop, handler, host, port, limit, Server.DEFAULT_BACKLOG);
    }

    /**
     * {@link #startServer(EventLoop, BiFunction, String, int)} with each reader's limit and the
     * listen backlog (default {@link Server#DEFAULT_BACKLOG}).
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer; the connection closes when
     *     its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param limit the longest line or chunk each reader buffers (default
     *     {@link StreamReader#DEFAULT_LIMIT})
     * @param backlog how many connections the kernel queues before they are accepted
     * @return the server, once it listens on every address
     */
    public static Future<Server> startServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, String host, int port, int limit,
            int backlog) {
        return startServer(loop, handler, host, port, limit, backlog, null);
    }

    /**
     * {@link #startServer(EventLoop, BiFunction, String, int)} over TLS: asyncio's
     * {@code asyncio.start_server(..., ssl=context)}. Each handler starts once its connection's
     * handshake is done; handshake failures are handled as
     * {@link #createServer(EventLoop, Supplier, String, int, TlsConfig)} says. A null {@code tls}
     * serves plain TCP.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer, after its handshake; the
     *     connection closes when its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param tls the server's certificate and TLS settings; null for plain TCP
     * @return the server, once it listens on every address
     */
    public static Future<Server> startServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, String host, int port, TlsConfig tls) {
        return startServer(loop, handler, host, port, StreamReader.DEFAULT_LIMIT, Server.DEFAULT_BACKLOG, tls);
    }

    /**
     * {@link #startServer(EventLoop, BiFunction, String, int, TlsConfig)} with each reader's limit and the backlog.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer, after its handshake; the
     *     connection closes when its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @param limit the longest line or chunk each reader buffers (default
     *     {@link StreamReader#DEFAULT_LIMIT})
     * @param backlog how many connections the kernel queues before they are accepted
     * @param tls the server's certificate and TLS settings; null for plain TCP
     * @return the server, once it listens on every address
     */
    public static Future<Server> startServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, String host, int port, int limit,
            int backlog, TlsConfig tls) {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        BiFunction<StreamReader, StreamWriter, Future<?>> nullable = nullTolerant(loop, handler);
        return createServer(loop, () -> new StreamProtocol(loop, new StreamReader(loop, limit), nullable), host, port,
                backlog, tls);
    }

    /** {@code handler}, with a {@code null} result read as "keep the connection until the writer is closed". */
    private static BiFunction<StreamReader, StreamWriter, Future<?>> nullTolerant(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler) {
        return (r, w) -> {
            Future<?> f = handler.apply(r, w);
            if (f == null) {
                return w.waitClosed().recover(Exception.class, e -> NetSupport.completed(loop, null));
            }
            return f;
        };
    }

    /**
     * Connects and returns the stream pair: asyncio's {@code asyncio.open_connection()}. Fails as
     * {@link #createConnection(EventLoop, Supplier, String, int)} does.
     *
     * @param loop the loop the connection runs on
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @return the connection's reader and writer, once connected
     */
    public static Future<Connection> openConnection(EventLoop loop, String host, int port) {
        return openConnection(loop, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * {@link #openConnection(EventLoop, String, int)} with the reader's limit and a connect timeout (null: none).
     *
     * @param loop the loop the connection runs on
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @param limit the longest line or chunk the reader buffers (default
     *     {@link StreamReader#DEFAULT_LIMIT})
     * @param connectTimeout how long the lookup and the connect may take together; null for no
     *     limit of ours
     * @return the connection's reader and writer, once connected
     */
    public static Future<Connection> openConnection(EventLoop loop, String host, int port, int limit,
            Duration connectTimeout) {
        return openConnection(loop, host, port, limit, connectTimeout, null);
    }

    /**
     * {@link #openConnection(EventLoop, String, int)} over TLS: asyncio's
     * {@code asyncio.open_connection(host, port, ssl=context)}. Completes once the handshake is
     * done, and fails as {@link #createConnection(EventLoop, Supplier, String, int, TlsConfig)}
     * does. A null {@code tls} connects in plain TCP.
     *
     * @param loop the loop the connection runs on
     * @param host the name or address to connect to, and the name checked in the certificate unless
     *     {@code tls} names another
     * @param port the port to connect to
     * @param tls the trust and TLS settings of the client; null for plain TCP
     * @return the connection's reader and writer, once the handshake is done
     */
    public static Future<Connection> openConnection(EventLoop loop, String host, int port, TlsConfig tls) {
        return openConnection(loop, host, port, StreamReader.DEFAULT_LIMIT, DEFAULT_CONNECT_TIMEOUT, tls);
    }

    /**
     * {@link #openConnection(EventLoop, String, int, TlsConfig)} with the reader's limit and a
     * connect timeout (null: none).
     *
     * @param loop the loop the connection runs on
     * @param host the name or address to connect to, and the name checked in the certificate unless
     *     {@code tls} names another
     * @param port the port to connect to
     * @param limit the longest line or chunk the reader buffers (default
     *     {@link StreamReader#DEFAULT_LIMIT})
     * @param connectTimeout how long the lookup and the connect may take together; null for no
     *     limit of ours
     * @param tls the trust and TLS settings of the client; null for plain TCP
     * @return the connection's reader and writer, once the handshake is done
     */
    public static Future<Connection> openConnection(EventLoop loop, String host, int port, int limit,
            Duration connectTimeout, TlsConfig tls) {
        StreamReader reader = new StreamReader(loop, limit);
        return createConnection(loop, () -> new StreamProtocol(loop, reader, null), host, port, connectTimeout, tls)
                .map(t -> new Connection(reader, ((StreamProtocol) t.protocol()).writer()));
    }

    /**
     * The protocol that puts a {@link StreamReader} / {@link StreamWriter} pair on a transport of
     * your own: asyncio's {@code StreamReaderProtocol(reader, client_connected_cb)}.
     * {@link #startServer} and {@link #openConnection} use the same protocol on their sockets; this
     * is for any other {@link Transport} (an in-memory one in tests, a wrapper that adds TLS or
     * counts bytes). Give it to the transport, which calls {@link Protocol#connectionMade} with
     * itself.
     *
     * <ul>
     * <li>With a {@code handler}, it is the server side, run exactly as {@link #startServer} runs
     * it: on {@code connectionMade} the handler starts as a task with {@code reader} and the
     * writer; when its future completes the connection is closed after flushing; a failure is
     * reported as {@code startServer} reports it; {@code null} from the handler keeps the
     * connection until its writer is closed.
     * <li>With {@code null}, it is the client side, as {@link #openConnection} makes it: after
     * {@code connectionMade}, {@link #connection(Transport)} gives the pair.
     * </ul>
     *
     * <p>One protocol per connection, on {@code loop}'s thread; {@code reader} must be new and on
     * {@code loop}.
     *
     * @param loop the loop the connection runs on
     * @param reader the new reader the connection's bytes are fed to
     * @param handler the server side's handler, called with the reader and the writer; null for the
     *     client side
     * @return the protocol to give to the transport
     */
    public static Protocol streamReaderProtocol(EventLoop loop, StreamReader reader,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(reader, "reader");
        return new StreamProtocol(loop, reader, handler == null ? null : nullTolerant(loop, handler));
    }

    /**
     * The stream pair of {@code transport}, whose protocol came from
     * {@link #streamReaderProtocol}: the reader given to it and the writer made on
     * {@code connectionMade}. What {@link #openConnection} completes with, for a transport made
     * some other way.
     *
     * @param transport a transport whose protocol came from {@link #streamReaderProtocol}
     * @return the transport's reader and writer
     * @throws IllegalArgumentException if the transport's protocol is not a stream protocol
     * @throws IllegalStateException if its {@code connectionMade} has not been called yet
     */
    public static Connection connection(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (!(transport.protocol() instanceof StreamProtocol p)) {
            throw new IllegalArgumentException("not a stream protocol: " + transport.protocol() + " of " + transport);
        }
        StreamWriter writer = p.writer();
        if (writer == null) {
            throw new IllegalStateException("connectionMade has not been called yet on " + transport);
        }
        return new Connection(p.reader(), writer);
    }

    // ------------------------------------------------------------------ datagrams

    /**
     * Binds a UDP socket to {@code host}:{@code port} and runs a protocol from
     * {@code protocolFactory} on it: asyncio's {@code loop.create_datagram_endpoint(factory,
     * local_addr=(host, port))}, the form a datagram server uses. A numeric host is used as is, a
     * name is resolved on the default executor (its first address); a null or empty host binds
     * the wildcard address; port 0 picks a free port ({@link DatagramTransport#localAddress()}).
     *
     * @param loop the loop that runs the endpoint
     * @param protocolFactory makes the endpoint's protocol, once the socket is bound
     * @param host the name or address to bind; null or empty for every interface
     * @param port the port to bind; 0 picks a free one
     * @return the endpoint's transport (its protocol is {@link DatagramTransport#protocol()})
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     */
    public static Future<DatagramTransport> createDatagramEndpoint(EventLoop loop,
            Supplier<? extends DatagramProtocol> protocolFactory, String host, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        SocketAddress local = host == null || host.isEmpty() ? new InetSocketAddress(port)
                : InetSocketAddress.createUnresolved(host, port);
        return createDatagramEndpoint(loop, protocolFactory, local, null, DatagramOptions.defaults());
    }

    /**
     * {@link #createDatagramEndpoint(EventLoop, Supplier, SocketAddress, SocketAddress, DatagramOptions)}
     * with the default options.
     *
     * @param loop the loop that runs the endpoint
     * @param protocolFactory makes the endpoint's protocol, once the socket is set up
     * @param local the address to bind; null for the wildcard address and a free port
     * @param remote the address to connect to; null for an endpoint that sends anywhere
     * @return the endpoint's transport, once bound (and connected)
     */
    public static Future<DatagramTransport> createDatagramEndpoint(EventLoop loop,
            Supplier<? extends DatagramProtocol> protocolFactory, SocketAddress local, SocketAddress remote) {
        return createDatagramEndpoint(loop, protocolFactory, local, remote, DatagramOptions.defaults());
    }

    /**
     * Makes a UDP endpoint and runs a protocol from {@code protocolFactory} on it: asyncio's
     * {@code loop.create_datagram_endpoint(factory, local_addr, remote_addr, ...)}. The socket is
     * opened in the family of {@link DatagramOptions#family}, else of {@code local}, else of
     * {@code remote}; the options are set; it is bound to {@code local} (null: the wildcard
     * address and a free port), joins the multicast groups of the options, and is connected to
     * {@code remote} when one is given: then it receives from that address only, sends there with
     * {@link DatagramTransport#send}, and hears of an ICMP "port unreachable" as
     * {@link DatagramProtocol#errorReceived}. Unresolved addresses
     * ({@link InetSocketAddress#createUnresolved}) are resolved on the default executor. The
     * protocol is made and told {@code connectionMade} once all of that succeeded.
     *
     * <p>The future completes with the transport, whose {@link DatagramTransport#protocol()} is
     * the protocol: asyncio returns the pair {@code (transport, protocol)}, which Java has no tuple
     * for; this is the shape of {@link #createConnection}. It fails with the bind's or connect's
     * {@link IOException} ({@link java.net.BindException} when the address is in use) or the
     * lookup's {@link java.net.UnknownHostException}, leaving no socket open.
     *
     * @param loop the loop that runs the endpoint
     * @param protocolFactory makes the endpoint's protocol, once the socket is set up
     * @param local the address to bind; null for the wildcard address and a free port
     * @param remote the address to connect to; null for an endpoint that sends anywhere
     * @param options socket options and limits ({@link DatagramOptions#defaults()})
     * @return the endpoint's transport, once bound (and connected)
     * @throws IllegalArgumentException if an address is not an {@link InetSocketAddress}, or
     *     {@code remote} has port 0
     */
    public static Future<DatagramTransport> createDatagramEndpoint(EventLoop loop,
            Supplier<? extends DatagramProtocol> protocolFactory, SocketAddress local, SocketAddress remote,
            DatagramOptions options) {
        return DatagramEndpoints.create(loop, protocolFactory, local, remote, options);
    }

    // ------------------------------------------------------------------ Unix domain sockets

    /**
     * Listens on a Unix domain socket at {@code path} and serves each connection with a new
     * protocol: asyncio's {@code loop.create_unix_server(protocol_factory, path)}. Connections
     * are {@link Transport}s as over TCP, whose addresses are
     * {@link java.net.UnixDomainSocketAddress}es. {@link Server#path()} names the socket;
     * {@link Server#close()} removes its file (asyncio 3.13's {@code cleanup_socket}), unless
     * another server has replaced it since.
     *
     * <p>Before binding, a socket file nobody listens on (left by a server that died) is
     * removed, as asyncio does. The future fails with a {@link java.net.BindException} naming the
     * path if the file exists and is not a socket (asyncio: "Address ... is already in use"), or
     * if a live server listens on it (asyncio removes the file then and takes the path over; the
     * other server keeps running, unreachable).
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection
     * @param path where to create the socket file
     * @return the server, once it listens
     * @throws IllegalArgumentException naming the path if it is longer than the kernel takes
     *     ({@value UnixSockets#MAX_PATH_BYTES} bytes on Linux)
     */
    public static Future<Server> createUnixServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            Path path) {
        return createUnixServer(loop, protocolFactory, path, Server.DEFAULT_BACKLOG, null);
    }

    /**
     * {@link #createUnixServer(EventLoop, Supplier, Path)} with a listen backlog and, unless
     * {@code tls} is null, TLS as {@link #createServer(EventLoop, Supplier, String, int, TlsConfig)}
     * serves it.
     *
     * @param loop the loop that runs the server and its connections
     * @param protocolFactory makes the protocol of each accepted connection (after its handshake)
     * @param path where to create the socket file
     * @param backlog how many connections the kernel queues before they are accepted
     * @param tls the server's certificate and TLS settings; null for none
     * @return the server, once it listens
     */
    public static Future<Server> createUnixServer(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            Path path, int backlog, TlsConfig tls) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (tls == null) {
            return Server.createUnix(loop, protocolFactory, path, backlog);
        }
        if (!tls.isServer()) {
            throw new IllegalArgumentException("a server needs a server configuration (TlsConfig.server(...)), not " + tls);
        }
        return Server.createUnix(loop, () -> new TlsTransport(loop, tls, null, protocolFactory.get(), true).lower, path,
                backlog);
    }

    /**
     * Connects to the Unix domain socket at {@code path} and runs a protocol on the connection:
     * asyncio's {@code loop.create_unix_connection(protocol_factory, path)}. Fails with a
     * {@link java.net.ConnectException} naming the path when nobody listens there, and with a
     * {@link java.net.SocketException} naming it when there is no such file.
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once connected
     * @param path the socket file to connect to
     * @return the connection's transport, once connected
     * @throws IllegalArgumentException naming the path if it is longer than the kernel takes
     */
    public static Future<Transport> createUnixConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            Path path) {
        return createUnixConnection(loop, protocolFactory, path, DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * {@link #createUnixConnection(EventLoop, Supplier, Path)} with a connect timeout (null:
     * none; a connect waits only while the server's backlog is full) and, unless {@code tls} is
     * null, TLS. A TLS client checks the server's certificate against
     * {@link TlsConfig#serverName(String)}: there is no host name to default to.
     *
     * @param loop the loop the connection runs on
     * @param protocolFactory makes the connection's protocol, once connected (and the handshake done)
     * @param path the socket file to connect to
     * @param connectTimeout how long the connect may take; null for no limit of ours
     * @param tls the trust and TLS settings of the client; null for none
     * @return the connection's transport, once connected (and the handshake done)
     * @throws IllegalArgumentException if {@code tls} checks host names and names no server
     */
    public static Future<Transport> createUnixConnection(EventLoop loop, Supplier<? extends Protocol> protocolFactory,
            Path path, Duration connectTimeout, TlsConfig tls) {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (tls == null) {
            return Connector.connectUnix(loop, protocolFactory, path, connectTimeout);
        }
        if (tls.isServer()) {
            throw new IllegalArgumentException("a connection needs a client configuration (TlsConfig.client(...)), not " + tls);
        }
        if (tls.serverName() == null && tls.verifiesHostname()) {
            throw new IllegalArgumentException("TLS over a Unix domain socket needs the name to check the server's "
                    + "certificate against: give it with TlsConfig.serverName(...) (connecting to " + path + ")");
        }
        return handshaken(loop, Connector.connectUnix(loop,
                () -> new TlsTransport(loop, tls, tls.serverName(), protocolFactory.get(), true).lower, path,
                connectTimeout));
    }

    /**
     * Serves each connection to a Unix domain socket with {@code handler(reader, writer)}:
     * asyncio's {@code asyncio.start_unix_server(client_connected_cb, path)}. The handler runs
     * as {@link #startServer(EventLoop, BiFunction, String, int)} runs it; the socket file is
     * handled as {@link #createUnixServer(EventLoop, Supplier, Path)} says.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer; the connection closes when
     *     its future completes
     * @param path where to create the socket file
     * @return the server, once it listens
     */
    public static Future<Server> startUnixServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, Path path) {
        return startUnixServer(loop, handler, path, StreamReader.DEFAULT_LIMIT, Server.DEFAULT_BACKLOG, null);
    }

    /**
     * {@link #startUnixServer(EventLoop, BiFunction, Path)} with each reader's limit, the listen
     * backlog and, unless {@code tls} is null, TLS.
     *
     * @param loop the loop that runs the server and its handlers
     * @param handler called with each connection's reader and writer (after its handshake)
     * @param path where to create the socket file
     * @param limit the longest line or chunk each reader buffers
     * @param backlog how many connections the kernel queues before they are accepted
     * @param tls the server's certificate and TLS settings; null for none
     * @return the server, once it listens
     */
    public static Future<Server> startUnixServer(EventLoop loop,
            BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler, Path path, int limit, int backlog,
            TlsConfig tls) {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        BiFunction<StreamReader, StreamWriter, Future<?>> nullable = nullTolerant(loop, handler);
        return createUnixServer(loop, () -> new StreamProtocol(loop, new StreamReader(loop, limit), nullable), path,
                backlog, tls);
    }

    /**
     * Connects to a Unix domain socket and returns the stream pair: asyncio's
     * {@code asyncio.open_unix_connection(path)}. Fails as
     * {@link #createUnixConnection(EventLoop, Supplier, Path)} does.
     *
     * @param loop the loop the connection runs on
     * @param path the socket file to connect to
     * @return the connection's reader and writer, once connected
     */
    public static Future<Connection> openUnixConnection(EventLoop loop, Path path) {
        return openUnixConnection(loop, path, StreamReader.DEFAULT_LIMIT, DEFAULT_CONNECT_TIMEOUT, null);
    }

    /**
     * {@link #openUnixConnection(EventLoop, Path)} with the reader's limit, a connect timeout
     * (null: none) and, unless {@code tls} is null, TLS as
     * {@link #createUnixConnection(EventLoop, Supplier, Path, Duration, TlsConfig)} does it.
     *
     * @param loop the loop the connection runs on
     * @param path the socket file to connect to
     * @param limit the longest line or chunk the reader buffers
     * @param connectTimeout how long the connect may take; null for no limit of ours
     * @param tls the trust and TLS settings of the client; null for none
     * @return the connection's reader and writer, once connected (and the handshake done)
     */
    public static Future<Connection> openUnixConnection(EventLoop loop, Path path, int limit, Duration connectTimeout,
            TlsConfig tls) {
        StreamReader reader = new StreamReader(loop, limit);
        return createUnixConnection(loop, () -> new StreamProtocol(loop, reader, null), path, connectTimeout, tls)
                .map(t -> new Connection(reader, ((StreamProtocol) t.protocol()).writer()));
    }

    // ------------------------------------------------------------------ raw channels

    /**
     * Accepts a connection: asyncio's {@code loop.sock_accept()}. Waits for one if none is pending.
     * The accepted channel is in non-blocking mode. Cancelling the future leaves any pending
     * connection to the next accept.
     *
     * @param loop the loop to wait on
     * @param channel the listening channel, in non-blocking mode
     * @return the accepted connection's channel
     * @throws IllegalArgumentException if {@code channel} is in blocking mode
     */
    public static Future<SocketChannel> sockAccept(EventLoop loop, ServerSocketChannel channel) {
        checkRaw(loop, channel, "sockAccept");
        Future<SocketChannel> f = loop.createFuture();
        Runnable attempt = () -> {
            if (f.isDone()) {
                return; // cancelled: leave the connection to the next accept
            }
            try {
                SocketChannel c = channel.accept();
                if (c != null) {
                    c.configureBlocking(false);
                    f.complete(c);
                }
            } catch (IOException e) {
                f.fail(e);
            }
        };
        attempt.run();
        if (!f.isDone()) {
            waitReadable(loop, channel, f, attempt);
        }
        return f;
    }

    /**
     * Connects {@code channel} to {@code address}: asyncio's {@code loop.sock_connect()}. An
     * unresolved address is resolved on the default executor first. Cancelling leaves the
     * connect in progress, and a later {@code sockConnect} of the same channel to the same
     * address takes it up: a cancelled connect can be retried (bpo-30064). Close the channel to
     * abandon it.
     *
     * @param loop the loop to wait on
     * @param channel the channel to connect, in non-blocking mode
     * @param address where to connect, resolved or not
     * @return a future that completes once connected
     * @throws IllegalArgumentException if {@code channel} is in blocking mode
     */
    public static Future<Void> sockConnect(EventLoop loop, SocketChannel channel, SocketAddress address) {
        checkRaw(loop, channel, "sockConnect");
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress isa && isa.isUnresolved()) {
            return Resolver.resolve(loop, isa.getHostString(), isa.getPort())
                    .then(all -> sockConnect(loop, channel, first(all)));
        }
        Future<Void> f = loop.createFuture();
        try {
            if (channel.isConnectionPending()) {
                SocketAddress pending = channel.getRemoteAddress();
                if (!address.equals(pending)) {
                    throw new ConnectionPendingException();
                }
            } else if (channel.connect(address)) {
                f.complete(null);
                return f;
            }
        } catch (IOException | RuntimeException e) {
            f.fail(e);
            return f;
        }
        Runnable attempt = () -> {
            if (f.isDone()) {
                return;
            }
            try {
                if (channel.finishConnect()) {
                    f.complete(null);
                }
            } catch (IOException e) {
                f.fail(e);
            }
        };
        waitWritable(loop, channel, f, attempt);
        return f;
    }

    private static InetSocketAddress first(List<InetSocketAddress> all) throws IOException {
        if (all.isEmpty()) {
            throw new IOException("no address");
        }
        return all.get(0);
    }

    /**
     * Reads up to {@code maxBytes}: asyncio's {@code loop.sock_recv()}. Waits until some bytes
     * are there; an empty array means EOF. Cancelling consumes nothing: the next read gets the
     * bytes.
     *
     * @param loop the loop to wait on
     * @param channel the channel to read from
     * @param maxBytes the most bytes to read
     * @return the bytes read, empty at EOF
     */
    public static Future<byte[]> sockRecv(EventLoop loop, SocketChannel channel, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        checkRaw(loop, channel, "sockRecv");
        ByteBuffer dst = ByteBuffer.allocate(maxBytes);
        return recv(loop, channel, dst, n -> n <= 0 ? new byte[0] : Arrays.copyOf(dst.array(), n));
    }

    /**
     * Reads into {@code dst}: asyncio's {@code loop.sock_recv_into()}. Completes with the number of
     * bytes read, -1 at EOF; waits until some bytes are there. Cancelling consumes nothing.
     *
     * @param loop the loop to wait on
     * @param channel the channel to read from
     * @param dst the buffer to read into, from its position up to its limit
     * @return the number of bytes read, -1 at EOF
     */
    public static Future<Integer> sockRecvInto(EventLoop loop, SocketChannel channel, ByteBuffer dst) {
        checkRaw(loop, channel, "sockRecv");
        Objects.requireNonNull(dst, "dst");
        return recv(loop, channel, dst, n -> n);
    }

    /**
     * Reads into {@code dst} now or once readable, and completes with {@code result} of the count
     * in the same callback that read: the awaiter runs on the next iteration.
     */
    private static <T> Future<T> recv(EventLoop loop, SocketChannel channel, ByteBuffer dst, IntFunction<T> result) {
        Future<T> f = loop.createFuture();
        Runnable attempt = () -> {
            if (f.isDone()) {
                return; // cancelled: the bytes stay in the socket for the next read
            }
            try {
                int n = channel.read(dst);
                if (n != 0 || !dst.hasRemaining()) {
                    f.complete(result.apply(n));
                }
            } catch (IOException e) {
                f.fail(e);
            }
        };
        attempt.run();
        if (!f.isDone()) {
            waitReadable(loop, channel, f, attempt);
        }
        return f;
    }

    /**
     * Sends every remaining byte of {@code data}: asyncio's {@code loop.sock_sendall()}. Do not
     * touch {@code data} until the future is done. If cancelled part-way, nothing more of
     * {@code data} is sent, so the next send's bytes are not interleaved with the rest of it.
     *
     * @param loop the loop to wait on
     * @param channel the channel to write to
     * @param data the bytes to send, from its position up to its limit
     * @return a future that completes once every byte is written to the socket
     */
    public static Future<Void> sockSendAll(EventLoop loop, SocketChannel channel, ByteBuffer data) {
        checkRaw(loop, channel, "sockSendAll");
        Objects.requireNonNull(data, "data");
        Future<Void> f = loop.createFuture();
        Runnable attempt = () -> {
            if (f.isDone()) {
                return; // cancelled: send nothing more
            }
            try {
                while (data.hasRemaining()) {
                    if (channel.write(data) == 0) {
                        return; // the socket is full: wait to be writable
                    }
                }
                f.complete(null);
            } catch (IOException e) {
                f.fail(e);
            }
        };
        attempt.run();
        if (!f.isDone()) {
            waitWritable(loop, channel, f, attempt);
        }
        return f;
    }

    /**
     * {@link #sockSendAll(EventLoop, SocketChannel, ByteBuffer)} of an array.
     *
     * @param loop the loop to wait on
     * @param channel the channel to write to
     * @param data the bytes to send
     * @return a future that completes once every byte is written to the socket
     */
    public static Future<Void> sockSendAll(EventLoop loop, SocketChannel channel, byte[] data) {
        return sockSendAll(loop, channel, ByteBuffer.wrap(data));
    }

    private static void checkRaw(EventLoop loop, SelectableChannel channel, String method) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(channel, "channel");
        NetSupport.checkThread(loop, "EventLoop." + method);
        if (channel.isBlocking()) {
            throw new IllegalArgumentException(method + ": the channel must be non-blocking: " + channel);
        }
    }

    /**
     * Runs {@code attempt} whenever {@code channel} is readable until {@code f} is done, then stops
     * watching, unless another operation has taken the channel's reader over meanwhile.
     */
    private static void waitReadable(EventLoop loop, SelectableChannel channel, Future<?> f, Runnable attempt) {
        loop.addReader(channel, attempt);
        Handle mine = LOOP.reader(loop, channel);
        f.onDone(done -> {
            if (LOOP.reader(loop, channel) == mine && channel.isOpen()) {
                loop.removeReader(channel);
            }
        });
    }

    private static void waitWritable(EventLoop loop, SelectableChannel channel, Future<?> f, Runnable attempt) {
        loop.addWriter(channel, attempt);
        Handle mine = LOOP.writer(loop, channel);
        f.onDone(done -> {
            if (LOOP.writer(loop, channel) == mine && channel.isOpen()) {
                loop.removeWriter(channel);
            }
        });
    }
}
