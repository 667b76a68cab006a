package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.examples.Scale;
import io.eventloop.net.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * Pitfall: no timeout on a peer that never answers. Python:
 * <pre>
 * reader, writer = await asyncio.open_connection(host, port)
 * greeting = await reader.readline()                                  # waits for ever
 * greeting = await asyncio.wait_for(reader.readline(), timeout=0.5)   # gives up
 * async with asyncio.timeout(0.5): ...                                # gives up
 * </pre>
 *
 * <p>The peer here is a loopback server that accepts and then says nothing, as a stuck service
 * does. Waiting is what a loop does, so nothing is reported while the read waits; a program that
 * awaited it would hang. This one stops waiting after half a second and closes its loop:
 * {@code close()} reports the task still pending, where it was created (debug mode) and what it
 * waits on. The fix: a deadline on everything that talks to the network, {@code Async.waitFor}
 * for one future or {@code Async.timeout} for a whole exchange; both fail with
 * {@link TimeoutException}, and the program goes on. {@code --scale F} multiplies the patience.
 */
public final class NoTimeout {
    static final EventLoop.Options DEBUG = EventLoop.Options.defaults().debug(true);
    /** How long the demo waits for the greeting, at scale 1. */
    static final Duration PATIENCE = Duration.ofMillis(500);

    private NoTimeout() {
    }

    /** A loopback server that accepts connections and never writes a byte, on its own thread. */
    static final class SilentPeer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread thread;

        SilentPeer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept()); // held open, never answered
                    }
                } catch (IOException closed) {
                    // close() closed the server socket: done
                }
            }, "silent-peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** Connects and awaits the peer's greeting line, with no deadline. */
    static Future<String> greeting(EventLoop loop, int port, List<Connection> opened) {
        return loop.openConnection("127.0.0.1", port).then(c -> {
            opened.add(c);
            return c.reader().readLine();
        });
    }

    /** The mistake: the read has no deadline; the demo stops waiting and closes the loop. */
    static void mistake(int port, Duration patience) {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop(DEBUG);
        try {
            loop.createTask("greeting", () -> greeting(loop, port, opened));
            loop.runUntilComplete(Async.sleep(patience));
            System.out.println("no greeting after " + patience.toMillis()
                    + " ms; awaiting it would hang, so the demo closes the loop instead");
        } finally {
            loop.close();
            opened.forEach(c -> c.writer().transport().abort());
        }
    }

    /** Fix one: Async.waitFor around the read. */
    static void fixWaitFor(int port, Duration patience) {
        System.out.println(EventLoop.<String>run(DEBUG, () -> {
            EventLoop loop = EventLoop.current();
            return loop.openConnection("127.0.0.1", port).then(c ->
                    Async.waitFor(c.reader().readLine(), patience)
                            .recover(TimeoutException.class, e -> Async.completed("no greeting: " + e))
                            .ensure(c.writer()::close));
        }));
    }

    /** Fix two: Async.timeout around the whole exchange, connect included. */
    static void fixTimeout(int port, Duration patience) {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        System.out.println(EventLoop.<String>run(DEBUG, () -> {
            EventLoop loop = EventLoop.current();
            return Async.timeout(patience, () -> greeting(loop, port, opened))
                    .recover(TimeoutException.class, e -> Async.completed("no greeting: " + e))
                    .ensure(() -> opened.forEach(c -> c.writer().close()));
        }));
    }

    /**
     * Starts the silent peer, runs the mistake against it, then the two fixes:
     * {@code ./run pitfall-no-timeout [--scale F]}.
     */
    public static void main(String[] args) throws IOException {
        Duration patience = Scale.parse(args, "pitfall-no-timeout").scaled(PATIENCE);
        try (SilentPeer peer = new SilentPeer()) {
            System.out.println("== mistake: await a greeting from a peer that never sends one, with no timeout");
            mistake(peer.port(), patience);
            System.out.println("== fix: Async.waitFor(reader.readLine(), " + patience.toMillis() + " ms)");
            fixWaitFor(peer.port(), patience);
            System.out.println("== fix: Async.timeout(" + patience.toMillis() + " ms, () -> connect and read)");
            fixTimeout(peer.port(), patience);
        }
    }
}
