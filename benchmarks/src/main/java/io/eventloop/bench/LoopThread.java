package io.eventloop.bench;

import io.eventloop.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An {@link EventLoop} running {@code runForever()} on a thread of its own, the way Netty's
 * event loop runs on its own thread, so both are driven from the benchmark thread alike.
 */
public final class LoopThread implements AutoCloseable {
    public final EventLoop loop;
    private final Thread thread;

    public LoopThread() {
        this(EventLoop::new);
    }

    /** Builds the loop with {@code factory} on the new thread, which thereby becomes the loop thread. */
    public LoopThread(Supplier<EventLoop> factory) {
        CompletableFuture<EventLoop> created = new CompletableFuture<>();
        thread = new Thread(() -> {
            EventLoop l = factory.get();
            created.complete(l);
            try {
                l.runForever();
            } finally {
                l.close();
            }
        }, "eventloop-bench");
        thread.setDaemon(true);
        thread.start();
        loop = created.join();
    }

    /** Runs {@code action} on the loop thread and waits for it. */
    public void runAndWait(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.join();
    }

    @Override
    public void close() throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        thread.join();
    }
}
