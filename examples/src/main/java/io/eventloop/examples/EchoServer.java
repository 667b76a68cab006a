package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo server on streams. Python:
 * <pre>
 * async def handle(reader, writer):
 *     while data := await reader.read(65536):
 *         writer.write(data)
 *         await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * server = await asyncio.start_server(handle, host, port)
 * await server.serve_forever()
 * </pre>
 * {@code ./run echo [--host 127.0.0.1] [--port 8888]}; try it with {@code nc 127.0.0.1 8888}.
 */
public final class EchoServer {
    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);

    private EchoServer() {
    }

    /** One connection: read what is there, write it back, wait while the peer is slow to read. */
    static Future<Void> handle(StreamReader reader, StreamWriter writer) {
        log.debug("{} connected", writer.remoteAddress());
        return Async.repeat(() -> reader.read(65536).then(data -> {
            if (data.length == 0) {
                return Async.completed(false); // EOF
            }
            writer.write(data);
            return writer.drain().map(v -> true);
        })).ensure(() -> log.debug("{} disconnected", writer.remoteAddress()));
        // when the future completes, the server closes the connection after flushing
    }

    /** Starts the server on {@code loop}. */
    static Future<Server> start(EventLoop loop, String host, int port) {
        return loop.startServer(EchoServer::handle, host, port);
    }

    /** Runs the server: {@code ./run echo [--host H] [--port P]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run echo [options]", "host", "127.0.0.1", "port", "8888");
        String host = a.get("host");
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return start(loop, host, a.intValue("port")).then(server -> Shutdown.serveUntilExit(loop, host, server));
        });
    }
}
