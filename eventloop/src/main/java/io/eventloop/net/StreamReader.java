package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reading half of a stream connection: asyncio's {@code asyncio.StreamReader}. Bytes the
 * transport delivers are buffered here; the read methods return futures that complete once the
 * buffer can satisfy them.
 *
 * <p><b>Limits.</b> A reader has a limit (default 64 KiB). {@link #readLine()} and
 * {@link #readUntil(byte[])} fail with {@link LimitOverrunException} instead of buffering a line
 * or chunk longer than it, and the reader stops reading from the socket while more than twice
 * the limit is buffered, resuming once the buffer is back to the limit: a peer cannot grow the
 * server's memory by sending without a separator, or faster than the handler reads.
 *
 * <p><b>One reader at a time.</b> A second read while one is waiting throws
 * {@link IllegalStateException} (as asyncio's RuntimeError). Cancelling a waiting read consumes
 * nothing: the next read sees the same bytes.
 *
 * <p>Loop thread only. Compared with asyncio: {@code readline()} returns a {@code String} without
 * its line terminator ({@code \n} or {@code \r\n}) and {@code null} at EOF — the raw form is
 * {@code readUntil("\n".getBytes())}; the other methods return {@code byte[]}. Compared with a
 * blocking {@code InputStream}: nothing blocks, every read is a future.
 */
public final class StreamReader {
    /** asyncio's {@code _DEFAULT_LIMIT}: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};
    /**
     * A buffer bigger than this is released once it empties. Smaller ones are kept: a streaming
     * connection empties its buffer after nearly every read, and reallocating (and zeroing) up to
     * 64 KiB each time costs more than it saves.
     */
    private static final int KEEP_CAPACITY = 128 * 1024;

    private final EventLoop loop;
    private final int limit;
    // Loop thread only:
    /** Buffered bytes are buf[start, end). */
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    private boolean eof;
    private Throwable exception;
    /** The read waiting for data, or null; {@link #feedData} completes it. */
    private Read pending;
    private Transport transport;
    /** Whether this reader paused the transport's reading. */
    private boolean paused;

    /** A reader on the current loop with the default limit. */
    public StreamReader() {
        this(EventLoop.current(), DEFAULT_LIMIT);
    }

    /**
     * A reader on the current loop with {@code limit}.
     *
     * @param limit the longest line or chunk to buffer, in bytes
     * @throws IllegalArgumentException if limit &lt;= 0
     */
    public StreamReader(int limit) {
        this(EventLoop.current(), limit);
    }

    /**
     * A reader on {@code loop} with {@code limit}.
     *
     * @param loop the loop the reader belongs to
     * @param limit the longest line or chunk to buffer, in bytes
     * @throws IllegalArgumentException if limit &lt;= 0
     */
    public StreamReader(EventLoop loop, int limit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * The limit of a line or chunk, in bytes.
     *
     * @return the limit, in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * Bytes buffered and not read yet.
     *
     * @return the number of bytes buffered
     */
    public int buffered() {
        return end - start;
    }

    /**
     * Whether the stream ended and every byte was read: asyncio's {@code at_eof()}.
     *
     * @return true at EOF with nothing left to read
     */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * The exception set with {@link #setException}, or null.
     *
     * @return the exception, or null
     */
    public Throwable exception() {
        return exception;
    }

    // ------------------------------------------------------------------ what the protocol feeds

    /** Connects the reader to the transport it pauses and resumes. */
    void setTransport(Transport transport) {
        this.transport = transport;
    }

    /**
     * Appends {@code data}'s remaining bytes (without moving its position) and completes a waiting read it satisfies.
     *
     * @param data the bytes that arrived, from its position up to its limit
     */
    public void feedData(ByteBuffer data) {
        NetSupport.checkThread(loop, "StreamReader.feedData");
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureSpace(n);
        data.get(data.position(), buf, end, n);
        end += n;
        if (pending != null) {
            completePending();
        }
        // A read still waiting needs more than is buffered: let the data in even above the mark.
        if (transport != null && !paused && pending == null && end - start > 2L * limit) {
            paused = true;
            transport.pauseReading();
        }
    }

    /**
     * Appends {@code data}.
     *
     * @param data the bytes that arrived
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /** Marks the end of the stream and completes a waiting read. */
    public void feedEof() {
        NetSupport.checkThread(loop, "StreamReader.feedEof");
        eof = true;
        if (pending != null) {
            completePending();
        }
    }

    /**
     * Makes a waiting read and every later read fail with {@code error}.
     *
     * @param error what reads fail with from now on
     */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        NetSupport.checkThread(loop, "StreamReader.setException");
        exception = error;
        Read w = pending;
        pending = null;
        if (w != null && !w.isDone()) {
            w.fail(error);
        }
    }

    /**
     * Completes the waiting read with its result if what is buffered now satisfies it, so that its
     * awaiter runs on the next iteration (asyncio's reader wakes its waiter, and the coroutine
     * reads the buffer when it runs: the same one step later).
     */
    private void completePending() {
        Read r = pending;
        if (r.isDone()) {
            pending = null; // cancelled: nothing was taken for it
            return;
        }
        Object value;
        try {
            value = attempt(r.kind, r.n, r.separator, r.from);
        } catch (IOException | RuntimeException e) {
            pending = null;
            r.fail(e);
            return;
        }
        if (value == MORE) {
            r.from = searchFrom;
            return;
        }
        pending = null;
        r.taken(value);
    }

    private void ensureSpace(int n) {
        int size = end - start;
        if (buf.length - end >= n) {
            return;
        }
        if (buf.length - size >= n && size <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            long wanted = Math.max(Math.max((long) buf.length * 2, (long) size + n), 1024);
            byte[] bigger = new byte[(int) Math.min(wanted, Integer.MAX_VALUE - 8)];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    /** Takes {@code n} buffered bytes. */
    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        discard(n);
        return out;
    }

    /** Drops {@code n} buffered bytes; resumes the transport once the buffer is back to the limit. */
    private void discard(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > KEEP_CAPACITY) {
                buf = EMPTY;
            }
        }
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /**
     * Puts {@code bytes} back in front of what is buffered: a read whose awaiter was cancelled
     * before it resumed gives its bytes back (see {@link Read#retract()}), so nothing is lost.
     */
    private void unread(byte[] bytes) {
        int n = bytes.length;
        if (n == 0) {
            return;
        }
        if (start < n) {
            int size = end - start;
            byte[] bigger = new byte[Math.max(buf.length, size + n)];
            System.arraycopy(buf, start, bigger, n, size);
            buf = bigger;
            start = n;
            end = n + size;
        }
        start -= n;
        System.arraycopy(bytes, 0, buf, start, n);
    }

    private int indexOf(byte[] separator, int from) {
        int last = end - separator.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (buf[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ reads

    /** The kinds of read, for {@link #attempt}. */
    private static final byte LINE = 0;
    private static final byte UNTIL = 1;
    private static final byte EXACTLY = 2;
    private static final byte UP_TO = 3;
    /** {@link #attempt}'s answer when what is buffered does not satisfy the read yet. */
    private static final Object MORE = new Object();

    /**
     * Where the next search for a separator starts, relative to {@link #start}, after
     * {@link #attempt} answered {@link #MORE}: the bytes searched already are not searched again.
     */
    private int searchFrom;

    /**
     * The next line, decoded as UTF-8, without its {@code \n} or {@code \r\n}; the partial last
     * line at EOF; {@code null} at EOF with nothing buffered.
     *
     * <p>A line longer than the limit (not counting the separator) fails with
     * {@link LimitOverrunException}; the reader then drops the line through its separator if it
     * has it, else everything buffered (the rest of the line arrives as the next "line"), as
     * asyncio's {@code readline()}.
     *
     * @return the line, or null at EOF
     */
    public Future<String> readLine() {
        NetSupport.checkThread(loop, "StreamReader.readLine");
        return read(LINE, 0, NEWLINE, "readLine");
    }

    /**
     * The bytes up to and including {@code separator}: asyncio's {@code readuntil()}.
     *
     * <p>Fails with {@link LimitOverrunException} if the separator is not within the limit (the
     * buffer is left intact: read it with {@link #read(int)} or {@link #readExactly(int)}), and
     * with {@link IncompleteReadException} (expected {@code null}, the buffer emptied) if the
     * stream ends first. A separator split across two arrivals is found.
     *
     * @param separator the bytes that end the chunk, such as {@code "\r\n\r\n"}
     * @return the bytes read, the separator included
     * @throws IllegalArgumentException if the separator is empty
     */
    public Future<byte[]> readUntil(byte[] separator) {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("the separator must be at least one byte");
        }
        NetSupport.checkThread(loop, "StreamReader.readUntil");
        return read(UNTIL, 0, separator.clone(), "readUntil");
    }

    /**
     * Exactly {@code n} bytes: asyncio's {@code readexactly()}. Fails with
     * {@link IncompleteReadException} carrying the partial bytes if the stream ends first (the
     * buffer is emptied). The limit does not apply. {@code n == 0} gives an empty array.
     *
     * @param n how many bytes to read
     * @return the {@code n} bytes
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Future<byte[]> readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        NetSupport.checkThread(loop, "StreamReader.readExactly");
        return read(EXACTLY, n, null, "readExactly");
    }

    /**
     * Up to {@code n} bytes, as soon as any are there: asyncio's {@code read(n)}. An empty array
     * at EOF. {@code n == 0} gives an empty array at once; a negative {@code n} reads everything
     * until EOF. The limit does not apply.
     *
     * @param n the most bytes to read; negative for everything until EOF
     * @return the bytes read, empty at EOF
     */
    public Future<byte[]> read(int n) {
        NetSupport.checkThread(loop, "StreamReader.read");
        return read(UP_TO, n, null, "read");
    }

    /**
     * Starts a read: done now if what is buffered satisfies it, else it waits as
     * {@link #pending} and {@link #feedData} / {@link #feedEof} complete it with its result.
     */
    @SuppressWarnings("unchecked")
    private <T> Future<T> read(byte kind, int n, byte[] separator, String method) {
        if (pending != null && !pending.isDone()) {
            throw new IllegalStateException(method + "() called while another read is already waiting for incoming data");
        }
        Read r = new Read(this, kind, n, separator, method);
        if (exception != null) {
            r.fail(exception);
            return (Future<T>) r;
        }
        Object value;
        try {
            value = attempt(kind, n, separator, 0);
        } catch (IOException | RuntimeException e) {
            r.fail(e);
            return (Future<T>) r;
        }
        if (value != MORE) {
            r.taken(value);
            return (Future<T>) r;
        }
        r.from = searchFrom;
        pending = r;
        if (paused) {
            // the read needs more than what is buffered: let the data in even above the mark
            paused = false;
            transport.resumeReading();
        }
        return (Future<T>) r;
    }

    /**
     * One attempt at a read against what is buffered: its result (the bytes taken from the
     * buffer), or {@link #MORE} (nothing taken; {@link #searchFrom} says where to search next),
     * or an exception to fail it with.
     *
     * @param from where to start looking for the separator, relative to {@link #start}
     */
    private Object attempt(byte kind, int n, byte[] separator, int from) throws IOException {
        int size = end - start;
        switch (kind) {
            case LINE: {
                int i = indexOf(NEWLINE, start + from);
                if (i >= 0) {
                    int length = i - start;
                    if (length > limit) {
                        discard(length + 1);
                        throw new LimitOverrunException("Separator is found, but chunk is longer than limit", length, true);
                    }
                    return take(length + 1);
                }
                if (size > limit) {
                    discard(size);
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", size, false);
                }
                if (eof) {
                    return take(size); // the partial last line, or nothing: EOF
                }
                searchFrom = size;
                return MORE;
            }
            case UNTIL: {
                int i = indexOf(separator, start + from);
                if (i >= 0) {
                    int length = i - start;
                    if (length > limit) {
                        throw new LimitOverrunException("Separator is found, but chunk is longer than limit", length, true);
                    }
                    return take(length + separator.length);
                }
                // where the next search starts: the separator may straddle what is here and what comes
                int next = Math.max(0, size + 1 - separator.length);
                if (next > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", next, false);
                }
                if (eof) {
                    throw new IncompleteReadException(take(size), null);
                }
                searchFrom = next;
                return MORE;
            }
            case EXACTLY:
                if (size >= n) {
                    return n == 0 ? EMPTY : take(n);
                }
                if (eof) {
                    throw new IncompleteReadException(take(size), n);
                }
                return MORE;
            default: // UP_TO
                if (n == 0) {
                    return EMPTY;
                }
                if (n < 0) {
                    return eof ? take(size) : MORE;
                }
                if (size == 0 && !eof) {
                    return MORE;
                }
                return take(Math.min(n, size));
        }
    }

    /** The first {@code length} bytes of {@code raw} as UTF-8, a trailing {@code \n} or {@code \r\n} dropped. */
    private static String decodeLine(byte[] raw) {
        int n = raw.length;
        if (n > 0 && raw[n - 1] == '\n') {
            n--;
        }
        if (n > 0 && raw[n - 1] == '\r') {
            n--;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * A read's future. Named, so that a task stuck in a read says so in its description
     * (shutdown reports print it): "StreamReader.readLine[pending, socket read from
     * /127.0.0.1:5000]" rather than an anonymous "Future[pending]". It keeps the bytes it took,
     * to give them back if its awaiter is cancelled before it resumes.
     */
    private static final class Read extends Future<Object> {
        private final StreamReader reader;
        private final byte kind;
        private final int n;
        private final byte[] separator;
        private final String method;
        /** Where the next search for the separator starts, relative to the buffer's start. */
        int from;
        /** The bytes taken from the buffer for this read, until retracted or the reader moves on. */
        private byte[] raw;

        Read(StreamReader reader, byte kind, int n, byte[] separator, String method) {
            super(reader.loop);
            this.reader = reader;
            this.kind = kind;
            this.n = n;
            this.separator = separator;
            this.method = method;
        }

        /** Completes with what {@link #attempt} took. */
        void taken(Object bytes) {
            raw = (byte[]) bytes;
            if (kind == LINE) {
                complete(raw.length == 0 ? null : decodeLine(raw)); // nothing at all: EOF
            } else {
                complete(raw);
            }
        }

        /**
         * The awaiter was cancelled after this read took its bytes but before it resumed: the
         * bytes go back in front of the buffer, and the next read gets them.
         */
        @Override
        protected boolean retract() {
            byte[] b = raw;
            raw = null;
            if (b != null) {
                reader.unread(b);
            }
            return true;
        }

        @Override
        public String toString() {
            String state = !isDone() ? "pending" : isCancelled() ? "cancelled" : "done";
            StringBuilder sb = new StringBuilder("StreamReader.").append(method).append('[').append(state);
            if (reader.transport != null && reader.transport.remoteAddress() != null) {
                sb.append(", socket read from ").append(reader.transport.remoteAddress());
            } else if (reader.transport != null) {
                sb.append(", read from ").append(reader.transport); // a pipe: "PipeReader[stdout of process 1234]"
            }
            return sb.append(']').toString();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[").append(end - start).append(" bytes");
        if (eof) {
            sb.append(", eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(", limit=").append(limit);
        }
        if (exception != null) {
            sb.append(", exception=").append(exception);
        }
        if (pending != null && !pending.isDone()) {
            sb.append(", waiting");
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
