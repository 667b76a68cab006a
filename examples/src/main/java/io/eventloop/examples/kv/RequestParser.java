package io.eventloop.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The incremental RESP request parser of one connection: multibulk ({@code *N\r\n$len\r\n...})
 * as clients send it, and inline commands ({@code PING\r\n}) as typed into telnet. Redis's
 * {@code processMultibulkBuffer} and {@code processInlineBuffer} are the model, and the error
 * texts are theirs.
 *
 * <p><b>Zero copy.</b> The parser does not copy arguments: it records where each one is in the
 * buffer it parses ({@link #pos}, {@link #len}), which is the loop's read buffer whenever a read
 * holds whole commands, the common case, pipelined or not. Only the tail of a command cut by the
 * end of a read is kept (by {@link KvConnection}, in its pending buffer), and then the recorded
 * places move with it ({@link #rebase}). An argument of {@value #BIG_ARG} bytes or more that is not
 * all there yet is read straight into an array of its exact size ({@link #fill}), which the
 * command then keeps as the value: a large SET copies its bytes once, as Redis does with
 * {@code PROTO_MBULK_BIG_ARG}. Inline arguments are unescaped into arrays of their own
 * ({@link #own}).
 *
 * <p>The state carries over between reads, so a command arriving a byte at a time is never
 * rescanned from its start. Loop thread only.
 */
final class RequestParser {
    /** Results of {@link #parse}. */
    static final int INCOMPLETE = 0;
    static final int COMMAND = 1;
    static final int ERROR = 2;
    /** An inline line with no words: nothing to run, parse on. */
    private static final int EMPTY_LINE = 3;

    /** Arguments at least this long bypass the pending buffer (Redis's PROTO_MBULK_BIG_ARG). */
    static final int BIG_ARG = 32 * 1024;
    /** The longest header or inline line (Redis's PROTO_INLINE_MAX_SIZE). */
    static final int MAX_LINE = 64 * 1024;
    private static final long BAD = Long.MIN_VALUE;

    private final long maxBulk;

    /** The arguments of the command just parsed: {@link #argc} of them. */
    int argc;
    int[] pos = new int[16];
    int[] len = new int[16];
    /** An argument's own array (a big argument, or an inline one), else null: then it is in the buffer. */
    byte[][] own = new byte[16][];

    /** Where the command being parsed began, and the next byte to look at, in the current buffer. */
    int start;
    int scan;
    /** The error of an {@link #ERROR} result, without the "ERR Protocol error: " prefix. */
    String error;

    /** Arguments the current multibulk announced; -1 between commands. */
    private int expected = -1;
    /** The length of the bulk whose header was read, or -1. */
    private int bulkLen = -1;
    /** The big argument being filled, and how far. */
    private byte[] big;
    private int bigFilled;
    /** CRLF bytes still to skip after a big argument. */
    private int skip;

    RequestParser(long maxBulk) {
        this.maxBulk = maxBulk;
    }

    /** Whether a command is partly parsed (its places refer to the current buffer). */
    boolean inCommand() {
        return expected >= 0 || skip > 0 || big != null;
    }

    /** Whether a big argument is being read into its own array. */
    boolean filling() {
        return big != null;
    }

    /** Bytes held by the big argument being read. */
    int bigLength() {
        return big == null ? 0 : big.length;
    }

    /** Starts parsing at {@code position} of a new buffer, between commands. */
    void reset(int position) {
        start = scan = position;
    }

    /** The current buffer's bytes moved by {@code delta}: move every recorded place with them. */
    void rebase(int delta) {
        start += delta;
        scan += delta;
        for (int i = 0; i < argc; i++) {
            if (own[i] == null) {
                pos[i] += delta;
            }
        }
    }

    /**
     * Parses on from {@link #scan} up to {@code in}'s limit: {@link #COMMAND} (the arguments are
     * set; the command ends at {@link #scan}), {@link #INCOMPLETE}, or {@link #ERROR}
     * ({@link #error}).
     */
    int parse(ByteBuffer in) {
        int limit = in.limit();
        while (expected < 0) {
            start = scan;
            argc = 0;
            if (scan >= limit) {
                return INCOMPLETE;
            }
            if (in.get(scan) != '*') {
                int r = inline(in, limit);
                if (r == EMPTY_LINE) {
                    continue;
                }
                return r;
            }
            int cr = find(in, scan + 1, limit, (byte) '\r');
            if (cr < 0 || cr + 1 >= limit) {
                return limit - scan > MAX_LINE ? fail("too big mbulk count string") : INCOMPLETE;
            }
            long n = number(in, scan + 1, cr);
            if (n == BAD || n > Integer.MAX_VALUE) {
                return fail("invalid multibulk length");
            }
            scan = cr + 2;
            if (n > 0) {
                expected = (int) n;
            } // else an empty command, skipped as Redis does
        }
        for (;;) {
            while (skip > 0) {
                if (scan >= limit) {
                    return INCOMPLETE;
                }
                scan++;
                skip--;
            }
            if (argc == expected) {
                expected = -1;
                return COMMAND;
            }
            if (big != null) {
                return INCOMPLETE;
            }
            if (bulkLen < 0) {
                if (scan >= limit) {
                    return INCOMPLETE;
                }
                byte c = in.get(scan);
                if (c != '$') {
                    return fail("expected '$', got '" + (char) (c & 0xff) + "'");
                }
                int cr = find(in, scan + 1, limit, (byte) '\r');
                if (cr < 0 || cr + 1 >= limit) {
                    return limit - scan > MAX_LINE ? fail("too big bulk count string") : INCOMPLETE;
                }
                long n = number(in, scan + 1, cr);
                if (n == BAD || n < 0 || n > maxBulk || n > Integer.MAX_VALUE - 2) {
                    return fail("invalid bulk length");
                }
                scan = cr + 2;
                bulkLen = (int) n;
                if (n >= BIG_ARG && limit - scan < n + 2) {
                    // Read the rest straight into the argument's own array; what is here already
                    // is taken now, and the caller drops those bytes from its buffer.
                    big = new byte[bulkLen];
                    bigFilled = Math.min(limit - scan, bulkLen);
                    in.get(scan, big, 0, bigFilled);
                    if (bigFilled < bulkLen) {
                        return INCOMPLETE;
                    }
                    scan += bulkLen;
                    takeBig();
                    continue;
                }
            }
            if (limit - scan < bulkLen + 2) {
                return INCOMPLETE;
            }
            room(argc + 1);
            pos[argc] = scan;
            len[argc] = bulkLen;
            own[argc] = null;
            argc++;
            scan += bulkLen + 2; // the CRLF is skipped unchecked, as Redis does
            bulkLen = -1;
        }
    }

    /**
     * Copies bytes from {@code in}'s position into the big argument being read, advancing the
     * position; once it is whole it becomes the next argument. (When {@link #parse} returns
     * {@link #INCOMPLETE} while {@link #filling()}, it has already taken the bytes from
     * {@link #scan} to the buffer's limit: the caller drops them.)
     */
    void fill(ByteBuffer in) {
        int n = Math.min(in.remaining(), big.length - bigFilled);
        in.get(big, bigFilled, n);
        bigFilled += n;
        if (bigFilled == big.length) {
            takeBig();
        }
    }

    /** The big argument is whole: it becomes the next argument; its CRLF is still to come. */
    private void takeBig() {
        room(argc + 1);
        own[argc] = big;
        pos[argc] = 0;
        len[argc] = big.length;
        argc++;
        big = null;
        bulkLen = -1;
        skip = 2;
    }

    /** Drops the references of the command just run (its big arguments may be large). */
    void done() {
        Arrays.fill(own, 0, argc, null);
        argc = 0;
    }

    private int fail(String message) {
        error = message;
        return ERROR;
    }

    private void room(int n) {
        if (n > pos.length) {
            int size = Math.max(n, pos.length * 2);
            pos = Arrays.copyOf(pos, size);
            len = Arrays.copyOf(len, size);
            own = Arrays.copyOf(own, size);
        }
    }

    private static int find(ByteBuffer in, int from, int limit, byte b) {
        for (int i = from; i < limit; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** The decimal in {@code in[from, to)}, or {@link #BAD}: Redis's strict {@code string2ll}. */
    static long number(ByteBuffer in, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 20) {
            return BAD;
        }
        int i = from;
        boolean negative = in.get(i) == '-';
        if (negative) {
            i++;
            if (n == 1) {
                return BAD;
            }
        }
        if (in.get(i) == '0') {
            return n == 1 ? 0 : BAD; // no leading zeros, no "-0"
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.get(i) - '0';
            if (d < 0 || d > 9) {
                return BAD;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return BAD;
            }
            v = v * 10 - d; // accumulate negatively: Long.MIN_VALUE has no positive twin
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return BAD;
            }
            v = -v;
        }
        return v;
    }

    /** Whether {@link #number} refused the bytes. */
    static boolean isBad(long n) {
        return n == BAD;
    }

    // ------------------------------------------------------------------ inline commands

    private int inline(ByteBuffer in, int limit) {
        int nl = find(in, scan, limit, (byte) '\n');
        if (nl < 0) {
            return limit - scan > MAX_LINE ? fail("too big inline request") : INCOMPLETE;
        }
        int end = nl > scan && in.get(nl - 1) == '\r' ? nl - 1 : nl;
        byte[] line = new byte[end - scan];
        in.get(scan, line);
        List<byte[]> args = split(line);
        if (args == null) {
            return fail("unbalanced quotes in request");
        }
        scan = nl + 1;
        if (args.isEmpty()) {
            return EMPTY_LINE;
        }
        room(args.size());
        for (int i = 0; i < args.size(); i++) {
            own[i] = args.get(i);
            pos[i] = 0;
            len[i] = own[i].length;
        }
        argc = args.size();
        return COMMAND;
    }

    /**
     * Splits an inline line into arguments: blanks separate them; "double quotes" take the escapes
     * {@code \n \r \t \b \a \\ \" \xHH}; 'single quotes' take {@code \'}. A closing quote must be
     * followed by a blank or the end. Null if the quotes are unbalanced (sdssplitargs' rules).
     */
    static List<byte[]> split(byte[] line) {
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        int n = line.length;
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
        for (;;) {
            while (i < n && isBlank(line[i])) {
                i++;
            }
            if (i >= n) {
                return args;
            }
            cur.reset();
            boolean dq = false;
            boolean sq = false;
            for (;;) {
                if (dq) {
                    if (i >= n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && hex(line[i + 2]) >= 0 && hex(line[i + 3]) >= 0) {
                        cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                        i += 4;
                        continue;
                    }
                    if (c == '\\' && i + 1 < n) {
                        byte e = line[i + 1];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        i++;
                        if (i < n && !isBlank(line[i])) {
                            return null;
                        }
                        break;
                    }
                    cur.write(c);
                    i++;
                } else if (sq) {
                    if (i >= n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        cur.write('\'');
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        i++;
                        if (i < n && !isBlank(line[i])) {
                            return null;
                        }
                        break;
                    }
                    cur.write(c);
                    i++;
                } else {
                    if (i >= n || isBlank(line[i])) {
                        break;
                    }
                    byte c = line[i++];
                    if (c == '"') {
                        dq = true;
                    } else if (c == '\'') {
                        sq = true;
                    } else {
                        cur.write(c);
                    }
                }
            }
            args.add(cur.toByteArray());
        }
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Argument {@code i} as text (for error messages and channel names). */
    String text(ByteBuffer in, int i) {
        if (own[i] != null) {
            return new String(own[i], StandardCharsets.UTF_8);
        }
        byte[] b = new byte[len[i]];
        in.get(pos[i], b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
