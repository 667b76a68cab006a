package io.eventloop.bench.echo;

import io.eventloop.EventLoop;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;

/**
 * The protocol echo server of this library, as the {@code echo-protocol} example (the same
 * protocol, flow control included), plus the {@link ServerControl} commands. Prints
 * {@code listening on HOST:PORT} when ready.
 *
 * <p>Usage: {@code EventloopEchoServer [port]} (default 0: a free port).
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

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long loopThread = Thread.currentThread().getId();
        ServerControl.start(() -> loopThread);
        EventLoop.run(() -> EventLoop.current().createServer(Echo::new, "127.0.0.1", port).then(server -> {
            System.out.println("listening on 127.0.0.1:" + server.port());
            System.out.flush();
            return server.serveForever();
        }));
    }
}
