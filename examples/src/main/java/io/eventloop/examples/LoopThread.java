package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.eventloop.ThrowingSupplier;

/**
 * A loop running on its own thread, for a server that must keep serving while the calling thread
 * does something else (blocks, even): the fetch examples' local server, and servers under test.
 * Closing stops the loop, which closes it, and joins the thread. Compared with asyncio: a thread
 * running {@code loop.run_forever()}, talked to through {@code run_coroutine_threadsafe}
 * ({@link #call}).
 */
public final class LoopThread implements AutoCloseable {
    /** The loop; from other threads, only its thread-safe entry points. */
    public final EventLoop loop;
    private final Thread thread;

    /** Starts a thread named {@code name} that creates a loop and runs it until {@link #close()}. */
    public LoopThread(String name) throws Exception {
        CompletableFuture<EventLoop> started = new CompletableFuture<>();
        thread = new Thread(() -> {
            EventLoop l = new EventLoop(); // made on this thread, so this is its loop thread from the start
            started.complete(l);
            try {
                l.runForever();
            } finally {
                l.close();
            }
        }, name);
        thread.start();
        loop = started.get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code body} on the loop and waits for its result (a hang guard of 60 s). */
    public <T> T call(ThrowingSupplier<? extends Future<T>> body) throws Exception {
        return loop.submit(body).get(60, TimeUnit.SECONDS);
    }

    /** Stops the loop and waits (at most 30 s) for its thread to end. */
    @Override
    public void close() {
        loop.callSoonThreadsafe(loop::stop);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
