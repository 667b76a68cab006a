package io.eventloop.sync;

/**
 * The FIFO of waiters of one primitive: an intrusive doubly linked list, so a cancelled waiter
 * leaves in O(1) from anywhere in it (asyncio removes from a deque in O(n)). A waiter is in at
 * most one list at a time. Loop thread only.
 *
 * @param <W> the kind of waiter
 */
final class WaitList<W extends Waiter<?>> {
    private Waiter<?> head;
    private Waiter<?> tail;
    private int size;

    /** Appends {@code w}, which must not be in a list. */
    void add(W w) {
        w.list = this;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    /** Removes and returns the first waiter, or null if there is none. */
    @SuppressWarnings("unchecked")
    W poll() {
        Waiter<?> w = head;
        if (w != null) {
            unlink(w);
        }
        return (W) w;
    }

    /** Removes {@code w} if it is in this list. */
    void unlink(Waiter<?> w) {
        if (w.list != this) {
            return;
        }
        Waiter<?> p = w.prev;
        Waiter<?> n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.list = null;
        w.prev = null;
        w.next = null;
        size--;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
