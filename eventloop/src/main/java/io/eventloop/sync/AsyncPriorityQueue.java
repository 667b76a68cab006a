package io.eventloop.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A queue that gives out its smallest item first: asyncio's {@code asyncio.PriorityQueue}.
 * Items are ordered by a {@link Comparator}, or by their natural order; equal items come out in
 * no particular order (as in asyncio, put {@code (priority, sequence, item)}-like keys to make
 * them FIFO). Everything else is {@link AsyncQueue}'s.
 *
 * <p><b>Compared with {@code java.util.concurrent.PriorityBlockingQueue}:</b> it can be bounded,
 * and no thread blocks. Loop thread only.
 *
 * @param <T> the item type
 */
public final class AsyncPriorityQueue<T> extends AsyncQueue<T> {
    /**
     * An unbounded queue ordered by the items' natural order; items must be {@link Comparable}
     * (a put of another item fails with {@link ClassCastException}).
     */
    public AsyncPriorityQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxSize} items (0: unbounded) in the items' natural order.
     *
     * @param maxSize the most items the queue holds before puts wait; 0 for no limit
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public AsyncPriorityQueue(int maxSize) {
        super(maxSize, new Store.Priority<T>(null));
    }

    /**
     * A queue of at most {@code maxSize} items (0: unbounded), smallest by {@code order} first.
     *
     * @param maxSize the most items the queue holds before puts wait; 0 for no limit
     * @param order the order of the items: the smallest is taken first
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public AsyncPriorityQueue(int maxSize, Comparator<? super T> order) {
        super(maxSize, new Store.Priority<T>(Objects.requireNonNull(order, "order")));
    }
}
