package io.eventloop.examples.kv;

import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes RESP replies into one buffer shared by every connection of the server (they take turns
 * on the loop thread), and hands it to a connection's transport in one write when the batch of
 * commands read together is done ({@link #flush()}), or sooner if it fills. Nothing is allocated
 * per reply: numbers are written digit by digit, constant replies are copied from constant
 * arrays. RESP2 or RESP3 is the connection's choice ({@code HELLO}); they differ here only in
 * null, map and push. Loop thread only.
 */
final class Reply {
    static final int CAPACITY = 64 * 1024;
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] NULL2 = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY2 = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");

    private final ByteBuffer out = ByteBuffer.allocate(CAPACITY);
    private KvConnection target;
    private boolean resp3;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Replies go to {@code connection} from now on. The buffer must have been flushed. */
    void begin(KvConnection connection) {
        target = connection;
        resp3 = connection.resp == 3;
    }

    /** The connection replies are going to. */
    KvConnection target() {
        return target;
    }

    boolean resp3() {
        return resp3;
    }

    /** Hands what was written to the connection's transport, then empties the buffer. */
    void flush() {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        target.send(out);
        out.clear();
    }

    private void room(int n) {
        if (out.remaining() < n) {
            flush();
        }
    }

    void raw(byte[] bytes) {
        if (bytes.length > CAPACITY) {
            flush();
            target.send(ByteBuffer.wrap(bytes));
            return;
        }
        room(bytes.length);
        out.put(bytes);
    }

    void ok() {
        raw(OK);
    }

    /** A simple string ({@code +text}); text must not hold CR or LF. */
    void simple(String text) {
        room(text.length() + 3);
        out.put((byte) '+');
        putAscii(text);
        out.put(CRLF);
    }

    /** An error reply: {@code text} begins with its code (ERR, WRONGTYPE, ...). Errors may allocate. */
    void error(String text) {
        raw(("-" + text.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void putAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
    }

    void integer(long v) {
        header(':', v);
    }

    void nil() {
        raw(resp3 ? NULL3 : NULL2);
    }

    void nilArray() {
        raw(resp3 ? NULL3 : NULL_ARRAY2);
    }

    void array(int n) {
        header('*', n);
    }

    /** A map of {@code n} pairs: RESP3's {@code %}, a flat array of 2n in RESP2. */
    void map(int n) {
        if (resp3) {
            header('%', n);
        } else {
            header('*', 2L * n);
        }
    }

    /** An out-of-band message (pub/sub): RESP3's {@code >}, an array in RESP2. */
    void push(int n) {
        header(resp3 ? '>' : '*', n);
    }

    void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    void bulk(byte[] value, int offset, int length) {
        if (length + 32 > out.remaining()) {
            flush();
            if (length + 32 > CAPACITY) {
                header('$', length);
                flush();
                target.send(ByteBuffer.wrap(value, offset, length));
                out.put(CRLF);
                return;
            }
        }
        header('$', length);
        out.put(value, offset, length);
        out.put(CRLF);
    }

    /** A bulk string of {@code length} bytes of {@code in} from {@code position}. */
    void bulk(ByteBuffer in, int position, int length) {
        if (length + 32 > out.remaining()) {
            flush();
            if (length + 32 > CAPACITY) {
                header('$', length);
                flush();
                target.send(in.duplicate().limit(position + length).position(position));
                out.put(CRLF);
                return;
            }
        }
        header('$', length);
        out.put(out.position(), in, position, length);
        out.position(out.position() + length);
        out.put(CRLF);
    }

    /** {@code prefix}, the decimal {@code v}, CRLF: no allocation. */
    private void header(char prefix, long v) {
        room(24);
        out.put((byte) prefix);
        if (v < 0) {
            out.put((byte) '-');
            if (v == Long.MIN_VALUE) {
                putAscii("9223372036854775808");
                out.put(CRLF);
                return;
            }
            v = -v;
        }
        if (v < 10) {
            out.put((byte) ('0' + v));
        } else {
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            int end = out.position() + digits;
            for (int i = end - 1; i >= out.position(); i--) {
                out.put(i, (byte) ('0' + v % 10));
                v /= 10;
            }
            out.position(end);
        }
        out.put(CRLF);
    }
}
