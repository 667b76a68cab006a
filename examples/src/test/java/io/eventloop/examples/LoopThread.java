package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A loop running on its own thread, for servers under test; closing stops and joins it. Public for the sub-packages. */
public final class LoopThread implements AutoCloseable {
    public final EventLoop loop;
    private final Thread thread;

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
    public <T> T call(Supplier<? extends Future<T>> body) throws Exception {
        return loop.submit(body).get(60, TimeUnit.SECONDS);
    }

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
