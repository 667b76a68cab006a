package io.eventloop.sync;

/**
 * A semaphore that refuses to be released more often than it was acquired: asyncio's
 * {@code asyncio.BoundedSemaphore}. Use it when the permits stand for a fixed pool, so that a
 * double release is a bug caught at once rather than a pool that silently grows.
 *
 * <p><b>Compared with asyncio:</b> the over-release raises {@link IllegalStateException}
 * (asyncio's {@code ValueError}), and changes nothing.
 */
public final class AsyncBoundedSemaphore extends AsyncSemaphore {
    private final int bound;

    /**
     * A semaphore with {@code permits} free permits, never more.
     *
     * @param permits how many permits are free at first, and the most there may ever be
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public AsyncBoundedSemaphore(int permits) {
        super(permits);
        this.bound = permits;
    }

    /**
     * Returns a permit.
     *
     * @throws IllegalStateException if every permit is already free (released too many times)
     */
    @Override
    public void release() {
        loop("AsyncBoundedSemaphore.release");
        if (available() >= bound) {
            throw new IllegalStateException("release() of " + this + ": released more times than acquired");
        }
        super.release();
    }

    /**
     * The number of permits the semaphore was created with.
     *
     * @return the bound
     */
    public int bound() {
        return bound;
    }
}
