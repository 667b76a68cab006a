package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * An incremental RESP2 and RESP3 parser: feed it the bytes of each {@code dataReceived} as they
 * come, split anywhere, and it hands each complete top-level reply to its sink. Partial state
 * (half a length line, half a bulk string, the open arrays around it) is kept between calls, so
 * nothing is re-parsed and nothing waits for a whole reply to be in one buffer.
 *
 * <pre>
 *              type byte           line ends (CRLF)
 *   ┌──&gt; TYPE ───────────&gt; LINE ──────────────────┬──&gt; value ──┐  (+ - : , # ( _ and lengths -1)
 *   │                                             │            │
 *   │                          $ ! = with length n└──&gt; BULK ───┤  n bytes straight into a new byte[n],
 *   │                                                  then CR LF  the only copy of a bulk string
 *   │                          * % ~ | &gt; with count └──&gt; push a frame (0 elements: a value at once)
 *   └────────────── a value fills the top frame? pop it: it is a value; none open: deliver it
 * </pre>
 *
 * <p>Limits, each checked on the length line, before anything is allocated: a bulk string longer
 * than {@code maxBulkLength}, an aggregate of more than {@code maxArrayLength} elements, nesting
 * deeper than {@code maxDepth}, and a simple line longer than {@link #MAX_LINE} fail with a
 * {@link RedisProtocolException} naming the limit. After any failure the parser is spent: the
 * connection is closed.
 *
 * <p>Compared with hiredis's reader (what redis-py uses when installed): the same design, a stack
 * of open aggregates and a position, with the same three limits; hiredis grows one buffer with
 * everything unparsed and copies each bulk string out of it, here a bulk string is copied once
 * from the loop's read buffer into its final array. One parser per connection, loop thread only.
 */
final class RespParser {
    /** The longest simple string, error, number or length line: 64 KiB, far beyond any server's. */
    static final int MAX_LINE = 64 * 1024;

    private enum State { TYPE, LINE, BULK, BULK_CR, BULK_LF }

    /** An aggregate being filled: its RESP type and the elements it still expects. */
    private static final class Frame {
        final byte type;
        final List<Object> elements;
        long missing;

        Frame(byte type, long count) {
            this.type = type;
            this.missing = count;
            this.elements = new ArrayList<>((int) Math.min(count, 1024)); // a count is a claim, not memory
        }
    }

    private final int maxBulkLength;
    private final int maxDepth;
    private final int maxArrayLength;
    private final Consumer<Object> sink;

    // Loop-thread confined, like the connection that owns the parser.
    private State state = State.TYPE;
    private byte type;                                  // of the value being read
    private byte[] line = new byte[64];                 // the current line, without CRLF
    private int lineLength;
    private boolean sawCr;
    private byte[] bulk;                                // the bulk string being filled, its final array
    private int bulkFilled;
    private final ArrayList<Frame> stack = new ArrayList<>();
    private boolean failed;

    /**
     * A parser that gives each top-level reply to {@code sink}: a raw value as {@link Resp}
     * documents ({@code null} for RESP's null).
     */
    RespParser(int maxBulkLength, int maxDepth, int maxArrayLength, Consumer<Object> sink) {
        this.maxBulkLength = maxBulkLength;
        this.maxDepth = maxDepth;
        this.maxArrayLength = maxArrayLength;
        this.sink = sink;
    }

    /**
     * Parses {@code data}'s remaining bytes, all of them, handing each reply that completes to the
     * sink (which may be called several times, or not at all).
     *
     * @throws RedisProtocolException if the bytes are not RESP or break a limit; the parser is
     *     unusable afterwards
     */
    void feed(ByteBuffer data) throws RedisProtocolException {
        if (failed) {
            throw new RedisProtocolException("the parser failed earlier: the connection should have been closed");
        }
        try {
            while (data.hasRemaining()) {
                switch (state) {
                    case TYPE -> {
                        type = data.get();
                        lineLength = 0;
                        sawCr = false;
                        state = State.LINE;
                    }
                    case LINE -> readLine(data);
                    case BULK -> {
                        int n = Math.min(data.remaining(), bulk.length - bulkFilled);
                        data.get(bulk, bulkFilled, n);
                        bulkFilled += n;
                        if (bulkFilled == bulk.length) {
                            state = State.BULK_CR;
                        }
                    }
                    case BULK_CR -> {
                        expect(data.get(), '\r', "a bulk string's CR");
                        state = State.BULK_LF;
                    }
                    case BULK_LF -> {
                        expect(data.get(), '\n', "a bulk string's LF");
                        state = State.TYPE;
                        byte[] b = bulk;
                        bulk = null;
                        value(switch (type) {
                            case '!' -> new Resp.Error(new String(b, UTF_8));
                            case '=' -> new Resp.Verbatim(b);
                            default -> b;
                        });
                    }
                }
            }
        } catch (RedisProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /** Reads up to the end of the line, then acts on it. */
    private void readLine(ByteBuffer data) throws RedisProtocolException {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (sawCr) {
                expect(b, '\n', "LF after CR");
                state = State.TYPE; // unless line() starts a bulk string
                line();
                return;
            }
            if (b == '\r') {
                sawCr = true;
            } else {
                if (lineLength == MAX_LINE) {
                    throw new RedisProtocolException("a line of type '" + (char) type + "' longer than " + MAX_LINE
                            + " bytes: not a Redis server, or a broken one");
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE));
                }
                line[lineLength++] = b;
            }
        }
    }

    private void line() throws RedisProtocolException {
        switch (type) {
            case '+' -> value(lineText());
            case '-' -> value(new Resp.Error(lineText()));
            case ':' -> value(lineLong());
            case '_' -> value(null);
            case '#' -> {
                String t = lineText();
                if (!t.equals("t") && !t.equals("f")) {
                    throw new RedisProtocolException("a boolean that is neither t nor f: " + t);
                }
                value(t.equals("t"));
            }
            case ',' -> value(lineDouble());
            case '(' -> {
                try {
                    value(new BigInteger(lineText()));
                } catch (NumberFormatException e) {
                    throw new RedisProtocolException("a big number that is not a number: " + lineText());
                }
            }
            case '$', '!', '=' -> {
                long n = lineLong();
                if (n == -1 && type == '$') {
                    value(null);
                } else if (n < 0) {
                    throw new RedisProtocolException("a negative length " + n + " for type '" + (char) type + "'");
                } else if (n > maxBulkLength) {
                    throw new RedisProtocolException("a bulk string of " + n + " bytes is over the limit of "
                            + maxBulkLength + " (RedisOptions.maxBulkLength)");
                } else {
                    bulk = new byte[(int) n];
                    bulkFilled = 0;
                    state = n == 0 ? State.BULK_CR : State.BULK;
                }
            }
            case '*', '%', '~', '|', '>' -> {
                long n = lineLong();
                if (n == -1 && type == '*') {
                    value(null);
                    return;
                }
                if (n < 0) {
                    throw new RedisProtocolException("a negative count " + n + " for type '" + (char) type + "'");
                }
                long elements = type == '%' || type == '|' ? 2 * n : n;
                if (elements > maxArrayLength) {
                    throw new RedisProtocolException("an aggregate of " + elements + " elements is over the limit of "
                            + maxArrayLength + " (RedisOptions.maxArrayLength)");
                }
                if (stack.size() == maxDepth) {
                    throw new RedisProtocolException("aggregates nested deeper than " + maxDepth
                            + " (RedisOptions.maxDepth)");
                }
                Frame f = new Frame(type, elements);
                if (elements == 0) {
                    value(complete(f));
                } else {
                    stack.add(f);
                }
            }
            default -> throw new RedisProtocolException("not a RESP type byte: 0x"
                    + Integer.toHexString(type & 0xff) + " ('" + (char) (type & 0xff) + "')");
        }
    }

    /** A value is complete: it fills its aggregate, or it is a reply. */
    private void value(Object v) {
        while (!stack.isEmpty()) {
            Frame top = stack.get(stack.size() - 1);
            top.elements.add(v);
            if (--top.missing > 0) {
                return;
            }
            stack.remove(stack.size() - 1);
            if (top.type == '|') {
                return; // an attribute describes the value after it, which is what callers want
            }
            v = complete(top);
        }
        sink.accept(v);
    }

    private static Object complete(Frame f) {
        return switch (f.type) {
            case '%' -> new Resp.MapReply(f.elements);
            case '~' -> new Resp.SetReply(f.elements);
            case '>' -> new Resp.Push(f.elements);
            default -> f.elements;
        };
    }

    private String lineText() {
        return new String(line, 0, lineLength, UTF_8);
    }

    private long lineLong() throws RedisProtocolException {
        if (lineLength == 0 || lineLength > 20) {
            throw new RedisProtocolException("not a number after '" + (char) type + "': \"" + lineText() + "\"");
        }
        boolean negative = line[0] == '-';
        long v = 0;
        for (int i = negative ? 1 : 0; i < lineLength; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9 || (negative && lineLength == 1)) {
                throw new RedisProtocolException("not a number after '" + (char) type + "': \"" + lineText() + "\"");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private Double lineDouble() throws RedisProtocolException {
        String t = lineText();
        switch (t) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                try {
                    return Double.valueOf(t);
                } catch (NumberFormatException e) {
                    throw new RedisProtocolException("a double that is not a number: " + t);
                }
        }
    }

    private static void expect(byte got, char want, String what) throws RedisProtocolException {
        if (got != want) {
            throw new RedisProtocolException("expected " + what + ", got 0x" + Integer.toHexString(got & 0xff));
        }
    }
}
