package io.eventloop.examples.kv;

/**
 * A list value: a ring buffer of byte strings, so LPUSH, RPUSH, LPOP and RPOP are O(1) and
 * LRANGE indexes directly ({@code ArrayDeque} has no {@code get(i)}). Loop thread only.
 */
final class ByteList {
    private byte[][] items = new byte[8][];
    private int head;
    private int size;

    int size() {
        return size;
    }

    /** The element at {@code i}, {@code 0 <= i < size()}. */
    byte[] get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    void addFirst(byte[] item) {
        growIfFull();
        head = (head - 1) & (items.length - 1);
        items[head] = item;
        size++;
    }

    void addLast(byte[] item) {
        growIfFull();
        items[(head + size) & (items.length - 1)] = item;
        size++;
    }

    /** Removes and returns the first element; the list must not be empty. */
    byte[] removeFirst() {
        byte[] item = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        return item;
    }

    /** Removes and returns the last element; the list must not be empty. */
    byte[] removeLast() {
        int at = (head + size - 1) & (items.length - 1);
        byte[] item = items[at];
        items[at] = null;
        size--;
        return item;
    }

    private void growIfFull() {
        if (size < items.length) {
            return;
        }
        byte[][] bigger = new byte[items.length * 2][];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
    }
}
