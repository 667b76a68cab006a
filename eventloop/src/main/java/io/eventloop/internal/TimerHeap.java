package io.eventloop.internal;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * A binary min-heap of items ordered by (deadline, sequence number).
 *
 * <p>The sequence number is assigned here, in insertion order, so two items with the same
 * deadline come out in the order they went in. asyncio's {@code heapq} of {@code TimerHandle}
 * does not promise that; this heap does, because a reader of a timer test expects it.
 *
 * <p>Deadlines and sequence numbers live in parallel {@code long} arrays rather than in the
 * items, so sifting compares primitives and never calls a comparator. There is no removal of
 * an arbitrary item: the loop cancels timers lazily and compacts the heap with
 * {@link #removeIf} when cancelled items pass half of it (asyncio's rule).
 *
 * <p>Not thread-safe: confined to the loop thread.
 *
 * @param <E> the item type
 */
public final class TimerHeap<E> {
    private long[] deadlines = new long[16];
    private long[] sequences = new long[16];
    private Object[] items = new Object[16];
    private int size;
    private long nextSequence;

    /** Adds {@code item} due at {@code deadline}; equal deadlines keep insertion order. */
    public void add(long deadline, E item) {
        if (size == items.length) {
            int capacity = size * 2;
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            items = Arrays.copyOf(items, capacity);
        }
        siftUp(size++, deadline, nextSequence++, item);
    }

    /** Number of items, cancelled ones included. */
    public int size() {
        return size;
    }

    /** Whether the heap holds no item. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest item, or {@code null} when empty. */
    @SuppressWarnings("unchecked")
    public E peek() {
        return size == 0 ? null : (E) items[0];
    }

    /** The earliest deadline; only meaningful when not empty. */
    public long peekDeadline() {
        if (size == 0) {
            throw new NoSuchElementException("timer heap is empty");
        }
        return deadlines[0];
    }

    /** Removes and returns the earliest item, or {@code null} when empty. */
    @SuppressWarnings("unchecked")
    public E poll() {
        if (size == 0) {
            return null;
        }
        E first = (E) items[0];
        int last = --size;
        long d = deadlines[last];
        long s = sequences[last];
        Object item = items[last];
        items[last] = null;
        if (last > 0) {
            siftDown(0, d, s, item);
        }
        return first;
    }

    /**
     * Removes every item matching {@code filter} and rebuilds the heap in O(n).
     *
     * @return how many items were removed
     */
    @SuppressWarnings("unchecked")
    public int removeIf(Predicate<? super E> filter) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!filter.test((E) items[i])) {
                deadlines[kept] = deadlines[i];
                sequences[kept] = sequences[i];
                items[kept] = items[i];
                kept++;
            }
        }
        int removed = size - kept;
        Arrays.fill(items, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, deadlines[i], sequences[i], items[i]);
        }
        return removed;
    }

    /** The first item, in no particular order, that matches {@code filter}, or {@code null}. O(n): for reports. */
    @SuppressWarnings("unchecked")
    public E find(Predicate<? super E> filter) {
        for (int i = 0; i < size; i++) {
            if (filter.test((E) items[i])) {
                return (E) items[i];
            }
        }
        return null;
    }

    /** Drops every item. */
    public void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
    }

    private static boolean before(long d1, long s1, long d2, long s2) {
        return d1 < d2 || (d1 == d2 && s1 < s2);
    }

    private void siftUp(int i, long d, long s, Object item) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(d, s, deadlines[parent], sequences[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, d, s, item);
    }

    private void siftDown(int i, long d, long s, Object item) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(deadlines[right], sequences[right], deadlines[child], sequences[child])) {
                child = right;
            }
            if (!before(deadlines[child], sequences[child], d, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        put(i, d, s, item);
    }

    private void move(int from, int to) {
        deadlines[to] = deadlines[from];
        sequences[to] = sequences[from];
        items[to] = items[from];
    }

    private void put(int i, long d, long s, Object item) {
        deadlines[i] = d;
        sequences[i] = s;
        items[i] = item;
    }
}
