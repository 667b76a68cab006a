package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.Server;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown on Ctrl-C (SIGINT) and {@code kill} (SIGTERM) for the example servers: the
 * loop's signal handlers ({@link EventLoop#addSignalHandler}, asyncio's
 * {@code loop.add_signal_handler}) run the shutdown on the loop thread. Where the JVM does not
 * let a signal be handled (run with {@code -Xrs}, say), a JVM shutdown hook does the same from
 * outside the loop, through {@link EventLoop#callSoonThreadsafe}, and waits for it, a little
 * longer than the grace period.
 *
 * <p>A server's shutdown has three steps:
 * <ol>
 * <li>stop accepting ({@link Server#close()});
 * <li>let the connections finish: by default {@link Server#closeClients()}, which closes each
 * one gracefully, flushing what is buffered; a server with requests in flight passes its own
 * "finish, then close" action;
 * <li>when the grace period is over, abort whatever is still open
 * ({@link Server#abortClients()}).
 * </ol>
 * The last step is what makes TERM always end the process: a graceful close waits for its buffer
 * to reach the peer, and a peer that never reads would keep it waiting for ever. asyncio's
 * {@code Server.close_clients()} and {@code abort_clients()} (3.13) are the two halves; the
 * deadline between them is ours, as in uvicorn's {@code --timeout-graceful-shutdown}.
 */
public final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    /** How long connections have to finish when no {@code --grace} is given. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** How much longer than the grace period the fallback shutdown hook waits: time for the aborts. */
    private static final Duration HOOK_MARGIN = Duration.ofSeconds(5);

    private Shutdown() {
    }

    /** {@link #serveUntilExit(EventLoop, String, Server, Duration)} with {@link #DEFAULT_GRACE}. */
    public static Future<Void> serveUntilExit(EventLoop loop, String host, Server server) {
        return serveUntilExit(loop, host, server, DEFAULT_GRACE);
    }

    /**
     * {@link #serveUntilExit(EventLoop, String, Server, Duration, Runnable)} that lets the
     * connections finish with {@link Server#closeClients()}.
     */
    public static Future<Void> serveUntilExit(EventLoop loop, String host, Server server, Duration grace) {
        return serveUntilExit(loop, host, server, grace, server::closeClients);
    }

    /**
     * What the example servers do once listening: print the one {@code listening on HOST:PORT}
     * line, shut down on INT or TERM (stop accepting, run {@code finishClients}, abort what is
     * left after {@code grace}), and serve until every connection is gone.
     *
     * @param finishClients run on the loop once the server stops accepting; it should end every
     *        connection it can end gracefully (close what is idle, let a request in flight finish)
     * @return completes once the server is closed and its last connection is gone: the end of
     *         {@code main}'s work
     */
    public static Future<Void> serveUntilExit(EventLoop loop, String host, Server server, Duration grace,
            Runnable finishClients) {
        Objects.requireNonNull(finishClients, "finishClients");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        // The handlers first: a TERM sent as soon as the line is read must find them in place.
        onExit(loop, () -> stop(server, grace, finishClients), grace.plus(HOOK_MARGIN));
        System.out.println("listening on " + (server.path() != null ? server.path() : Args.hostPort(host, server.port())));
        return server.serveForever().then(v -> server.waitClosed());
    }

    /**
     * The shutdown itself, without the signal: stops accepting, runs {@code finishClients}, and
     * aborts the connections still open when {@code grace} is over. Loop thread only.
     *
     * @return completes, with the number of connections aborted, once the last one is gone
     */
    static Future<Integer> stop(Server server, Duration grace, Runnable finishClients) {
        server.close();
        log.info("stopped accepting on {}; {} connection(s) have {} to finish", server.addresses(),
                server.connectionCount(), seconds(grace));
        int[] aborted = {0}; // written by the timer, read when the server is closed: both on the loop
        TimerHandle deadline = server.loop().callLater(grace, () -> aborted[0] = abortTheRest(server, grace));
        Future<Void> closed = server.waitClosed();
        closed.onDone(f -> deadline.cancel());
        finishClients.run();
        return closed.map(v -> {
            log.info("all connections closed ({} aborted)", aborted[0]);
            return aborted[0];
        });
    }

    /** The grace period is over: abort every connection still open, and say how many there were. */
    private static int abortTheRest(Server server, Duration grace) {
        int open = server.connectionCount();
        if (open > 0) {
            log.info("the grace period of {} is over: aborting {} connection(s)", seconds(grace), open);
            server.abortClients();
        }
        return open;
    }

    /** {@code 10 s}, {@code 0.2 s}: a duration as the {@code --grace} flag takes it. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** {@link #onExit(EventLoop, Supplier, Duration)} with the hook's wait in whole seconds. */
    public static void onExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, int seconds) {
        onExit(loop, shutdown, Duration.ofSeconds(seconds));
    }

    /**
     * Runs {@code shutdown} on the loop when the process is asked to stop (INT or TERM). Where
     * signals cannot be handled, a JVM shutdown hook runs it instead and waits at most
     * {@code hookWait} for the future it returns: give more than the shutdown can take.
     */
    public static void onExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, Duration hookWait) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                loop.addSignalHandler(name, () -> {
                    log.info("SIG{} received: shutting down", name);
                    shutdown.get();
                });
            }
        } catch (IllegalArgumentException e) {
            log.warn("no signal handlers ({}); using a shutdown hook", e.getMessage());
            onJvmExit(loop, shutdown, hookWait);
        }
    }

    /** The fallback: a JVM shutdown hook that runs {@code shutdown} on the loop and waits for it. */
    private static void onJvmExit(EventLoop loop, Supplier<? extends Future<?>> shutdown, Duration wait) {
        Thread hook = new Thread(() -> {
            CountDownLatch done = new CountDownLatch(1);
            try {
                loop.callSoonThreadsafe(() -> shutdown.get().onDone(f -> done.countDown()));
            } catch (IllegalStateException closed) {
                return; // the loop is already closed: the program ended on its own
            }
            try {
                if (!done.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("shutdown did not finish within {}", seconds(wait));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
