package io.eventloop.examples.http;

import io.eventloop.EventLoop;
import io.eventloop.net.Server;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link HttpBinServer} on loopback, on a loop of its own thread, for the fetch examples: the
 * machine they run on may have no network, and a blocking client on the main thread must not
 * stop the server it is talking to. Closing stops the server and joins the thread.
 */
final class LocalHttpBin implements AutoCloseable {
    private final EventLoop loop;
    private final Thread thread;
    private final Server server;

    LocalHttpBin() throws Exception {
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        thread = new Thread(() -> {
            EventLoop l = new EventLoop();
            started.complete(l);
            try {
                l.runForever();
            } finally {
                l.close();
            }
        }, "httpbin-loop");
        thread.setDaemon(true);
        thread.start();
        loop = started.get(30, TimeUnit.SECONDS);
        server = loop.submit(() -> HttpBinServer.start(loop, "127.0.0.1", 0)).get(30, TimeUnit.SECONDS);
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() throws Exception {
        loop.submit(() -> {
            server.close();
            server.closeClients();
            return server.waitClosed();
        }).get(30, TimeUnit.SECONDS);
        loop.callSoonThreadsafe(loop::stop);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
