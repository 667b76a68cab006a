package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An echo server on the transport/protocol layer: the fast path (no allocation per request, no
 * interest change while the peer keeps up). Python:
 * <pre>
 * class Echo(asyncio.Protocol):
 *     def connection_made(self, transport):
 *         self.transport = transport
 *     def data_received(self, data):
 *         self.transport.write(data)
 *     def pause_writing(self):
 *         self.transport.pause_reading()
 *     def resume_writing(self):
 *         self.transport.resume_reading()
 *
 * server = await loop.create_server(Echo, host, port)
 * </pre>
 * The two flow-control methods are what keeps a peer that sends without reading from growing the
 * server's memory: once the write buffer passes its high-water mark the server stops reading
 * from that peer until the buffer drains.
 *
 * <p>{@code ./run echo-protocol [--host 127.0.0.1] [--port 8889] [--grace 10] [--backlog N]
 * [--tls [--cert FILE --key FILE]]}; over TLS ({@link ServerTls}) the protocol is the same: the
 * transport it is given encrypts, and its flow control is the TLS transport's. On INT or TERM it
 * stops accepting, closes each connection once its echo is flushed, and aborts those still open
 * after {@code --grace} seconds (see {@link Shutdown}).
 */
public final class EchoProtocolServer {
    private EchoProtocolServer() {
    }

    /** The protocol: one instance per connection. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data); // straight to the socket; buffered only if the socket is full
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** Starts the server on {@code loop}, with the default listen backlog. */
    static Future<Server> start(EventLoop loop, String host, int port) {
        return start(loop, host, port, Server.DEFAULT_BACKLOG);
    }

    /** Starts the server on {@code loop} with a listen backlog. */
    static Future<Server> start(EventLoop loop, String host, int port, int backlog) {
        return start(loop, host, port, backlog, null);
    }

    /** Starts the server on {@code loop} with a listen backlog, over TLS unless {@code tls} is null. */
    static Future<Server> start(EventLoop loop, String host, int port, int backlog, TlsConfig tls) {
        return Net.createServer(loop, Echo::new, host, port, backlog, tls);
    }

    /** Runs the server: {@code ./run echo-protocol [--host H] [--port P] [--grace SECONDS] [--backlog N] [--tls ...]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run echo-protocol [options]\n" + Args.UNIX_USAGE + "\n" + ServerTls.USAGE,
                ServerTls.options("host", "127.0.0.1", "port", "8889", "unix", "",
                "grace", String.valueOf(Shutdown.DEFAULT_GRACE.toSeconds()),
                "backlog", String.valueOf(Server.DEFAULT_BACKLOG)));
        String host = a.get("host");
        int port = a.intValue("port");
        int backlog = a.intValue("backlog");
        Duration grace = a.seconds("grace");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.OPENSSL);
        Path unix = a.unixPath();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            if (unix != null) {
                return Net.createUnixServer(loop, Echo::new, unix, backlog, null)
                        .then(server -> Shutdown.serveUntilExit(loop, host, server, grace));
            }
            return start(loop, host, port, backlog, tls.config()).then(server -> {
                tls.announce(server.port());
                return Shutdown.serveUntilExit(loop, host, server, grace);
            });
        });
    }
}
