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
    /** The callback; {@code null} once cancelled. Written by any thread, read by the loop. */
    private volatile Runnable callback;
    private volatile boolean cancelled;

    Handle(Runnable callback) {
        this.callback = callback;
    }

    /**
     * Prevents the callback from running if it has not run yet. Idempotent.
     */
    public void cancel() {
        cancelled = true;
        callback = null;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs the callback unless cancelled. The loop calls this; user code has no reason to.
     */
    @Override
    public void run() {
        Runnable cb = callback; // null once cancelled
        if (cb != null) {
            cb.run();
        }
    }

    /** The callback, or {@code null} once cancelled. */
    Runnable callback() {
        return callback;
    }

    @Override
    public String toString() {
        Runnable cb = callback;
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(cb)) + "]";
    }
}
