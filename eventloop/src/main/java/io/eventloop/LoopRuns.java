package io.eventloop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How one loop is run: the four ways in ({@link EventLoop#run(ThrowingSupplier)},
 * {@link EventLoop#runUntilComplete}, {@link EventLoop#runForever()},
 * {@link EventLoop#runOnce(Duration)}), the rule that a thread runs one loop at a time, and which
 * loop each thread is running or created or ran last, for {@link EventLoop#current()}. One per
 * loop; only its {@link EventLoop} calls it.
 *
 * <p>Every run starts with {@link #enter} and ends with {@link #exit}, on the running thread:
 * they write the loop's {@link EventLoop#thread} and {@link EventLoop#running}, which stay in
 * {@code EventLoop} because {@link EventLoop#checkThread} reads the thread on every loop-affine
 * call. The thread-locals are each thread's own.
 */
final class LoopRuns {
    /** The loop running on each thread. */
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** The loop a thread created or ran last, for {@link #current()} outside a run. */
    private static final ThreadLocal<EventLoop> THREAD_DEFAULT = new ThreadLocal<>();

    private final EventLoop loop;
    /** The loop's iteration, which a run repeats. */
    private final Scheduler scheduler;

    /** On the thread creating {@code loop}: that thread's loop from now on. */
    LoopRuns(EventLoop loop, Scheduler scheduler) {
        this.loop = loop;
        this.scheduler = scheduler;
        THREAD_DEFAULT.set(loop);
        CallGraphDump.opened(loop); // the loops a JFR recording or a signal shows (docs/operations.md)
    }

    /** The loop running on this thread, or null: the one whose state code on this thread may touch. */
    static EventLoop running() {
        return RUNNING.get();
    }

    /** {@link EventLoop#current()}: the loop running here, else this thread's last loop if open. */
    static EventLoop current() {
        EventLoop loop = RUNNING.get();
        if (loop != null) {
            return loop;
        }
        loop = THREAD_DEFAULT.get();
        if (loop != null && !loop.closed) {
            return loop;
        }
        throw new IllegalStateException("no event loop on thread '" + Thread.currentThread().getName()
                + "'; start one with EventLoop.run(...) or new EventLoop()");
    }

    /**
     * {@link EventLoop#run(EventLoop.Options, ThrowingSupplier)}: asyncio's {@code asyncio.run}, in its
     * order (main, then cancelling what is left, then the default executor, then close).
     */
    static <T> T run(EventLoop.Options options, ThrowingSupplier<? extends Future<T>> main) {
        Objects.requireNonNull(main, "main");
        if (RUNNING.get() != null) {
            throw new IllegalStateException("EventLoop.run() cannot be called from a running event loop;"
                    + " inside the loop, use createTask or then(...)");
        }
        try (EventLoop loop = new EventLoop(options)) {
            Task<T> task = loop.createTask("main", main);
            try {
                return loop.runUntilComplete(task);
            } finally {
                loop.tasks.cancelAll();
                loop.runUntilComplete(loop.shutdownDefaultExecutor(options.executorShutdownTimeout()));
            }
        }
    }

    /** {@link EventLoop#runUntilComplete}: {@link #runForever()}, stopped when {@code future} is done. */
    <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        loop.checkNotClosed("runUntilComplete");
        if (future.loop != loop) {
            throw new IllegalArgumentException(future + " belongs to another event loop than " + loop);
        }
        checkCanRun();
        Stopper stopper = new Stopper();
        future.onDone(stopper);
        try {
            runForever();
        } finally {
            stopper.active = false;
            future.removeDoneCallback(stopper);
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed: " + future);
        }
        return future.result();
    }

    /** Stops the loop when the future it watches is done, unless its run is over (bpo-22429). */
    private final class Stopper implements Consumer<Future<?>> {
        /** Whether the run that added this is still going on. Loop thread only. */
        boolean active = true;

        @Override
        public void accept(Future<?> f) {
            if (active) {
                loop.stop();
            }
        }
    }

    /** {@link EventLoop#runForever()}: iterations until {@link EventLoop#stop()}. */
    void runForever() {
        enter("runForever");
        try {
            scheduler.runUntilStopped();
        } finally {
            exit();
        }
    }

    /** {@link EventLoop#runOnce(Duration)}: one iteration that polls for at most {@code maxWait}. */
    int runOnce(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        long maxWaitMillis = Clock.millisRoundedUp(Clock.saturatedNanos(maxWait));
        enter("runOnce");
        try {
            return scheduler.runOnceForHost(maxWaitMillis);
        } finally {
            exit();
        }
    }

    /** The start of a run: this thread becomes the loop thread. */
    private void enter(String method) {
        loop.checkNotClosed(method);
        checkCanRun();
        loop.thread = Thread.currentThread();
        loop.running = true;
        RUNNING.set(loop);
        THREAD_DEFAULT.set(loop);
        scheduler.runStarted();
    }

    /** The end of a run. */
    private void exit() {
        scheduler.runEnded();
        loop.running = false;
        RUNNING.remove();
    }

    private void checkCanRun() {
        if (loop.running) {
            throw new IllegalStateException(loop + " is already running");
        }
        EventLoop other = RUNNING.get();
        if (other != null) {
            throw new IllegalStateException("cannot run " + loop + " while " + other + " runs on this thread");
        }
    }

    /** The loop closed: this thread no longer defaults to it, and call-graph dumps no longer show it. */
    void closed() {
        if (THREAD_DEFAULT.get() == loop) {
            THREAD_DEFAULT.remove();
        }
        CallGraphDump.closed(loop);
    }
}
