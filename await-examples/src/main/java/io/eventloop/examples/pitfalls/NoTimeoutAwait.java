package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.examples.Scale;
import io.eventloop.net.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * {@link NoTimeout} in straight-line form, against the same silent peer: {@code await} of a read
 * with no deadline waits for ever; {@code await(Async.waitFor(read, patience))} in a
 * {@code try/catch} gives up, as {@code asyncio.wait_for} does, and {@code Async.timeout} bounds
 * the whole exchange, connect included. Python:
 * <pre>
 * reader, writer = await asyncio.open_connection(host, port)
 * line = await reader.readline()                                    # hangs if the peer never sends
 * line = await asyncio.wait_for(reader.readline(), timeout=0.5)      # gives up
 * </pre>
 */
public final class NoTimeoutAwait {
    private NoTimeoutAwait() {
    }

    /** Connects and awaits the peer's greeting line, with no deadline. */
    static Task<String> greeting(EventLoop loop, int port, List<Connection> opened) {
        return async("greeting", () -> {
            Connection c = await(loop.openConnection("127.0.0.1", port));
            opened.add(c);
            return await(c.reader().readLine());
        });
    }

    /** The mistake: the read has no deadline; the demo stops waiting and closes the loop. */
    static void mistake(int port, Duration patience) {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop(NoTimeout.DEBUG);
        try {
            greeting(loop, port, opened);
            loop.runUntilComplete(Async.sleep(patience));
            System.out.println("no greeting after " + patience.toMillis()
                    + " ms; awaiting it would hang, so the demo closes the loop instead");
        } finally {
            loop.close();
            opened.forEach(c -> c.writer().transport().abort());
        }
    }

    /** What a timed-out wait prints, and any other failure rethrown. */
    private static String noGreeting(Exception e) throws Exception {
        if (e instanceof TimeoutException) {
            return "no greeting: " + e;
        }
        throw e;
    }

    /** Fix one: Async.waitFor around the read. */
    static void fixWaitFor(int port, Duration patience) {
        System.out.println(EventLoop.<String>run(NoTimeout.DEBUG, () -> async(() -> {
            Connection c = await(EventLoop.current().openConnection("127.0.0.1", port));
            try {
                return await(Async.waitFor(c.reader().readLine(), patience));
            } catch (Exception e) {
                return noGreeting(e);
            } finally {
                c.writer().close();
            }
        })));
    }

    /** Fix two: Async.timeout around the whole exchange, connect included. */
    static void fixTimeout(int port, Duration patience) {
        List<Connection> opened = new CopyOnWriteArrayList<>();
        System.out.println(EventLoop.<String>run(NoTimeout.DEBUG, () -> async(() -> {
            EventLoop loop = EventLoop.current();
            try {
                return await(Async.timeout(patience, () -> greeting(loop, port, opened)));
            } catch (Exception e) {
                return noGreeting(e);
            } finally {
                opened.forEach(c -> c.writer().close());
            }
        })));
    }

    /**
     * Starts the silent peer, runs the mistake against it, then the two fixes:
     * {@code ./run pitfall-no-timeout --await [--scale F]}.
     */
    public static void main(String[] args) throws IOException {
        Duration patience = Scale.parse(args, "pitfall-no-timeout --await").scaled(NoTimeout.PATIENCE);
        try (NoTimeout.SilentPeer peer = new NoTimeout.SilentPeer()) {
            System.out.println("== mistake: await a greeting from a peer that never sends one, with no timeout");
            mistake(peer.port(), patience);
            System.out.println("== fix: Async.waitFor(reader.readLine(), " + patience.toMillis() + " ms)");
            fixWaitFor(peer.port(), patience);
            System.out.println("== fix: Async.timeout(" + patience.toMillis() + " ms, () -> connect and read)");
            fixTimeout(peer.port(), patience);
        }
    }
}
