package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.Callable;

/**
 * A blocking peer (the JDK's {@code SSLSocket}, a raw socket) on a plain thread, while the loop
 * runs on the test's: what the thread returns or throws completes a future of the loop, through
 * {@link EventLoop#callSoonThreadsafe}, so the test waits for it with {@link NetTesting#await}.
 * The peer's sockets should have read timeouts, so that the thread ends even if the test fails.
 */
final class PeerThread<T> {
    private final Thread thread;
    private final Future<T> result;

    private PeerThread(EventLoop loop, String name, Callable<T> body) {
        result = loop.createFuture();
        thread = new Thread(() -> {
            try {
                T value = body.call();
                loop.callSoonThreadsafe(() -> result.complete(value));
            } catch (Throwable e) {
                loop.callSoonThreadsafe(() -> result.fail(e));
            }
        }, name);
    }

    /** Starts {@code body} on a new thread named {@code name}. */
    static <T> PeerThread<T> start(EventLoop loop, String name, Callable<T> body) {
        PeerThread<T> p = new PeerThread<>(loop, name, body);
        p.thread.start();
        return p;
    }

    /** What the body returned or threw, on the loop. */
    Future<T> result() {
        return result;
    }

    /** Waits for the thread to end, bounded by {@link NetTesting#HANG_GUARD}. */
    void join() throws InterruptedException {
        thread.join(NetTesting.HANG_GUARD.toMillis());
        assertFalse(thread.isAlive(), thread.getName() + " is still running");
    }
}
