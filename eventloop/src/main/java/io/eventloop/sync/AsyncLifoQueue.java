package io.eventloop.sync;

/**
 * A last-in, first-out queue between tasks: asyncio's {@code asyncio.LifoQueue}. Everything else
 * (waiting, fairness among getters and putters, cancellation, {@code taskDone}/{@code join},
 * shutdown) is {@link AsyncQueue}'s; an item given back by a cancelled getter is again the
 * first out.
 *
 * <p><b>Compared with {@code java.util.concurrent.LinkedBlockingDeque} used as a stack:</b> no
 * thread blocks. Loop thread only.
 *
 * @param <T> the item type
 */
public final class AsyncLifoQueue<T> extends AsyncQueue<T> {
    /** An unbounded LIFO queue. */
    public AsyncLifoQueue() {
        this(0);
    }

    /**
     * A LIFO queue of at most {@code maxSize} items; 0 means unbounded.
     *
     * @param maxSize the most items the queue holds before puts wait; 0 for no limit
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public AsyncLifoQueue(int maxSize) {
        super(maxSize, new Store.Ordered<>(true));
    }
}
