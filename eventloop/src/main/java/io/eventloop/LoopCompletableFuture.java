package io.eventloop;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link CompletableFuture} handed to other threads ({@link EventLoop#submit},
 * {@link Future#toCompletableFuture()}). Its blocking methods refuse to run on the thread the loop
 * is running on, where waiting for the loop would wait forever (Netty's {@code BlockingOperationException},
 * netty/netty#782): failing fast names the mistake instead of hanging the server.
 */
final class LoopCompletableFuture<T> extends CompletableFuture<T> {
    private final EventLoop loop;

    LoopCompletableFuture(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * {@link EventLoop#submit}: {@code coroutine} becomes a task on {@code loop}, which the returned
     * future follows. Any thread; the task is created on the loop, through its one door.
     */
    static <T> LoopCompletableFuture<T> submit(EventLoop loop, ThrowingSupplier<? extends Future<T>> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        LoopCompletableFuture<T> cf = new LoopCompletableFuture<>(loop);
        loop.callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return; // cancelled before it reached the loop: never start
            }
            Task<T> task;
            try {
                task = loop.createTask(coroutine);
            } catch (RuntimeException e) {
                cf.completeExceptionally(e);
                return;
            }
            cf.follow(task);
        });
        return cf;
    }

    /** Completes this the way {@code source} ends; a cancel of this cancels {@code source}. Loop thread. */
    void follow(Future<T> source) {
        source.onDone(f -> {
            if (f.isCancelled()) {
                cancel(false);
            } else if (f.state() == Future.FAILED) {
                f.markRetrieved();
                completeExceptionally((Throwable) f.rawResult());
            } else {
                complete(f.result());
            }
        });
        whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                // cancelled from another thread: cancel on the loop (a no-op if already done)
                loop.callSoonThreadsafeIfOpen(source::cancel);
            }
        });
    }

    private void checkNotLoopThread(String method) {
        if (loop.isRunning() && loop.inLoopThread()) {
            throw new IllegalStateException(method + " on the event loop thread would block the loop"
                    + " that has to complete it (deadlock); on the loop, wait with Future.then(...) instead");
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotLoopThread("CompletableFuture.get()");
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotLoopThread("CompletableFuture.get(timeout)");
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        checkNotLoopThread("CompletableFuture.join()");
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopCompletableFuture<>(loop);
    }
}
