package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import java.time.Duration;

/**
 * The echo server of {@link EchoServer} with its handler in straight-line form. Python:
 * <pre>
 * async def handle(reader, writer):
 *     while data := await reader.read(65536):
 *         writer.write(data)
 *         await writer.drain()
 * </pre>
 * {@code ./run echo --await [--host 127.0.0.1] [--port 8888] [--grace 10] [--backlog N] [--tls [--cert FILE
 * --key FILE]]}, the same options and shutdown as {@code ./run echo}.
 */
public final class EchoAwait {
    private EchoAwait() {
    }

    /** One connection: read what is there, write it back, wait while the peer is slow to read. */
    static Future<Void> handle(StreamReader reader, StreamWriter writer) {
        return async(() -> {
            byte[] data;
            while ((data = await(reader.read(65536))).length > 0) {
                writer.write(data);
                await(writer.drain());
            }
            return null; // the server closes the connection once its output is flushed
        });
    }

    /** Runs the server: {@code ./run echo --await [--host H] [--port P] [--grace SECONDS] [--backlog N] [--tls ...]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run echo --await [options]\n" + ServerTls.USAGE, ServerTls.options(
                "host", "127.0.0.1", "port", "8888",
                "grace", String.valueOf(Shutdown.DEFAULT_GRACE.toSeconds()),
                "backlog", String.valueOf(Server.DEFAULT_BACKLOG)));
        String host = a.get("host");
        int port = a.intValue("port");
        int backlog = a.intValue("backlog");
        Duration grace = a.seconds("grace");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.OPENSSL);
        EventLoop.run(() -> async(() -> {
            EventLoop loop = EventLoop.current();
            Server server = await(Net.startServer(loop, EchoAwait::handle, host, port, StreamReader.DEFAULT_LIMIT,
                    backlog, tls.config()));
            tls.announce(server.port());
            return await(Shutdown.serveUntilExit(loop, host, server, grace)); // prints "listening on HOST:PORT"
        }));
    }
}
