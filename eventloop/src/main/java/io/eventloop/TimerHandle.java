package io.eventloop;

/**
 * A callback scheduled for a moment on the loop's clock: what {@link EventLoop#callLater} and
 * {@link EventLoop#callAt} return.
 *
 * <p>Like asyncio's {@code TimerHandle}. Unlike a plain {@link Handle}, {@link #cancel()} must be
 * called on the loop thread: the loop counts cancelled timers to decide when to compact its
 * heap. A cancelled timer stays in the heap until it reaches the top or the heap is compacted,
 * but it never runs and no longer holds its callback.
 */
public final class TimerHandle extends Handle {
    private final EventLoop loop;
    private final long when;
    /** True while the handle sits in the loop's timer heap. Loop thread only. */
    boolean scheduled;

    TimerHandle(EventLoop loop, long when, Runnable callback) {
        super(callback);
        this.loop = loop;
        this.when = when;
    }

    /** The deadline, on the {@link EventLoop#time()} scale (nanoseconds). */
    public long when() {
        return when;
    }

    /**
     * Prevents the callback from running. Idempotent. Loop thread only.
     *
     * @throws IllegalStateException when called from another thread
     */
    @Override
    public void cancel() {
        loop.checkThread("TimerHandle.cancel");
        if (!isCancelled()) {
            super.cancel();
            if (scheduled) {
                loop.timerCancelled();
            }
        }
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when + ", " + (isCancelled() ? "cancelled" : String.valueOf(callback())) + "]";
    }
}
