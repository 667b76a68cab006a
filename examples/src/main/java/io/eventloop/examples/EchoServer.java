package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import io.eventloop.net.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
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
 * # or, on a Unix domain socket: await asyncio.start_unix_server(handle, path)
 * await server.serve_forever()
 * </pre>
 * {@code ./run echo [--host 127.0.0.1] [--port 8888] [--grace 10] [--backlog N] [--tls [--cert FILE --key FILE]]};
 * try it with {@code nc 127.0.0.1 8888}, or with {@code --unix PATH} on a Unix domain socket
 * ({@code nc -U PATH}, {@code socat - UNIX-CONNECT:PATH}), or over TLS with the {@code openssl s_client} command it
 * prints ({@link ServerTls}). On INT or TERM it stops accepting, closes each connection once its
 * echo is flushed, and aborts those still open after {@code --grace} seconds (see {@link Shutdown}).
 *
 * <p>Over TLS a client cannot half-close: its {@code close_notify} (or EOF) ends the connection
 * at once, as in asyncio, and an echo the handler had not written by then is dropped. So
 * {@code printf 'x\n' | openssl s_client ...} may print nothing, while {@code -quiet} (which
 * keeps the connection after its input ends) or reading the echo before closing gets it all.
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
        return Net.startServer(loop, EchoServer::handle, host, port, StreamReader.DEFAULT_LIMIT, backlog, tls);
    }

    /** Runs the server: {@code ./run echo [--host H] [--port P] [--grace SECONDS] [--backlog N] [--tls ...]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run echo [options]\n" + Args.UNIX_USAGE + "\n" + ServerTls.USAGE, ServerTls.options(
                "host", "127.0.0.1", "port", "8888", "unix", "",
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
                return Net.startUnixServer(loop, EchoServer::handle, unix, StreamReader.DEFAULT_LIMIT, backlog, null)
                        .then(server -> Shutdown.serveUntilExit(loop, host, server, grace));
            }
            return start(loop, host, port, backlog, tls.config()).then(server -> {
                tls.announce(server.port());
                return Shutdown.serveUntilExit(loop, host, server, grace);
            });
        });
    }
}
