package io.eventloop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loop's bridge to blocking work: the work behind {@link EventLoop#runInExecutor} and
 * {@link EventLoop#shutdownDefaultExecutor}, and the default executor, a
 * {@link ThreadPoolExecutor} created on first use.
 *
 * <p>Work runs on another thread; its outcome comes back only through the loop's one door,
 * {@link EventLoop#callSoonThreadsafe}, and is dropped if the loop has closed meanwhile. Compared
 * with asyncio: sized like its default {@code ThreadPoolExecutor} ({@code min(32, cores + 4)}
 * threads, an unbounded queue), but the threads are daemons and end after 60 s idle, so a loop
 * that was never shut down keeps no thread, and the JVM, alive.
 *
 * <p>Loop thread only, except {@link ExecutorCall#done()}, which runs on the worker thread.
 */
final class DefaultExecutor {
    /** Numbers the worker threads of all loops: "eventloop-executor-N". */
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventLoop loop;
    /** Created on first use by {@link #run}. Loop thread only. */
    private ThreadPoolExecutor executor;
    /** See {@link #outstanding()}. Loop thread. */
    private int outstanding;

    DefaultExecutor(EventLoop loop) {
        this.loop = loop;
    }

    /** {@link EventLoop#runInExecutor}: runs {@code work} on {@code target} (null: the default executor). */
    <T> Future<T> run(Executor target, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        loop.checkThread("EventLoop.runInExecutor");
        loop.checkNotClosed("runInExecutor");
        Executor chosen = target != null ? target : executor();
        // The caller's TaskLocal values go with the work, and only for its duration (asyncio's to_thread).
        ExecutorCall<T> call = new ExecutorCall<>(this, Context.carry(Context.capture(loop), work));
        outstanding++;
        try {
            chosen.execute(call);
        } catch (RejectedExecutionException e) {
            call.settled();
            call.result.fail(e);
        }
        return call.result;
    }

    /**
     * Work handed to an executor whose outcome has not come back to the loop: a loop on fake
     * time does not jump ahead while some is out. Loop thread.
     */
    int outstanding() {
        return outstanding;
    }

    /**
     * {@link EventLoop#shutdownDefaultExecutor}: shuts the default executor down; a daemon thread
     * waits up to {@code timeout} for its threads, then completes the returned future on the loop.
     */
    Future<Void> shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        loop.checkThread("EventLoop.shutdownDefaultExecutor");
        loop.checkNotClosed("shutdownDefaultExecutor");
        Future<Void> done = loop.createFuture();
        ThreadPoolExecutor pool = executor;
        if (pool == null) {
            done.complete(null);
            return done;
        }
        pool.shutdown();
        Thread waiter = new Thread(() -> {
            boolean terminated;
            try {
                terminated = pool.awaitTermination(Clock.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                terminated = false;
            }
            if (!terminated) {
                LoopLog.warn(EventLoop.class, "the default executor of " + loop + " did not finish within " + timeout, null);
            }
            loop.callSoonThreadsafeIfOpen(() -> done.complete(null));
        }, "eventloop-executor-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    /** At {@link EventLoop#close()}: shuts the default executor down, if created, without waiting. */
    void shutdownWithoutWaiting() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    /** The default executor if it was created, for tests. */
    ExecutorService ifCreated() {
        return executor;
    }

    private Executor executor() {
        if (executor == null) {
            int threads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "eventloop-executor-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            executor.allowCoreThreadTimeOut(true);
        }
        return executor;
    }

    /** Blocking work on an executor; its outcome is carried back to {@link #result} on the loop. */
    private static final class ExecutorCall<T> extends FutureTask<T> {
        final DefaultExecutor owner;
        final Future<T> result;
        private boolean settled; // loop thread: counted out of owner.outstanding

        ExecutorCall(DefaultExecutor owner, Callable<T> work) {
            super(work);
            this.owner = owner;
            this.result = new Future<>(owner.loop) {
                @Override
                public boolean cancel(String message) {
                    boolean cancelled = super.cancel(message);
                    if (cancelled) {
                        settled(); // nothing more comes back to the loop for it
                        ExecutorCall.this.cancel(true); // not started: never starts; running: interrupted
                    }
                    return cancelled;
                }

                @Override
                public String toString() {
                    return "Future[runInExecutor, " + describeState() + "]";
                }
            };
        }

        /** Its outcome is on the loop (or never will be): no longer outstanding. Loop thread. */
        void settled() {
            if (!settled) {
                settled = true;
                owner.outstanding--;
            }
        }

        @Override
        protected void done() {
            if (!isCancelled()) {
                owner.loop.callSoonThreadsafeIfOpen(this::transfer);
            }
        }

        private void transfer() {
            settled();
            try {
                result.complete(get());
            } catch (ExecutionException e) {
                result.fail(e.getCause());
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                result.cancel();
            }
        }
    }
}
