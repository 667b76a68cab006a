package io.eventloop.examples.http;

import io.eventloop.EventLoop;
import io.eventloop.examples.LoopThread;
import io.eventloop.net.Server;

/**
 * {@link HttpBinServer} on loopback, on a loop of its own thread, for the fetch examples: the
 * machine they run on may have no network, and a blocking client on the main thread must not
 * stop the server it is talking to. Closing stops the server and joins the thread.
 */
final class LocalHttpBin implements AutoCloseable {
    private final LoopThread thread;
    private final Server server;

    LocalHttpBin() throws Exception {
        thread = new LoopThread("httpbin-loop");
        EventLoop loop = thread.loop;
        server = thread.call(() -> HttpBinServer.start(loop, "127.0.0.1", 0));
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() throws Exception {
        try (thread) {
            thread.call(() -> {
                server.close();
                server.closeClients();
                return server.waitClosed();
            });
        }
    }
}
