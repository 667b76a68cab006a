package io.eventloop.redis;

import java.util.Arrays;

/**
 * The commands of one loop iteration, encoded as RESP arrays of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) back to back, waiting for the iteration's one write:
 * the buffer behind automatic pipelining. Loop-thread confined.
 *
 * <p>Compared with redis-py's {@code pack_commands}: the same encoding, into one growing array
 * instead of a list of chunks joined at the end.
 */
final class CommandBuffer {
    /** What the buffer shrinks back to after a batch larger than {@link #KEEP}. */
    private static final int INITIAL = 4 * 1024;
    /** A buffer this large is kept between batches; a larger one is dropped after its write. */
    private static final int KEEP = 1024 * 1024;

    private byte[] bytes = new byte[INITIAL];
    private int size;

    /** Appends one command, its arguments as the bytes they are. */
    void append(byte[][] args) {
        int need = 16;
        for (byte[] a : args) {
            need += a.length + 16;
        }
        ensure(need);
        header('*', args.length);
        for (byte[] a : args) {
            header('$', a.length);
            System.arraycopy(a, 0, bytes, size, a.length);
            size += a.length;
            bytes[size++] = '\r';
            bytes[size++] = '\n';
        }
    }

    private void header(char kind, int n) {
        bytes[size++] = (byte) kind;
        if (n == 0) {
            bytes[size++] = '0';
        } else {
            int start = size;
            for (int v = n; v > 0; v /= 10) {
                bytes[size++] = (byte) ('0' + v % 10);
            }
            for (int i = start, j = size - 1; i < j; i++, j--) { // the digits came out backwards
                byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
        }
        bytes[size++] = '\r';
        bytes[size++] = '\n';
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            long want = Math.max((long) bytes.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a batch of commands over 2 GiB: " + size + " bytes plus " + more);
            }
            bytes = Arrays.copyOf(bytes, (int) want);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    /** Empties the buffer after its bytes were written (the transport copied what it kept). */
    void clear() {
        size = 0;
        if (bytes.length > KEEP) {
            bytes = new byte[INITIAL];
        }
    }
}
