package io.eventloop;

/**
 * The loop's ready queue: a FIFO of callbacks in chunks of {@value #CHUNK} slots, each chunk
 * reused {@value #USES} times at most and then dropped, rather than one ring buffer reused forever.
 *
 * <p>Why not {@link java.util.ArrayDeque}: a ring that lives as long as the loop is promoted to
 * the old generation, and then every {@code callSoon} stores a young {@link Handle} into an old
 * array. Under G1 that store takes the slow half of the write barrier (a card to dirty and refine),
 * which measured about 3.7 ns of a 9 ns callback (docs/benchmarks.md, "Per-callback cost"). A
 * chunk here lives for {@value #USES} × {@value #CHUNK} callbacks: a program that allocates per
 * callback (a {@code Handle} each) collects its young generation far more often than that, so its
 * chunks are young when they are filled; a server that allocates nothing per request allocates
 * one 4 KiB chunk per 65,536 callbacks (0.06 bytes each).
 *
 * <p>Loop thread only. Compared with asyncio: its {@code _ready} {@code collections.deque} is
 * also a list of fixed-size blocks.
 */
final class ReadyQueue {
    /** Slots per chunk. */
    static final int CHUNK = 1024;
    /** How many times a chunk is filled and drained before it is dropped. */
    static final int USES = 64;

    /** A block of slots, filled front to back, then read front to back, up to {@link #USES} times. */
    private static final class Chunk {
        final Runnable[] slots = new Runnable[CHUNK];
        Chunk next;
        int uses;
    }

    /** The chunk the next {@link #poll()} reads from, and where in it. */
    private Chunk head = new Chunk();
    private int headIndex;
    /** The chunk the next {@link #add} writes to, and where in it. */
    private Chunk tail = head;
    private int tailIndex;
    private int size;
    /** A drained chunk kept for the next fill, or null. */
    private Chunk spare;

    /** Appends {@code callback}. */
    void add(Runnable callback) {
        if (tailIndex == CHUNK) {
            Chunk c = spare != null ? spare : new Chunk();
            spare = null;
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
            Chunk drained = head;
            head = drained.next;
            headIndex = 0;
            drained.next = null;
            if (++drained.uses < USES) {
                spare = drained; // its slots were cleared as they were read
            }
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
        spare = null;
        head = tail = new Chunk();
        headIndex = 0;
        tailIndex = 0;
        size = 0;
    }
}
