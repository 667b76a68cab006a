package io.eventloop.examples.http;

import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.Net;
import io.eventloop.net.TlsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP/1.1 client on the loop: {@code get(url)} and {@code request(method, url, headers,
 * body)} return a future of the whole response. Connections are kept per {@code host:port} in a
 * small idle pool and reused; a pooled connection the server closed meanwhile is replaced
 * transparently for idempotent methods. Bodies framed by {@code Content-Length}, chunked, or by
 * the server closing (HTTP/1.0 servers such as Python's {@code http.server}) are all read.
 * Redirects are not followed unless {@link Options#followRedirects(int)} says how many.
 * {@code https://} URLs are fetched over TLS ({@link Options#tls(TlsConfig)}; by default the
 * JDK's trust store), HTTP/1.1 with ALPN {@code http/1.1} offered; the URL's host is what SNI
 * sends and what the certificate is checked against.
 *
 * <pre>
 * HttpClient client = new HttpClient(loop);
 * client.get("http://127.0.0.1:8080/get").map(r -&gt; r.status() + " " + r.text());
 * ...
 * client.closeAsync();                       // or: Async.using(new HttpClient(loop), client -&gt; ...)
 * </pre>
 *
 * <p>Compared with aiohttp's {@code ClientSession}: one object per program (or per service) so
 * connections are shared, closed when done; {@code async with session.get(url) as r: await
 * r.text()} becomes {@code client.get(url).map(HttpResponse::text)}, and {@code await r.json()}
 * {@code map(HttpResponse::json)}, the body being read before the future completes. Compared with {@code java.net.http.HttpClient}: no threads of its own;
 * everything runs on the loop, and every method must be called on the loop thread.
 */
public final class HttpClient implements AsyncCloseable, AutoCloseable {
    /**
     * Timeouts, pool size, redirects and the response size limit. Immutable; {@code with}-style
     * methods return a copy.
     *
     * <p>Compared with aiohttp's {@code ClientTimeout(connect=..., total=...)} and
     * {@code TCPConnector(limit_per_host=...)}: the same knobs, fewer of them.
     */
    public static final class Options {
        final Duration connectTimeout;
        final Duration requestTimeout;
        final int maxIdlePerHost;
        final int followRedirects;
        final int maxBody;
        /** For https:// URLs; null: {@link TlsConfig#client()}, made when the first one is fetched. */
        final TlsConfig tls;

        private Options(Duration connectTimeout, Duration requestTimeout, int maxIdlePerHost, int followRedirects, int maxBody,
                TlsConfig tls) {
            this.connectTimeout = connectTimeout;
            this.requestTimeout = requestTimeout;
            this.maxIdlePerHost = Math.max(0, maxIdlePerHost);
            this.followRedirects = Math.max(0, followRedirects);
            this.maxBody = maxBody;
            this.tls = tls;
        }

        /**
         * Connect timeout 10 s, request timeout 60 s, 8 idle connections per host, no redirects,
         * 64 MiB bodies, https trusting the JDK's trust store.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 8, 0, 64 * 1024 * 1024, null);
        }

        /** Time to establish a connection, TLS handshake not included (null: none). */
        public Options connectTimeout(Duration timeout) {
            return new Options(timeout, requestTimeout, maxIdlePerHost, followRedirects, maxBody, tls);
        }

        /** Time from sending a request until its whole response is read, redirects included (null: none). */
        public Options requestTimeout(Duration timeout) {
            return new Options(connectTimeout, timeout, maxIdlePerHost, followRedirects, maxBody, tls);
        }

        /** Idle connections kept per {@code host:port}; 0 closes each connection after its response. */
        public Options maxIdlePerHost(int count) {
            return new Options(connectTimeout, requestTimeout, count, followRedirects, maxBody, tls);
        }

        /** Redirects (301, 302, 303, 307, 308) followed before the response is returned as it is. */
        public Options followRedirects(int count) {
            return new Options(connectTimeout, requestTimeout, maxIdlePerHost, count, maxBody, tls);
        }

        /** Largest response body accepted, in bytes; larger fails the request. */
        public Options maxBody(int bytes) {
            return new Options(connectTimeout, requestTimeout, maxIdlePerHost, followRedirects, bytes, tls);
        }

        /**
         * The client side of TLS for {@code https://} URLs: whom to trust, and the handshake
         * timeout. Default (or null): {@link TlsConfig#client()}, the JDK's trust store;
         * {@link TlsConfig#clientTrusting(java.nio.file.Path)} is {@code curl --cacert FILE}. Leave
         * its server name unset: each connection checks the certificate against its URL's host.
         * Unless it names ALPN protocols, {@code http/1.1} is offered. aiohttp's {@code ssl=context}.
         *
         * @throws IllegalArgumentException if {@code tls} is a server configuration
         */
        public Options tls(TlsConfig tls) {
            if (tls != null && tls.isServer()) {
                throw new IllegalArgumentException("an HTTP client needs a client configuration (TlsConfig.client...), not " + tls);
            }
            return new Options(connectTimeout, requestTimeout, maxIdlePerHost, followRedirects, maxBody, tls);
        }
    }

    private final EventLoop loop;
    private final Options options;
    // Loop thread only.
    private final Map<String, ArrayDeque<ClientConnection>> idle = new HashMap<>();
    private final Set<ClientConnection> open = new LinkedHashSet<>();
    private long connectionsOpened;
    /** What https connections are made with: {@link Options#tls}, with ALPN; made at the first https URL. */
    private Future<TlsConfig> tls;
    private boolean closed;
    private Future<Void> closing;

    /** A client on {@code loop} with {@link Options#defaults()}. */
    public HttpClient(EventLoop loop) {
        this(loop, Options.defaults());
    }

    /** A client on {@code loop} with {@code options}. */
    public HttpClient(EventLoop loop, Options options) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@code GET url}. */
    public Future<HttpResponse> get(String url) {
        return request("GET", url, null, null);
    }

    /**
     * Sends {@code method url} with {@code headers} (may be null) and {@code body} (may be null)
     * and reads the whole response. The future fails with {@link IllegalArgumentException} for a
     * URL that is not {@code http://} or {@code https://}, with {@link java.net.ConnectException} or
     * {@link java.net.SocketTimeoutException} when no connection could be made, with
     * {@link javax.net.ssl.SSLHandshakeException} when the server's certificate is refused (its
     * message names the host and the reason), with
     * {@link TimeoutException} after the request timeout, and with an {@link java.io.IOException}
     * when the server closes or sends something that is not HTTP. Cancelling it abandons the
     * request and its connection.
     */
    public Future<HttpResponse> request(String method, String url, HttpHeaders headers, byte[] body) {
        checkThread("HttpClient.request");
        Future<HttpResponse> result = loop.createFuture();
        if (closed) {
            result.fail(new IllegalStateException("HttpClient is closed"));
            return result;
        }
        TimerHandle timer = options.requestTimeout == null ? null : loop.callLater(options.requestTimeout,
                () -> result.fail(new TimeoutException(method + " " + url + " took longer than " + options.requestTimeout)));
        if (timer != null) {
            result.onDone(f -> timer.cancel());
        }
        send(method, url, headers, body, options.followRedirects, result);
        return result;
    }

    private void send(String method, String url, HttpHeaders headers, byte[] body, int redirectsLeft,
            Future<HttpResponse> result) {
        Target target;
        try {
            target = Target.parse(url);
        } catch (IllegalArgumentException e) {
            result.fail(e);
            return;
        }
        byte[] request = encode(method, target, headers, body);
        boolean head = method.equals("HEAD");
        boolean retryable = switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
            default -> false;
        };
        Future<HttpResponse> response = loop.createFuture();
        exchange(target, request, head, retryable, response);
        response.onDone(f -> {
            if (result.isDone()) {
                return;
            }
            if (f.isCancelled()) {
                result.cancel();
                return;
            }
            Throwable error = f.exception();
            if (error != null) {
                result.fail(error);
                return;
            }
            HttpResponse r = f.result();
            String location = r.header("Location");
            int s = r.status();
            if (redirectsLeft > 0 && location != null && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)) {
                String next;
                try {
                    next = new URI(url).resolve(location.trim()).toString();
                } catch (URISyntaxException | IllegalArgumentException e) {
                    result.fail(new IllegalArgumentException("bad Location " + location + " from " + url, e));
                    return;
                }
                boolean toGet = s == 303 || ((s == 301 || s == 302) && method.equals("POST"));
                send(toGet ? "GET" : method, next, headers, toGet ? null : body, redirectsLeft - 1, result);
                return;
            }
            result.complete(r);
        });
        result.onDone(f -> {
            if (!response.isDone()) {
                response.cancel(); // timeout or cancel of the caller: abandon the exchange
            }
        });
    }

    /** Runs one request/response on a pooled or new connection; retries once if a pooled one was stale. */
    private void exchange(Target target, byte[] request, boolean head, boolean retryable, Future<HttpResponse> response) {
        ClientConnection pooled = takeIdle(target.key);
        if (pooled != null) {
            Future<HttpResponse> attempt = loop.createFuture();
            pooled.send(request, head, attempt);
            attempt.onDone(f -> {
                if (response.isDone()) {
                    return;
                }
                if (!f.isCancelled() && f.exception() instanceof ClientConnection.StaleConnectionException && retryable) {
                    exchange(target, request, head, retryable, response); // the server closed it while it idled
                } else {
                    follow(f, response);
                }
            });
            response.onDone(f -> {
                if (f.isCancelled()) {
                    attempt.cancel();
                }
            });
            return;
        }
        if (!target.https) {
            connect(target, null, request, head, response);
            return;
        }
        tls().onDone(t -> {
            if (response.isDone()) {
                return; // abandoned meanwhile
            }
            if (t.exception() != null) {
                response.fail(t.exception()); // the JDK could not make its default TLS context
            } else if (closed) {
                response.fail(new IllegalStateException("HttpClient was closed"));
            } else {
                connect(target, t.result(), request, head, response);
            }
        });
    }

    /** Opens a new connection for one exchange, over TLS unless {@code tls} is null. */
    private void connect(Target target, TlsConfig tls, byte[] request, boolean head, Future<HttpResponse> response) {
        connectionsOpened++;
        ClientConnection conn = new ClientConnection(this, target.key, options.maxBody);
        open.add(conn);
        Net.createConnection(loop, () -> conn, target.host, target.port, options.connectTimeout, tls).onDone(c -> {
            if (c.isCancelled() || c.exception() != null) {
                lost(conn);
                if (!response.isDone()) {
                    if (c.isCancelled()) {
                        response.cancel();
                    } else {
                        response.fail(c.exception());
                    }
                }
                return;
            }
            if (response.isDone() || closed) {
                conn.abort(); // abandoned, or the client was closed while connecting
                if (!response.isDone()) {
                    response.fail(new IllegalStateException("HttpClient was closed"));
                }
                return;
            }
            conn.send(request, head, response);
        });
    }

    private static void follow(Future<HttpResponse> from, Future<HttpResponse> to) {
        if (from.isCancelled()) {
            to.cancel();
        } else if (from.exception() != null) {
            to.fail(from.exception());
        } else {
            to.complete(from.result());
        }
    }

    /**
     * The TLS configuration of https connections, made once. The default one,
     * {@link TlsConfig#client()}, is made on the default executor: it loads the JDK's trust store
     * and TLS classes, about half a second on a cold JVM that the loop must not spend blocked.
     */
    private Future<TlsConfig> tls() {
        if (tls == null) {
            if (options.tls != null) {
                tls = loop.createFuture();
                tls.complete(offeringHttp11(options.tls));
            } else {
                tls = loop.runInExecutor(null, () -> offeringHttp11(TlsConfig.client()));
            }
        }
        return tls;
    }

    private static TlsConfig offeringHttp11(TlsConfig tls) {
        return tls.applicationProtocols().isEmpty() ? tls.applicationProtocols("http/1.1") : tls;
    }

    private ClientConnection takeIdle(String key) {
        ArrayDeque<ClientConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            ClientConnection c = q.pollLast(); // the most recently used: the least likely to have timed out
            if (c.usable()) {
                return c;
            }
        }
        return null;
    }

    /** A connection finished a response and may be reused. */
    void release(ClientConnection conn) {
        ArrayDeque<ClientConnection> q = idle.computeIfAbsent(conn.key, k -> new ArrayDeque<>());
        if (closed || q.size() >= options.maxIdlePerHost) {
            conn.close();
            return;
        }
        q.addLast(conn);
    }

    /** A connection closed. */
    void lost(ClientConnection conn) {
        open.remove(conn);
        ArrayDeque<ClientConnection> q = idle.get(conn.key);
        if (q != null) {
            q.remove(conn);
        }
        if (closing != null && open.isEmpty()) {
            closing.complete(null);
        }
    }

    /** How many connections this client has opened (attempted), for tests and diagnostics. */
    public long connectionsOpened() {
        return connectionsOpened;
    }

    /** How many connections are open now, idle or busy. */
    public int openConnections() {
        return open.size();
    }

    /**
     * Closes the idle connections and aborts the busy ones (their requests fail); the future
     * completes once every connection is closed. Later requests fail. aiohttp's
     * {@code await session.close()}; {@code Async.using(new HttpClient(loop), client -> ...)} is
     * {@code async with aiohttp.ClientSession() as session}. Idempotent.
     */
    @Override
    public Future<Void> closeAsync() {
        checkThread("HttpClient.closeAsync");
        if (closing == null) {
            closed = true;
            closing = loop.createFuture();
            idle.clear();
            if (open.isEmpty()) {
                closing.complete(null);
            } else {
                for (ClientConnection c : open.toArray(new ClientConnection[0])) {
                    c.abort();
                }
            }
        }
        return closing;
    }

    /** Starts {@link #closeAsync()} without waiting for it. */
    @Override
    public void close() {
        closeAsync();
    }

    private void checkThread(String method) {
        if (!loop.inLoopThread()) {
            throw new IllegalStateException(method + " must be called on the loop thread " + loop
                    + "; from another thread use loop.callSoonThreadsafe or loop.submit");
        }
    }

    private static byte[] encode(String method, Target target, HttpHeaders headers, byte[] body) {
        StringBuilder sb = new StringBuilder(128).append(method).append(' ').append(target.requestTarget)
                .append(" HTTP/1.1\r\n");
        boolean host = false;
        boolean agent = false;
        if (headers != null) {
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.name(i);
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                    continue; // framing is ours
                }
                host |= name.equalsIgnoreCase("Host");
                agent |= name.equalsIgnoreCase("User-Agent");
                sb.append(name).append(": ").append(headers.value(i)).append("\r\n");
            }
        }
        if (!host) {
            sb.append("Host: ").append(target.hostHeader).append("\r\n");
        }
        if (!agent) {
            sb.append("User-Agent: eventloop-http\r\n");
        }
        if (body != null || method.equals("POST") || method.equals("PUT")) {
            sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /**
     * What a URL says about where to connect, whether over TLS, and what to ask for. Connections
     * are pooled by {@code key}: scheme, host and port, so that an https connection never carries
     * an http request.
     */
    private record Target(boolean https, String host, int port, String key, String hostHeader, String requestTarget) {
        static Target parse(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + url, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean https = scheme.equals("https");
            if (!(https || scheme.equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException("only absolute http:// and https:// URLs are supported, got " + url);
            }
            String host = uri.getHost();
            int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
            String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            String hostHeader = uri.getPort() < 0 ? host : host + ":" + port;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            return new Target(https, connectHost, port, scheme + "://" + connectHost + ":" + port, hostHeader, target);
        }
    }
}
