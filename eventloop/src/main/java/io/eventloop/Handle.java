package io.eventloop;

/**
 * A scheduled callback that can be cancelled before it runs: what {@link EventLoop#callSoon}
 * and {@link EventLoop#callSoonThreadsafe} return.
 *
 * <p>Like asyncio's {@code Handle}. {@link #cancel()} may be called from any thread (the flag
 * is volatile); cancelling drops the reference to the callback so it can be collected at once.
 * Compared with a {@code java.util.concurrent.Future} from an executor, a handle carries no
 * result: it only runs or doesn't.
 */
public class Handle implements Runnable {
    /**
     * The callback; {@code null} once cancelled. A plain field: a volatile one would put a fence
     * in every handle's constructor, the cost of each callSoon (docs/benchmarks.md). A cancel from
     * another thread is published by {@link #cancelled}, which {@link #run()} reads first.
     */
    private Runnable callback;
    /** Written by any thread; never written in the constructor, so creating a handle is fence-free. */
    private volatile boolean cancelled;
    /**
     * The {@link TaskLocal} values the callback runs with: those current when it was scheduled
     * (asyncio's {@code Handle._context}); null for none. Plain, like {@link #callback}.
     */
    Context context;

    Handle(Runnable callback) {
        this.callback = callback;
    }

    Handle(Runnable callback, Context context) {
        this.callback = callback;
        this.context = context;
    }

    /**
     * Prevents the callback from running if it has not run yet. Idempotent.
     */
    public void cancel() {
        callback = null;
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once the handle is cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs the callback unless cancelled. The loop calls this; user code has no reason to.
     */
    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        Runnable cb = callback;
        if (cb == null) {
            return;
        }
        if (context == null) {
            cb.run();
        } else {
            Context.runCallback(context, cb);
        }
    }

    /** The callback, or {@code null} once cancelled. */
    Runnable callback() {
        return cancelled ? null : callback;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(callback)) + "]";
    }
}
