package io.eventloop.bench.echo;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;

/**
 * The streams echo server of this library, as the {@code echo} example writes it (what users and
 * the tutorials write, and the counterpart of asyncio's {@code asyncio.start_server}): on
 * {@code loop.startServer(handler, "127.0.0.1", 0)}, each connection's handler reads up to
 * 64 KiB ({@code reader.read(65536)}, a new {@code byte[]} each time), writes it back and awaits
 * {@code writer.drain()} before the next read, in an {@link Async#repeat} loop that ends at EOF;
 * the server then closes the connection. Flow control is the drain: while the peer does not read,
 * the handler does not read either. A handler that fails (its peer reset the connection) is not
 * logged, as in {@code echo_server.py}. Plus the {@link ServerControl} commands. Prints
 * {@code listening on HOST:PORT} when ready.
 *
 * <p>Against {@link EventloopEchoServer} (the protocol server) this measures what the stream
 * layer costs per request: the copy into the reader's buffer, the {@code byte[]} per read, the
 * futures of each read and drain, and the steps of the {@code Async.repeat} loop.
 *
 * <p>Usage: {@code EventloopStreamsEchoServer [port]} (default 0: a free port).
 */
public final class EventloopStreamsEchoServer {
    private EventloopStreamsEchoServer() {
    }

    /** One connection: read what is there, write it back, wait while the peer is slow to read. */
    static Future<Void> handle(StreamReader reader, StreamWriter writer) {
        return Async.repeat(() -> reader.read(65536).then(data -> {
            if (data.length == 0) {
                return Async.completed(false); // EOF
            }
            writer.write(data);
            return writer.drain().map(v -> true);
        }));
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long loopThread = Thread.currentThread().getId();
        ServerControl.start(() -> loopThread);
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            // a handler fails when its peer resets the connection, as the load does at the end of a run
            loop.setExceptionHandler((l, context) -> { });
            return loop.startServer(EventloopStreamsEchoServer::handle, "127.0.0.1", port).then(server -> {
                System.out.println("listening on 127.0.0.1:" + server.port());
                System.out.flush();
                return server.serveForever();
            });
        });
    }
}
