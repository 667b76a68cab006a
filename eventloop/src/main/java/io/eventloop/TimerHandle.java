package io.eventloop;

/**
 * A callback scheduled for a moment on the loop's clock: what {@link EventLoop#callLater} and
 * {@link EventLoop#callAt} return.
 *
 * <p>Like asyncio's {@code TimerHandle}. Unlike a plain {@link Handle}, {@link #cancel()} must be
 * called on the loop thread: a cancelled timer leaves the loop's timer heap at once (asyncio
 * leaves it there until it reaches the top or the heap is compacted), so a server that cancels
 * most of its timeouts keeps a heap of live timers only.
 */
public final class TimerHandle extends Handle {
    private final EventLoop loop;
    private final long when;
    /** Where the handle sits in the loop's {@link TimerHeap}, or -1 when it is not there. Loop thread only. */
    int heapIndex = -1;

    TimerHandle(EventLoop loop, long when, Runnable callback, Context context) {
        super(callback, context);
        this.loop = loop;
        this.when = when;
    }

    /**
     * The deadline, on the {@link EventLoop#time()} scale (nanoseconds).
     *
     * @return the deadline in nanoseconds
     */
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
            if (heapIndex >= 0) {
                loop.timerCancelled(this);
            }
        }
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when + ", " + (isCancelled() ? "cancelled" : String.valueOf(callback())) + "]";
    }
}
