package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.Future;
import io.eventloop.examples.LoopThread;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link HttpBinServer}'s routes plus a few for tests, on a loop thread of its own, with the
 * loop's exception handler recording what reaches it. Closing closes the server, its
 * connections and the loop.
 */
final class HttpFixture implements AutoCloseable {
    final LoopThread t;
    final HttpServer http;
    final Server server;
    final List<ErrorContext> errors = new CopyOnWriteArrayList<>();
    /** Counted down when {@code /hold} is called; its response is {@link #held}, completed by the test. */
    final java.util.concurrent.CountDownLatch holdCalled = new java.util.concurrent.CountDownLatch(1);
    volatile Future<HttpResponse> held;
    /** How many times the body of {@code /counted} (1 MiB, streamed with a length) was produced. */
    final java.util.concurrent.atomic.AtomicInteger produced = new java.util.concurrent.atomic.AtomicInteger();

    /** Whether the server speaks https. */
    final boolean https;

    HttpFixture(HttpServer.Limits limits) throws Exception {
        this(limits, null);
    }

    /** The server over TLS with {@code tls} (a server configuration), or plain if it is null. */
    HttpFixture(HttpServer.Limits limits, TlsConfig tls) throws Exception {
        https = tls != null;
        t = new LoopThread("http-test-loop");
        http = HttpBinServer.create().limits(limits)
                .post("/echo", req -> Async.completed(new HttpResponse(200,
                        HttpHeaders.of("Content-Type", "application/octet-stream"), req.body())))
                .get("/throw", req -> {
                    throw new IllegalStateException("handler bug");
                })
                .get("/fail", req -> Async.failed(new IllegalStateException("handler failed")))
                .get("/hold", req -> {
                    held = t.loop.createFuture();
                    holdCalled.countDown();
                    return held;
                })
                .get("/counted", req -> Async.completed(HttpResponse.streaming(200, "application/octet-stream", 1 << 20,
                        sink -> {
                            produced.incrementAndGet();
                            return sink.write(new byte[1 << 20]);
                        })))
                .get("/slow-stream", req -> Async.completed(HttpResponse.streaming(200, "text/plain", sink -> {
                    int[] left = {3};
                    return Async.repeat(() -> Async.sleep(Duration.ofMillis(150))
                            .then(v -> sink.write(("part " + left[0]-- + "\n").getBytes(StandardCharsets.US_ASCII)))
                            .map(v -> left[0] > 0));
                })));
        server = t.call(() -> {
            t.loop.setExceptionHandler((loop, context) -> errors.add(context));
            return http.start(t.loop, "127.0.0.1", 0, Server.DEFAULT_BACKLOG, tls);
        });
    }

    HttpFixture() throws Exception {
        this(HttpServer.Limits.defaults());
    }

    int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT/path}, or {@code https://localhost:PORT/path} over TLS. */
    String url(String path) {
        return (https ? "https://localhost:" : "http://127.0.0.1:") + port() + path;
    }

    /** Bytes waiting in the write buffers of the server's connections. */
    long outputBuffered() throws Exception {
        return t.call(() -> Async.completed(http.outputBuffered()));
    }

    /** Connections the server holds open. */
    int connections() throws Exception {
        return t.call(() -> Async.completed(server.connectionCount()));
    }

    long accepted() throws Exception {
        return t.call(() -> Async.completed(http.connectionsAccepted()));
    }

    /** Runs {@code body} on the loop and waits for its result. */
    <T> T call(io.eventloop.ThrowingSupplier<? extends Future<T>> body) throws Exception {
        return t.call(body);
    }

    /** Stops the server and its loop, then checks that the loop's exception handler saw nothing. */
    @Override
    public void close() throws Exception {
        try {
            t.call(() -> {
                server.close();
                server.abortClients();
                return server.waitClosed();
            });
        } finally {
            t.close();
        }
        assertTrue(errors.isEmpty(), () -> "the loop's exception handler saw " + errors);
    }
}
