package io.eventloop.examples.kv;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The server's one map: byte-string keys to values ({@code byte[]} for strings, {@link ByteList}
 * for lists), each with an optional deadline. Laid out as CPython's compact dict: entries live in
 * dense parallel arrays ({@link #keys}, {@link #values}, {@link #deadlines}), and an
 * open-addressing index of entry numbers (linear probing, deleted with a backward shift, so no
 * tombstones) finds them. A key is looked up straight from the bytes of the request (a
 * {@link ByteBuffer} range), so a GET allocates nothing.
 *
 * <p>The keys that have a deadline are also listed in {@link #withDeadline}, so the active expiry
 * cycle samples among them only, as Redis samples its {@code expires} dict; an entry knows its
 * place in that list ({@link #deadlineSlot}), and deletion swaps the last entry into the hole, so
 * every operation stays O(1).
 *
 * <p>Deadlines are milliseconds on the loop's clock ({@code loop.time() / 1_000_000}), so the
 * fake clock of the tests drives expiry. Loop thread only.
 */
final class Keyspace {
    /** A deadline meaning "no expiry" (PERSIST). */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int EMPTY = -1;

    private byte[][] keys = new byte[16][];
    private Object[] values = new Object[16];
    private long[] deadlines = new long[16];
    private int[] hashes = new int[16];
    /** Where each entry is in {@link #withDeadline}, or -1. */
    private int[] deadlineSlot = new int[16];
    private int size;

    /** Entry numbers, or {@link #EMPTY}; its length is a power of two at least twice {@link #size}. */
    private int[] index = filled(32);

    /** The entries that have a deadline, densely. */
    private int[] withDeadline = new int[16];
    private int deadlineCount;

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    /** The hash of {@code len} bytes of {@code buf} from {@code pos}: FNV-1a, then a final mix. */
    static int hash(ByteBuffer buf, int pos, int len) {
        int h = 0x811c9dc5;
        for (int i = pos, end = pos + len; i < end; i++) {
            h = (h ^ buf.get(i)) * 0x01000193;
        }
        return mix(h);
    }

    /** {@link #hash(ByteBuffer, int, int)} of a whole array. */
    static int hash(byte[] key) {
        int h = 0x811c9dc5;
        for (byte b : key) {
            h = (h ^ b) * 0x01000193;
        }
        return mix(h);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    /** The number of keys, expired ones not yet removed included (as Redis's DBSIZE). */
    int size() {
        return size;
    }

    /** How many keys have a deadline. */
    int deadlineCount() {
        return deadlineCount;
    }

    /**
     * The entry for the key in {@code buf[pos, pos + len)}, or -1; a key past its deadline at
     * {@code nowMs} is removed here and reported absent (lazy expiry).
     */
    int find(ByteBuffer buf, int pos, int len, long nowMs) {
        int h = hash(buf, pos, len);
        int mask = index.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot];
            if (e == EMPTY) {
                return -1;
            }
            if (hashes[e] == h && equal(keys[e], buf, pos, len)) {
                if (deadlines[e] <= nowMs) {
                    remove(e);
                    return -1;
                }
                return e;
            }
        }
    }

    private static boolean equal(byte[] key, ByteBuffer buf, int pos, int len) {
        if (key.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key[i] != buf.get(pos + i)) {
                return false;
            }
        }
        return true;
    }

    /** Adds a key known to be absent, with no deadline; returns its entry. */
    int add(byte[] key, Object value) {
        if (size == keys.length) {
            grow();
        }
        int h = hash(key);
        int e = size++;
        keys[e] = key;
        values[e] = value;
        hashes[e] = h;
        deadlines[e] = NO_DEADLINE;
        deadlineSlot[e] = -1;
        int mask = index.length - 1;
        int slot = h & mask;
        while (index[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        index[slot] = e;
        return e;
    }

    private void grow() {
        int n = keys.length * 2;
        keys = Arrays.copyOf(keys, n);
        values = Arrays.copyOf(values, n);
        deadlines = Arrays.copyOf(deadlines, n);
        hashes = Arrays.copyOf(hashes, n);
        deadlineSlot = Arrays.copyOf(deadlineSlot, n);
        index = filled(n * 2);
        int mask = index.length - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (index[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            index[slot] = e;
        }
    }

    /** Removes entry {@code e}; the last entry takes its number. */
    void remove(int e) {
        setDeadline(e, NO_DEADLINE);
        int mask = index.length - 1;
        int slot = slotOf(e);
        // Backward-shift deletion: pull later members of the probe run into the hole.
        int hole = slot;
        for (int next = (hole + 1) & mask; index[next] != EMPTY; next = (next + 1) & mask) {
            int home = hashes[index[next]] & mask;
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = EMPTY;
        int last = --size;
        if (e != last) {
            index[slotOf(last)] = e;
            keys[e] = keys[last];
            values[e] = values[last];
            hashes[e] = hashes[last];
            deadlines[e] = deadlines[last];
            deadlineSlot[e] = deadlineSlot[last];
            if (deadlineSlot[e] >= 0) {
                withDeadline[deadlineSlot[e]] = e;
            }
        }
        keys[last] = null;
        values[last] = null;
    }

    private int slotOf(int e) {
        int mask = index.length - 1;
        int slot = hashes[e] & mask;
        while (index[slot] != e) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    byte[] key(int e) {
        return keys[e];
    }

    Object value(int e) {
        return values[e];
    }

    void setValue(int e, Object value) {
        values[e] = value;
    }

    long deadline(int e) {
        return deadlines[e];
    }

    /** Sets or clears ({@link #NO_DEADLINE}) entry {@code e}'s deadline, keeping {@link #withDeadline} in step. */
    void setDeadline(int e, long deadlineMs) {
        boolean had = deadlines[e] != NO_DEADLINE;
        deadlines[e] = deadlineMs;
        boolean has = deadlineMs != NO_DEADLINE;
        if (has && !had) {
            if (deadlineCount == withDeadline.length) {
                withDeadline = Arrays.copyOf(withDeadline, deadlineCount * 2);
            }
            deadlineSlot[e] = deadlineCount;
            withDeadline[deadlineCount++] = e;
        } else if (had && !has) {
            int at = deadlineSlot[e];
            int moved = withDeadline[--deadlineCount];
            withDeadline[at] = moved;
            deadlineSlot[moved] = at;
            deadlineSlot[e] = -1;
        }
    }

    /** The {@code i}th entry that has a deadline, {@code 0 <= i < deadlineCount()}. */
    int entryWithDeadline(int i) {
        return withDeadline[i];
    }

    /** Removes every key. */
    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        Arrays.fill(index, EMPTY);
        size = 0;
        deadlineCount = 0;
    }
}
