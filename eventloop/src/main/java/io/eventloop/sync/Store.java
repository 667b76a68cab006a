package io.eventloop.sync;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Where an {@link AsyncQueue} keeps its items: the order is the only thing its kinds differ in,
 * as asyncio's {@code Queue} subclasses override {@code _put} and {@code _get}.
 */
abstract class Store<T> {
    /** Stores an item that was put. */
    abstract void add(T item);

    /** Removes and returns the next item, or null if there is none. */
    abstract T take();

    /** Stores an item that was taken and not delivered, so that it is the next one taken. */
    abstract void giveBack(T item);

    abstract int size();

    abstract void clear();

    /** Throws if {@code item} can never be stored here, before anything is changed. */
    void check(T item) {
    }

    /**
     * First in, first out, or last in, first out: one deque, items added at the back and taken
     * from the front (FIFO) or the back (LIFO). An item given back goes where the next take reads.
     */
    static final class Ordered<T> extends Store<T> {
        private final ArrayDeque<T> items = new ArrayDeque<>();
        private final boolean lifo;

        Ordered(boolean lifo) {
            this.lifo = lifo;
        }

        @Override
        void add(T item) {
            items.addLast(item);
        }

        @Override
        T take() {
            return lifo ? items.pollLast() : items.pollFirst();
        }

        @Override
        void giveBack(T item) {
            if (lifo) {
                items.addLast(item);
            } else {
                items.addFirst(item);
            }
        }

        @Override
        int size() {
            return items.size();
        }

        @Override
        void clear() {
            items.clear();
        }
    }

    /** Smallest first, by a comparator or the natural order; equal items in no particular order. */
    static final class Priority<T> extends Store<T> {
        private final PriorityQueue<T> items;

        private final boolean natural;

        Priority(Comparator<? super T> order) {
            this.items = new PriorityQueue<>(order);
            this.natural = order == null;
        }

        @Override
        void check(T item) {
            if (natural && !(item instanceof Comparable)) {
                throw new ClassCastException(item.getClass().getName() + " is not Comparable; give the"
                        + " AsyncPriorityQueue a Comparator");
            }
        }

        @Override
        void add(T item) {
            items.add(item);
        }

        @Override
        T take() {
            return items.poll();
        }

        @Override
        void giveBack(T item) {
            items.add(item);
        }


        @Override
        int size() {
            return items.size();
        }

        @Override
        void clear() {
            items.clear();
        }
    }
}
