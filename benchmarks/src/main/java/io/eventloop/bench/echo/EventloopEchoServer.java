package io.eventloop.bench.echo;

import io.eventloop.EventLoop;
import io.eventloop.bench.ServerTls;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The protocol echo server of this library, as the {@code echo-protocol} example (the same
 * protocol, flow control included), plus the {@link ServerControl} commands. Prints
 * {@code listening on HOST:PORT} when ready.
 *
 * <p>Usage: {@code EventloopEchoServer [port] [--tls CERT.pem KEY.pem] [--unix PATH]} (port 0, the
 * default: a free port; {@code --unix} listens on a Unix domain socket at PATH instead,
 * {@code Net.createUnixServer}, and prints {@code listening on PATH}). With {@code --tls} it serves TLS with that certificate and key
 * ({@code Net.createServer(loop, Echo::new, host, port, TlsConfig.server(cert, key))},
 * {@link ServerTls#eventloop}); the echo protocol is the same and sees plaintext.
 */
public final class EventloopEchoServer {
    private EventloopEchoServer() {
    }

    /** One per connection: writes back what it reads; stops reading while the peer does not. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
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

    /** The path after {@code --unix}, or null. */
    static Path unixPath(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--unix")) {
                return Path.of(args[i + 1]);
            }
        }
        return null;
    }

    public static void main(String[] args) throws IOException {
        int port = ServerTls.port(args);
        TlsConfig tls = ServerTls.eventloop(args);
        long loopThread = Thread.currentThread().getId();
        ServerControl.start(() -> loopThread);
        Path unix = unixPath(args);
        EventLoop.run(() -> (unix != null ? Net.createUnixServer(EventLoop.current(), Echo::new, unix, Server.DEFAULT_BACKLOG, tls)
                : Net.createServer(EventLoop.current(), Echo::new, "127.0.0.1", port, tls)).then(server -> {
            System.out.println("listening on " + (unix != null ? unix : "127.0.0.1:" + server.port()));
            System.out.flush();
            return server.serveForever();
        }));
    }
}
