package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Server;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown on Ctrl-C for the example servers: a JVM shutdown hook that asks the loop,
 * through {@link EventLoop#callSoonThreadsafe}, to run {@code shutdown} and waits (at most
 * {@code seconds}) until the future it returns is done. A JVM hook, because the loop's own
 * signal handling is not part of this example set; asyncio programs do the same with
 * {@code loop.add_signal_handler(SIGINT, ...)}.
 */
public final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /**
     * What the echo servers do once listening: print the one {@code listening on HOST:PORT} line,
     * close the server and its connections on exit, and serve until every connection is gone.
     */
    public static Future<Void> serveUntilExit(EventLoop loop, String host, Server server) {
        System.out.println("listening on " + Args.hostPort(host, server.port()));
        onExit(loop, () -> {
            server.close();
            server.closeClients();
            return server.waitClosed();
        }, 5);
        return server.serveForever().then(v -> server.waitClosed());
    }

    /** Installs the hook; returns it so a test can remove it. */
    public static Thread onExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, int seconds) {
        Thread hook = new Thread(() -> {
            CountDownLatch done = new CountDownLatch(1);
            try {
                loop.callSoonThreadsafe(() -> shutdown.get().onDone(f -> done.countDown()));
            } catch (IllegalStateException closed) {
                return; // the loop is already closed: the program ended on its own
            }
            try {
                if (!done.await(seconds, TimeUnit.SECONDS)) {
                    log.warn("shutdown did not finish within {} s", seconds);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
