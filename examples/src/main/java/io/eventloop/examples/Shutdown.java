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
 * Graceful shutdown on Ctrl-C (SIGINT) and {@code kill} (SIGTERM) for the example servers: the
 * loop's signal handlers ({@link EventLoop#addSignalHandler}, asyncio's
 * {@code loop.add_signal_handler}) run {@code shutdown} on the loop thread. Where the JVM does not
 * let a signal be handled (run with {@code -Xrs}, say), a JVM shutdown hook does the same from
 * outside the loop, through {@link EventLoop#callSoonThreadsafe}, and waits (at most
 * {@code seconds}) until the future {@code shutdown} returns is done.
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

    /** Runs {@code shutdown} on the loop when the process is asked to stop (INT or TERM). */
    public static void onExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, int seconds) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                loop.addSignalHandler(name, () -> {
                    log.info("SIG{} received: shutting down", name);
                    shutdown.get();
                });
            }
        } catch (IllegalArgumentException e) {
            log.warn("no signal handlers ({}); using a shutdown hook", e.getMessage());
            onJvmExit(loop, shutdown, seconds);
        }
    }

    /** The fallback: a JVM shutdown hook that runs {@code shutdown} on the loop and waits for it. */
    private static void onJvmExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, int seconds) {
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
    }
}
