package io.eventloop.examples.http;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small HTTP/1.1 server on the loop's transports and protocols: routes by method and path
 * pattern ({@code /delay/{n}}), asynchronous handlers, keep-alive, pipelining with responses in
 * request order, {@code Content-Length} and chunked bodies both ways, {@code HEAD}, and the
 * {@linkplain Limits limits and timeouts} a server facing the open network needs.
 *
 * <pre>
 * HttpServer http = new HttpServer()
 *         .get("/", req -&gt; Async.completed(HttpResponse.text(200, "Hello, World!")))
 *         .get("/delay/{n}", req -&gt; Async.sleep(Duration.ofSeconds(1)).map(v -&gt; HttpResponse.text(200, "late")));
 * Future&lt;Server&gt; server = http.start(loop, "127.0.0.1", 8080);
 * </pre>
 *
 * <p>Each connection is one {@link io.eventloop.net.Protocol} with an incremental parser, so a
 * read that holds several requests is parsed and answered in one go, and no future is created
 * per byte read. A malformed request is answered with its 4xx and the connection closed; a
 * handler that throws or fails gets a 500. Neither reaches the loop's exception handler.
 *
 * <p>Compared with aiohttp's {@code web.Application} + {@code web.AppRunner}: the same
 * handler-returns-a-response shape ({@code async def handler(request) -> Response} becomes a
 * function returning {@code Future<HttpResponse>}), with the request body read before the
 * handler runs. Configure it, then {@link #start} it from the loop thread.
 */
public final class HttpServer {
    /** An asynchronous request handler: aiohttp's {@code async def handler(request)}. */
    @FunctionalInterface
    public interface Handler {
        /** The response to {@code request}; throwing or failing makes it a 500. */
        Future<HttpResponse> handle(HttpRequest request) throws Exception;
    }

    /**
     * Limits and timeouts, with the defaults documented on each method. Immutable; the
     * {@code with...} methods return a copy.
     *
     * <p>Compared with aiohttp's {@code max_line_size} / {@code max_field_size} /
     * {@code client_max_size} and {@code keepalive_timeout}: the same knobs, plus the timeouts a
     * server facing the open network needs against clients that are slow on purpose, as nginx
     * has them: header ({@code client_header_timeout}), body ({@code client_body_timeout}, with a
     * minimum rate as Kestrel's {@code MinRequestBodyDataRate}) and write ({@code send_timeout}).
     */
    public static final class Limits {
        int maxRequestLine = 8 * 1024;
        int maxHeaderBytes = 32 * 1024;
        int maxHeaders = 100;
        int maxBody = 1024 * 1024;
        Duration headerTimeout = Duration.ofSeconds(10);
        Duration bodyTimeout = Duration.ofSeconds(10);
        int minBodyRate = 1024;
        Duration writeTimeout = Duration.ofSeconds(30);
        Duration idleTimeout = Duration.ofSeconds(60);
        int maxPipelined = 16;

        private Limits() {
        }

        /** A copy with {@code change} applied. */
        private Limits with(java.util.function.Consumer<Limits> change) {
            Limits c = new Limits();
            c.maxRequestLine = maxRequestLine;
            c.maxHeaderBytes = maxHeaderBytes;
            c.maxHeaders = maxHeaders;
            c.maxBody = maxBody;
            c.headerTimeout = headerTimeout;
            c.bodyTimeout = bodyTimeout;
            c.minBodyRate = minBodyRate;
            c.writeTimeout = writeTimeout;
            c.idleTimeout = idleTimeout;
            c.maxPipelined = maxPipelined;
            change.accept(c);
            return c;
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
            }
            return value;
        }

        /**
         * The defaults: request line 8 KiB (414 above), header section and trailer section
         * 32 KiB each and 100 fields (431 above), body 1 MiB (413 above), header-read timeout
         * 10 s (408), body timeout 10 s without progress or under 1 KiB/s on average (408),
         * write timeout 30 s without the client taking a byte (abort), idle keep-alive timeout
         * 60 s (close), 16 requests in flight per connection before reading pauses.
         */
        public static Limits defaults() {
            return new Limits();
        }

        /** Longest request line, in bytes, before a 414. */
        public Limits withMaxRequestLine(int bytes) {
            return with(c -> c.maxRequestLine = positive("maxRequestLine", bytes));
        }

        /** Largest header section (after the request line), and trailer section, in bytes, before a 431. */
        public Limits withMaxHeaderBytes(int bytes) {
            return with(c -> c.maxHeaderBytes = positive("maxHeaderBytes", bytes));
        }

        /** Most header fields before a 431. */
        public Limits withMaxHeaders(int count) {
            return with(c -> c.maxHeaders = positive("maxHeaders", count));
        }

        /** Largest request body, in bytes, before a 413 (0: no body is accepted). */
        public Limits withMaxBody(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBody must not be negative, got " + bytes);
            }
            return with(c -> c.maxBody = bytes);
        }

        /** Time from a request's first byte until its header section is complete, before a 408 and close. */
        public Limits withHeaderTimeout(Duration timeout) {
            return with(c -> c.headerTimeout = positive("headerTimeout", timeout));
        }

        /**
         * Time a request body may go without a byte arriving, before a 408 and close; also how
         * often its average rate is checked against {@link #withMinBodyRate}.
         */
        public Limits withBodyTimeout(Duration timeout) {
            return with(c -> c.bodyTimeout = positive("bodyTimeout", timeout));
        }

        /**
         * Least average rate of a request body, in bytes a second, checked every body timeout
         * from the first on; slower is a 408 and close. Time the server itself does not read
         * does not count.
         */
        public Limits withMinBodyRate(int bytesPerSecond) {
            return with(c -> c.minBodyRate = positive("minBodyRate", bytesPerSecond));
        }

        /**
         * Time output may wait in the connection's buffer without the client taking a byte of
         * it, before the connection is aborted.
         */
        public Limits withWriteTimeout(Duration timeout) {
            return with(c -> c.writeTimeout = positive("writeTimeout", timeout));
        }

        /** Time a keep-alive connection may sit with no request before it is closed. */
        public Limits withIdleTimeout(Duration timeout) {
            return with(c -> c.idleTimeout = positive("idleTimeout", timeout));
        }

        /** Requests parsed but not yet answered on one connection before reading pauses. */
        public Limits withMaxPipelined(int count) {
            return with(c -> c.maxPipelined = positive("maxPipelined", count));
        }
    }

    /** One route: method, pattern split into segments, handler. */
    private record Route(String method, String[] segments, Handler handler) {
    }

    // Configured before start, read on the loop thread afterwards.
    private final Map<String, Map<String, Handler>> exact = new HashMap<>(); // path -> method -> handler
    private final List<Route> patterns = new ArrayList<>();
    private Limits limits = Limits.defaults();
    private Handler fallback;
    private long accepted; // loop thread
    /** The connections open now, for {@link #finishConnections()}; loop thread. */
    private final Set<ServerConnection> open = new LinkedHashSet<>();

    /** A server with no routes (every request gets a 404) and the default limits. */
    public HttpServer() {
    }

    /** Replaces the limits. Returns this. */
    public HttpServer limits(Limits newLimits) {
        limits = Objects.requireNonNull(newLimits, "limits");
        return this;
    }

    /** The limits in force. */
    public Limits limits() {
        return limits;
    }

    /**
     * Routes {@code method} on {@code pattern} to {@code handler}. A pattern is a path whose
     * segments may be {@code {name}}, matching any one non-empty segment
     * ({@link HttpRequest#pathParam}). A {@code GET} route answers {@code HEAD} too. Returns this.
     */
    public HttpServer route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/', got " + pattern);
        }
        if (pattern.contains("{")) {
            patterns.add(new Route(method, pattern.split("/", -1), handler));
        } else {
            exact.computeIfAbsent(pattern, p -> new HashMap<>()).put(method, handler);
        }
        return this;
    }

    /** {@link #route} for {@code GET} (and so {@code HEAD}). */
    public HttpServer get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    /**
     * Answers every request no route matches with {@code handler} (instead of a 404): a file
     * server behind the routes, as aiohttp's {@code app.router.add_static} under them. Returns this.
     */
    public HttpServer fallback(Handler handler) {
        fallback = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** {@link #route} for {@code POST}. */
    public HttpServer post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    /**
     * Listens on {@code host}:{@code port} (0 picks a free port): aiohttp's
     * {@code web.TCPSite(runner, host, port).start()}. Call on the loop thread.
     */
    public Future<Server> start(EventLoop loop, String host, int port) {
        return start(loop, host, port, Server.DEFAULT_BACKLOG);
    }

    /** {@link #start(EventLoop, String, int)} with a listen backlog (default: the kernel's {@code somaxconn}). */
    public Future<Server> start(EventLoop loop, String host, int port, int backlog) {
        return start(loop, host, port, backlog, null);
    }

    /**
     * {@link #start(EventLoop, String, int, int)} over TLS (https), unless {@code tls} is null:
     * aiohttp's {@code web.TCPSite(..., ssl_context=context)}. Unless {@code tls} names its own
     * ALPN protocols, the server accepts {@code http/1.1}, the only one it speaks, so that a
     * client offering {@code h2} as well (curl does) is told to use HTTP/1.1.
     */
    public Future<Server> start(EventLoop loop, String host, int port, int backlog, TlsConfig tls) {
        TlsConfig https = tls != null && tls.applicationProtocols().isEmpty() ? tls.applicationProtocols("http/1.1") : tls;
        return Net.createServer(loop, () -> {
            accepted++;
            return new ServerConnection(this, limits);
        }, host, port, backlog, https);
    }

    /**
     * Finishes every open connection gracefully, for a shutdown after the listening socket is
     * closed: each reads no more requests, answers those it has read (the last with
     * {@code Connection: close}) and closes; an idle one closes now. A client that does not read
     * its answers is aborted by the write timeout, or by the caller after its grace period
     * ({@link Server#abortClients()}). aiohttp's {@code runner.cleanup()} with its
     * {@code shutdown_timeout}. Loop thread.
     */
    public void finishConnections() {
        for (ServerConnection c : new ArrayList<>(open)) {
            c.finish();
        }
    }

    /** Bytes waiting in the write buffers of every open connection (loop thread). */
    long outputBuffered() {
        long sum = 0;
        for (ServerConnection c : open) {
            sum += c.outputBuffered();
        }
        return sum;
    }

    void opened(ServerConnection c) {
        open.add(c);
    }

    void closed(ServerConnection c) {
        open.remove(c);
    }

    /** How many connections the servers started from this object accepted (loop thread). */
    public long connectionsAccepted() {
        return accepted;
    }

    /** Calls the handler routed for {@code request}, or answers 404 / 405. */
    Future<HttpResponse> dispatch(HttpRequest request, EventLoop loop) throws Exception {
        String path = request.path();
        String method = request.method();
        Map<String, Handler> byMethod = exact.get(path);
        if (byMethod != null) {
            Handler h = byMethod.get(method);
            if (h == null && method.equals("HEAD")) {
                h = byMethod.get("GET");
            }
            if (h != null) {
                return h.handle(request);
            }
            return completed(loop, notAllowed(byMethod.keySet()));
        }
        if (!patterns.isEmpty()) {
            String[] segments = path.split("/", -1);
            Set<String> allowed = null;
            for (Route r : patterns) {
                Map<String, String> params = match(r.segments, segments);
                if (params == null) {
                    continue;
                }
                if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
                    request.pathParams(params);
                    return r.handler.handle(request);
                }
                if (allowed == null) {
                    allowed = new LinkedHashSet<>();
                }
                allowed.add(r.method);
            }
            if (allowed != null) {
                return completed(loop, notAllowed(allowed));
            }
        }
        if (fallback != null) {
            return fallback.handle(request);
        }
        return completed(loop, HttpResponse.text(404, "no route for " + path + "\n"));
    }

    private static Map<String, String> match(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.length() > 2 && p.charAt(0) == '{' && p.charAt(p.length() - 1) == '}') {
                if (segments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(p.substring(1, p.length() - 1), segments[i]);
            } else if (!p.equals(segments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static HttpResponse notAllowed(Set<String> methods) {
        HttpResponse r = HttpResponse.text(405, "method not allowed\n");
        Set<String> allow = new LinkedHashSet<>(methods);
        if (allow.contains("GET")) {
            allow.add("HEAD");
        }
        r.headers().set("Allow", String.join(", ", allow));
        return r;
    }

    private static Future<HttpResponse> completed(EventLoop loop, HttpResponse response) {
        Future<HttpResponse> f = loop.createFuture();
        f.complete(response);
        return f;
    }
}
