package io.eventloop.examples.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.examples.Args;
import io.eventloop.examples.ServerTls;
import io.eventloop.examples.Shutdown;
import io.eventloop.net.Server;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A few httpbin.org endpoints on {@link HttpServer}, so the fetch examples have something to
 * fetch on a machine without network, and so the server can be measured with {@code wrk}:
 * <pre>
 * GET /               200 text/plain "Hello, World!"
 * GET /get            JSON echo of method, path, query arguments and header fields
 * GET /delay/{n}      waits n seconds (0..10, fractional allowed) on the loop, then as /get
 * GET /status/{code}  answers with that status (200..599)
 * GET /bytes/{n}      n pseudo-random bytes (at most 10 MiB), made as the client reads them;
 *                     ?chunked=1 sends them chunked, ?seed=S makes them reproducible
 * </pre>
 * A bad {@code n} or {@code code} gets a 400 naming the value. In aiohttp:
 * <pre>
 * app = web.Application()
 * app.router.add_get("/", hello)
 * app.router.add_get("/delay/{n}", delay)     # async def delay(request): await asyncio.sleep(...)
 * web.run_app(app, host=host, port=port)
 * </pre>
 * {@code ./run http-server [--host 127.0.0.1] [--port 8080] [--grace 10] [--backlog N]}, and a flag for
 * every limit of {@link HttpServer.Limits} ({@code ./run http-server --help} lists them; the
 * defaults and what each does are in docs/operations.md). {@code --tls} serves https with a
 * certificate made for the run and prints the {@code curl --cacert} command that trusts it;
 * {@code --tls --cert FILE --key FILE} serves with yours ({@link ServerTls}).
 *
 * <p>{@code --dir PATH} serves the files under {@code PATH} instead of these routes
 * ({@link StaticFiles}: {@code Range}, {@code If-Modified-Since}, {@code index.html}, bodies sent
 * with {@code sendFile}, nothing outside the directory).
 */
public final class HttpBinServer {
    /** The most {@code /bytes/{n}} sends. */
    static final int MAX_BYTES = 10 * 1024 * 1024;
    /** The longest {@code /delay/{n}}, in seconds. */
    static final double MAX_DELAY = 10;

    // Built once: the hello path allocates no body and no header set per request.
    private static final HttpResponse HELLO = HttpResponse.text(200, "Hello, World!");

    private HttpBinServer() {
    }

    /** The routes, on a server with the default limits. */
    public static HttpServer create() {
        return new HttpServer()
                .get("/", req -> Async.completed(HELLO))
                .get("/get", req -> Async.completed(HttpResponse.json(200, echo(req, null))))
                .get("/delay/{n}", HttpBinServer::delay)
                .get("/status/{code}", HttpBinServer::status)
                .get("/bytes/{n}", HttpBinServer::bytes);
    }

    /** Starts the routes of {@link #create()} on {@code loop}; call on the loop thread. */
    public static Future<Server> start(EventLoop loop, String host, int port) {
        return create().start(loop, host, port);
    }

    private static Future<HttpResponse> delay(HttpRequest req) {
        String n = req.pathParam("n");
        double seconds;
        try {
            seconds = Double.parseDouble(n);
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0 && seconds <= MAX_DELAY)) { // also refuses NaN
            return Async.completed(HttpResponse.text(400, "delay must be a number of seconds from 0 to 10, got " + n + "\n"));
        }
        double wait = seconds; // the parsed number goes in the echo: the path may say 1. or .5, which JSON does not allow
        return Async.sleep(Duration.ofNanos(Math.round(wait * 1e9)))
                .map(v -> HttpResponse.json(200, echo(req, wait)));
    }

    private static Future<HttpResponse> status(HttpRequest req) {
        String code = req.pathParam("code");
        int status = parseInt(code);
        if (status < 200 || status > 599) {
            return Async.completed(HttpResponse.text(400, "status must be a code from 200 to 599, got " + code + "\n"));
        }
        return Async.completed(Status.bodiless(status) ? HttpResponse.empty(status)
                : HttpResponse.text(status, status + " " + Status.reason(status) + "\n"));
    }

    private static Future<HttpResponse> bytes(HttpRequest req) {
        String n = req.pathParam("n");
        int count = parseInt(n);
        if (count < 0 || count > MAX_BYTES) {
            return Async.completed(HttpResponse.text(400, "n must be a byte count from 0 to " + MAX_BYTES + ", got " + n + "\n"));
        }
        List<String> seedArg = req.query().get("seed");
        long seed;
        if (seedArg == null) {
            seed = ThreadLocalRandom.current().nextLong();
        } else {
            try {
                seed = Long.parseLong(seedArg.get(0));
            } catch (NumberFormatException e) {
                return Async.completed(HttpResponse.text(400, "seed must be an integer, got " + seedArg.get(0) + "\n"));
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> chunked = req.query().get("chunked");
        HttpResponse.BodyWriter body = sink -> produce(random, count, sink);
        if (chunked == null || chunked.get(0).equals("0") || chunked.get(0).equals("false")) {
            return Async.completed(HttpResponse.streaming(200, "application/octet-stream", count, body));
        }
        return Async.completed(HttpResponse.streaming(200, "application/octet-stream", body));
    }

    /**
     * Writes {@code count} bytes of {@code random} in 16 KiB chunks, each made only when the
     * client has taken enough of the last: ten mebibytes to a client that does not read cost one
     * chunk, and a {@code HEAD} costs nothing.
     */
    private static Future<Void> produce(SplittableRandom random, int count, HttpResponse.BodySink sink) {
        int[] left = {count};
        return Async.repeat(() -> {
            if (left[0] == 0) {
                return Async.completed(false);
            }
            byte[] chunk = new byte[Math.min(16 * 1024, left[0])];
            fill(random, chunk, chunk.length);
            left[0] -= chunk.length;
            return sink.write(chunk).map(v -> left[0] > 0);
        });
    }

    private static void fill(SplittableRandom random, byte[] data, int count) {
        for (int i = 0; i < count; i++) {
            data[i] = (byte) random.nextInt(256);
        }
    }

    private static int parseInt(String s) {
        if (s == null || s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    /**
     * httpbin's echo: method, path, query arguments (a repeated one as an array), header fields
     * (repeated ones joined by ", "), and the delay waited if {@code delay} is not null.
     */
    static String echo(HttpRequest req, Double delay) {
        ObjectNode echo = Json.object().put("method", req.method()).put("path", req.path());
        ObjectNode args = echo.putObject("args");
        for (Map.Entry<String, List<String>> e : req.query().entrySet()) {
            List<String> values = e.getValue();
            if (values.size() == 1) {
                args.put(e.getKey(), values.get(0));
            } else {
                values.forEach(args.putArray(e.getKey())::add);
            }
        }
        ObjectNode headers = echo.putObject("headers");
        req.headers().forEach((name, value) -> headers.put(name, headers.has(name)
                ? headers.get(name).asText() + ", " + value : value));
        if (delay != null) {
            echo.put("delay", delay);
        }
        return Json.write(echo);
    }

    /**
     * Serves until INT or TERM, then stops gracefully: stops accepting, answers the requests in
     * flight (with {@code Connection: close}), closes idle connections, and aborts what is still
     * open after {@code --grace} seconds. Every limit of {@link HttpServer.Limits} has a flag.
     */
    public static void main(String[] args) {
        HttpServer.Limits d = HttpServer.Limits.defaults();
        Args a = Args.parse(args, "./run http-server [options]\n" + ServerTls.USAGE, ServerTls.options(
                "host", "127.0.0.1", "port", "8080", "dir", "",
                "grace", String.valueOf(Shutdown.DEFAULT_GRACE.toSeconds()), "backlog", String.valueOf(Server.DEFAULT_BACKLOG),
                "max-request-line", String.valueOf(d.maxRequestLine), "max-header-bytes", String.valueOf(d.maxHeaderBytes),
                "max-headers", String.valueOf(d.maxHeaders), "max-body", String.valueOf(d.maxBody),
                "header-timeout", String.valueOf(d.headerTimeout.toSeconds()),
                "body-timeout", String.valueOf(d.bodyTimeout.toSeconds()), "min-body-rate", String.valueOf(d.minBodyRate),
                "write-timeout", String.valueOf(d.writeTimeout.toSeconds()),
                "idle-timeout", String.valueOf(d.idleTimeout.toSeconds()), "max-pipelined", String.valueOf(d.maxPipelined)));
        HttpServer http;
        try {
            http = (a.get("dir").isEmpty() ? create() : new HttpServer().fallback(new StaticFiles(Path.of(a.get("dir")))))
                    .limits(d.withMaxRequestLine(a.intValue("max-request-line"))
                    .withMaxHeaderBytes(a.intValue("max-header-bytes"))
                    .withMaxHeaders(a.intValue("max-headers"))
                    .withMaxBody(a.intValue("max-body"))
                    .withHeaderTimeout(a.seconds("header-timeout"))
                    .withBodyTimeout(a.seconds("body-timeout"))
                    .withMinBodyRate(a.intValue("min-body-rate"))
                    .withWriteTimeout(a.seconds("write-timeout"))
                    .withIdleTimeout(a.seconds("idle-timeout"))
                    .withMaxPipelined(a.intValue("max-pipelined")));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("--dir " + a.get("dir") + ": cannot serve it: " + e);
            System.exit(2);
            return;
        }
        String host = a.get("host");
        Duration grace = a.seconds("grace");
        int backlog = a.intValue("backlog");
        int port = a.intValue("port");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.CURL);
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return http.start(loop, host, port, backlog, tls.config()).then(server -> {
                tls.announce(server.port());
                return Shutdown.serveUntilExit(loop, host, server, grace, http::finishConnections);
            });
        });
    }
}
