package io.eventloop.bench.echo;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;

/**
 * {@link EventloopStreamsEchoServer} with its handler in straight-line form ({@code Await.async},
 * {@code await}), as the {@code echo --await} example writes it: read up to 64 KiB, write it back,
 * await the drain, until EOF. EchoBench runs it as server {@code await-streams} (JDK 21+, with the
 * export flag). Plus the {@link ServerControl} commands; prints {@code listening on HOST:PORT}.
 *
 * <p>Usage: {@code AwaitStreamsEchoServer [port]} (default 0: a free port).
 */
public final class AwaitStreamsEchoServer {
    private AwaitStreamsEchoServer() {
    }

    /** One connection: read what is there, write it back, wait while the peer is slow to read. */
    static Future<Void> handle(StreamReader reader, StreamWriter writer) {
        return async(() -> {
            byte[] data;
            while ((data = await(reader.read(65536))).length > 0) {
                writer.write(data);
                await(writer.drain());
            }
            return null;
        });
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long loopThread = Thread.currentThread().getId();
        ServerControl.start(() -> loopThread);
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loop.setExceptionHandler((l, context) -> { });
            return loop.startServer(AwaitStreamsEchoServer::handle, "127.0.0.1", port).then(server -> {
                System.out.println("listening on 127.0.0.1:" + server.port());
                System.out.flush();
                return server.serveForever();
            });
        });
    }
}
