package io.eventloop;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The loop's timers: a binary min-heap of {@link TimerHandle}s ordered by (deadline, sequence
 * number).
 *
 * <p>The sequence number is assigned here, in insertion order, so two timers with the same
 * deadline come out in the order they went in. asyncio's {@code heapq} of {@code TimerHandle}
 * does not promise that; this heap does, because a reader of a timer test expects it.
 *
 * <p>Deadlines and sequence numbers live in parallel {@code long} arrays rather than in the
 * handles, so sifting compares primitives and never calls a comparator. Each handle knows its
 * index ({@link TimerHandle#heapIndex}), so a cancelled timer leaves the heap at once, in
 * O(log n) (Netty's {@code DefaultPriorityQueue} does the same): the heap holds live timers only,
 * and nothing pops dead entries later.
 *
 * <p>Not thread-safe: confined to the loop thread.
 */
final class TimerHeap {
    private long[] deadlines = new long[16];
    private long[] sequences = new long[16];
    private TimerHandle[] items = new TimerHandle[16];
    private int size;
    private long nextSequence;

    /** Adds {@code timer}, due at its {@link TimerHandle#when()}; equal deadlines keep insertion order. */
    void add(TimerHandle timer) {
        if (timer.heapIndex >= 0) {
            throw new IllegalStateException(timer + " is already scheduled");
        }
        if (size == items.length) {
            int capacity = size * 2;
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
            items = Arrays.copyOf(items, capacity);
        }
        siftUp(size++, timer.when(), nextSequence++, timer);
    }

    /** Number of timers in the heap. */
    int size() {
        return size;
    }

    /** Whether the heap holds no timer. */
    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest timer, or {@code null} when empty. */
    TimerHandle peek() {
        return size == 0 ? null : items[0];
    }

    /** The earliest deadline; only meaningful when not empty. */
    long peekDeadline() {
        if (size == 0) {
            throw new NoSuchElementException("timer heap is empty");
        }
        return deadlines[0];
    }

    /** Removes and returns the earliest timer, or {@code null} when empty. */
    TimerHandle poll() {
        if (size == 0) {
            return null;
        }
        TimerHandle first = items[0];
        removeAt(0);
        return first;
    }

    /**
     * Removes {@code timer} wherever it is in the heap.
     *
     * @return false if it was not in this heap
     */
    boolean remove(TimerHandle timer) {
        int i = timer.heapIndex;
        if (i < 0 || i >= size || items[i] != timer) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Takes the item at {@code i} out and fills its place with the last item, sifted either way. */
    private void removeAt(int i) {
        items[i].heapIndex = -1;
        int last = --size;
        long d = deadlines[last];
        long s = sequences[last];
        TimerHandle moved = items[last];
        items[last] = null;
        if (i == last) {
            return;
        }
        if (i > 0 && before(d, s, deadlines[(i - 1) >>> 1], sequences[(i - 1) >>> 1])) {
            siftUp(i, d, s, moved);
        } else {
            siftDown(i, d, s, moved);
        }
    }

    /** The first timer, in no particular order, that matches {@code filter}, or {@code null}. O(n): for reports. */
    TimerHandle find(Predicate<? super TimerHandle> filter) {
        for (int i = 0; i < size; i++) {
            if (filter.test(items[i])) {
                return items[i];
            }
        }
        return null;
    }

    /** Drops every timer. */
    void clear() {
        for (int i = 0; i < size; i++) {
            items[i].heapIndex = -1;
            items[i] = null;
        }
        size = 0;
    }

    /** Whether every parent is before its children and every handle knows its index. For tests. */
    boolean isConsistent() {
        for (int i = 0; i < size; i++) {
            if (items[i].heapIndex != i || deadlines[i] != items[i].when()) {
                return false;
            }
            int parent = (i - 1) >>> 1;
            if (i > 0 && before(deadlines[i], sequences[i], deadlines[parent], sequences[parent])) {
                return false;
            }
        }
        return true;
    }

    private static boolean before(long d1, long s1, long d2, long s2) {
        return d1 < d2 || (d1 == d2 && s1 < s2);
    }

    private void siftUp(int i, long d, long s, TimerHandle item) {
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

    private void siftDown(int i, long d, long s, TimerHandle item) {
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
        put(to, deadlines[from], sequences[from], items[from]);
    }

    private void put(int i, long d, long s, TimerHandle item) {
        deadlines[i] = d;
        sequences[i] = s;
        items[i] = item;
        item.heapIndex = i;
    }
}
