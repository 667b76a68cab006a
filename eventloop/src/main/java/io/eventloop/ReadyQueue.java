package io.eventloop;

/**
 * The loop's ready queue: a FIFO of callbacks in chunks of {@value #CHUNK} slots, each chunk used
 * once and then dropped, rather than one ring buffer reused forever.
 *
 * <p>Why not {@link java.util.ArrayDeque}: a ring that lives as long as the loop is promoted to
 * the old generation, and then every {@code callSoon} stores a young {@link Handle} into an old
 * array. Under G1 that store takes the slow half of the write barrier (a card to dirty and refine),
 * which measured about 3.7 ns of a 9 ns callback (docs/benchmarks.md, "Per-callback cost"). A
 * chunk here is young when it is filled and garbage once it is drained, so the stores stay young
 * to young. The price is one 4 KiB allocation per 1,024 callbacks.
 *
 * <p>Loop thread only. Compared with asyncio: its {@code _ready} {@code collections.deque} is
 * also a list of fixed-size blocks.
 */
final class ReadyQueue {
    /** Slots per chunk. */
    static final int CHUNK = 1024;

    /** A block of slots, filled front to back once, then read front to back once. */
    private static final class Chunk {
        final Runnable[] slots = new Runnable[CHUNK];
        Chunk next;
    }

    /** The chunk the next {@link #poll()} reads from, and where in it. */
    private Chunk head = new Chunk();
    private int headIndex;
    /** The chunk the next {@link #add} writes to, and where in it. */
    private Chunk tail = head;
    private int tailIndex;
    private int size;

    /** Appends {@code callback}. */
    void add(Runnable callback) {
        if (tailIndex == CHUNK) {
            Chunk c = new Chunk();
            tail.next = c;
            tail = c;
            tailIndex = 0;
        }
        tail.slots[tailIndex++] = callback;
        size++;
    }

    /** Removes and returns the oldest callback, or {@code null} when empty. */
    Runnable poll() {
        if (size == 0) {
            return null;
        }
        if (headIndex == CHUNK) {
            head = head.next; // the drained chunk becomes garbage
            headIndex = 0;
        }
        Runnable r = head.slots[headIndex];
        head.slots[headIndex++] = null;
        size--;
        return r;
    }

    /** Number of callbacks queued. */
    int size() {
        return size;
    }

    /** Whether nothing is queued. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Drops every callback. */
    void clear() {
        head = tail = new Chunk();
        headIndex = 0;
        tailIndex = 0;
        size = 0;
    }
}
