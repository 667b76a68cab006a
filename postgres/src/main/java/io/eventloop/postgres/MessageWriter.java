package io.eventloop.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The frontend messages of one batch, encoded back to back into one growable array: what a loop
 * iteration hands to the transport in one write. A message is begun with {@link #begin(byte)},
 * which leaves room for its length, and ended with {@link #end()}, which fills it in. A message
 * that fails half-way (a parameter that cannot be encoded) is taken back with {@link #rewind(int)}
 * to the {@link #size()} before it, so the batch never holds half a message.
 */
final class MessageWriter {
    private byte[] buf = new byte[1024];
    private int size;
    private int start = -1;   // where the current message's length field is; -1: none open

    void begin(byte type) {
        ensure(5);
        buf[size++] = type;
        start = size;
        size += 4;
    }

    /** A message with no type byte: StartupMessage, SSLRequest, CancelRequest. */
    void beginUntyped() {
        ensure(4);
        start = size;
        size += 4;
    }

    void end() {
        int length = size - start;
        putIntAt(start, length);
        start = -1;
    }

    void int8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void int16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void int32(int v) {
        ensure(4);
        putIntAt(size, v);
        size += 4;
    }

    void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** A NUL-terminated UTF-8 string; a NUL inside it is refused (the server would cut the text there). */
    void cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("a string sent to the server contains a NUL character: "
                        + abbreviate(s));
            }
        }
        bytes(b);
        int8(0);
    }

    /** Reserves four bytes for a length to be filled in by {@link #putIntAt}; returns their position. */
    int reserveInt() {
        ensure(4);
        int at = size;
        size += 4;
        return at;
    }

    void putIntAt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    int size() {
        return size;
    }

    /** Takes back everything written after {@code mark} (a {@link #size()}). */
    void rewind(int mark) {
        size = mark;
        start = -1;
    }

    boolean isEmpty() {
        return size == 0;
    }

    byte[] array() {
        return buf;
    }

    /** Empties the batch; a large array is let go, so one big batch does not keep its memory. */
    void clear() {
        size = 0;
        start = -1;
        if (buf.length > 1 << 20) {
            buf = new byte[1024];
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the messages of one batch would exceed 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
