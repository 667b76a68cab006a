package io.eventloop.bench.echo;

import io.eventloop.EventLoop;
import io.eventloop.bench.ServerTls;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The protocol echo server of this library, as the {@code echo-protocol} example (the same
 * protocol, flow control included), plus the {@link ServerControl} commands. Prints
 * {@code listening on HOST:PORT} when ready.
 *
 * <p>Usage: {@code EventloopEchoServer [port] [--tls CERT.pem KEY.pem]} (port 0, the default: a
 * free port). With {@code --tls} it serves TLS with that certificate and key
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

    public static void main(String[] args) throws IOException {
        int port = ServerTls.port(args);
        TlsConfig tls = ServerTls.eventloop(args);
        long loopThread = Thread.currentThread().getId();
        ServerControl.start(() -> loopThread);
        EventLoop.run(() -> Net.createServer(EventLoop.current(), Echo::new, "127.0.0.1", port, tls).then(server -> {
            System.out.println("listening on 127.0.0.1:" + server.port());
            System.out.flush();
            return server.serveForever();
        }));
    }
}
