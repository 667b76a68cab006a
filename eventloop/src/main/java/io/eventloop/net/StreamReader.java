package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
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
    /** The future a waiting read waits on, or null. */
    private Future<Void> waiter;
    private Transport transport;
    /** Whether this reader paused the transport's reading. */
    private boolean paused;

    /** A reader on the current loop with the default limit. */
    public StreamReader() {
        this(EventLoop.current(), DEFAULT_LIMIT);
    }

    /** A reader on the current loop with {@code limit}. @throws IllegalArgumentException if limit &lt;= 0 */
    public StreamReader(int limit) {
        this(EventLoop.current(), limit);
    }

    /** A reader on {@code loop} with {@code limit}. @throws IllegalArgumentException if limit &lt;= 0 */
    public StreamReader(EventLoop loop, int limit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** The limit of a line or chunk, in bytes. */
    public int limit() {
        return limit;
    }

    /** Bytes buffered and not read yet. */
    public int buffered() {
        return end - start;
    }

    /** Whether the stream ended and every byte was read: asyncio's {@code at_eof()}. */
    public boolean atEof() {
        return eof && start == end;
    }

    /** The exception set with {@link #setException}, or null. */
    public Throwable exception() {
        return exception;
    }

    // ------------------------------------------------------------------ what the protocol feeds

    /** Connects the reader to the transport it pauses and resumes. */
    void setTransport(Transport transport) {
        this.transport = transport;
    }

    /** Appends {@code data}'s remaining bytes (without moving its position) and wakes a waiting read. */
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
        wakeWaiter();
        if (transport != null && !paused && end - start > 2L * limit) {
            paused = true;
            transport.pauseReading();
        }
    }

    /** Appends {@code data}. */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /** Marks the end of the stream and wakes a waiting read. */
    public void feedEof() {
        NetSupport.checkThread(loop, "StreamReader.feedEof");
        eof = true;
        wakeWaiter();
    }

    /** Makes a waiting read and every later read fail with {@code error}. */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        NetSupport.checkThread(loop, "StreamReader.setException");
        exception = error;
        Future<Void> w = waiter;
        waiter = null;
        if (w != null && !w.isDone()) {
            w.fail(error);
        }
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            w.complete(null); // false if the read was cancelled: nothing to wake
        }
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

    /** The future a read waits on for more data. */
    private Future<Void> waitForData(String method) {
        if (waiter != null && !waiter.isDone()) {
            throw new IllegalStateException(method + "() called while another read is already waiting for incoming data");
        }
        if (paused) {
            // the read needs more than what is buffered: let the data in even above the mark
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = new DataWaiter(loop, method, transport);
        waiter = w;
        return w;
    }

    /**
     * The future a read waits on until data arrives. Named, so that a task stuck in a read says
     * so in its description (shutdown reports print it): "StreamReader.readLine[pending, socket
     * read from /127.0.0.1:5000]" rather than an anonymous "Future[pending]".
     */
    private static final class DataWaiter extends Future<Void> {
        private final String method;
        private final Transport transport;

        DataWaiter(EventLoop loop, String method, Transport transport) {
            super(loop);
            this.method = method;
            this.transport = transport;
        }

        @Override
        public String toString() {
            String state = !isDone() ? "pending" : isCancelled() ? "cancelled" : "done";
            StringBuilder sb = new StringBuilder("StreamReader.").append(method).append('[').append(state);
            if (transport != null) {
                sb.append(", socket read from ").append(transport.remoteAddress());
            }
            return sb.append(']').toString();
        }
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

    /**
     * The next line, decoded as UTF-8, without its {@code \n} or {@code \r\n}; the partial last
     * line at EOF; {@code null} at EOF with nothing buffered.
     *
     * <p>A line longer than the limit (not counting the separator) fails with
     * {@link LimitOverrunException}; the reader then drops the line through its separator if it
     * has it, else everything buffered (the rest of the line arrives as the next "line"), as
     * asyncio's {@code readline()}.
     */
    public Future<String> readLine() {
        NetSupport.checkThread(loop, "StreamReader.readLine");
        return readLineFrom(0);
    }

    private Future<String> readLineFrom(int offset) {
        if (exception != null) {
            return NetSupport.failed(loop, exception);
        }
        int i = indexOf(NEWLINE, start + offset);
        int size = end - start;
        if (i >= 0) {
            int length = i - start;
            if (length > limit) {
                discard(length + 1);
                return NetSupport.failed(loop, new LimitOverrunException(
                        "Separator is found, but chunk is longer than limit", length, true));
            }
            String line = decodeLine(length);
            discard(length + 1);
            return NetSupport.completed(loop, line);
        }
        if (size > limit) {
            discard(size);
            return NetSupport.failed(loop, new LimitOverrunException(
                    "Separator is not found, and chunk exceed the limit", size, false));
        }
        if (eof) {
            if (size == 0) {
                return NetSupport.completed(loop, null);
            }
            String line = decodeLine(size);
            discard(size);
            return NetSupport.completed(loop, line);
        }
        return waitForData("readLine").then(v -> readLineFrom(size));
    }

    /** The first {@code length} buffered bytes as UTF-8, a trailing {@code \r} dropped. */
    private String decodeLine(int length) {
        int n = length > 0 && buf[start + length - 1] == '\r' ? length - 1 : length;
        return new String(buf, start, n, StandardCharsets.UTF_8);
    }

    /**
     * The bytes up to and including {@code separator}: asyncio's {@code readuntil()}.
     *
     * <p>Fails with {@link LimitOverrunException} if the separator is not within the limit (the
     * buffer is left intact: read it with {@link #read(int)} or {@link #readExactly(int)}), and
     * with {@link IncompleteReadException} (expected {@code null}, the buffer emptied) if the
     * stream ends first. A separator split across two arrivals is found.
     *
     * @throws IllegalArgumentException if the separator is empty
     */
    public Future<byte[]> readUntil(byte[] separator) {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("the separator must be at least one byte");
        }
        NetSupport.checkThread(loop, "StreamReader.readUntil");
        return readUntilFrom(separator.clone(), 0);
    }

    private Future<byte[]> readUntilFrom(byte[] separator, int offset) {
        if (exception != null) {
            return NetSupport.failed(loop, exception);
        }
        int i = indexOf(separator, start + offset);
        if (i >= 0) {
            int length = i - start;
            if (length > limit) {
                return NetSupport.failed(loop, new LimitOverrunException(
                        "Separator is found, but chunk is longer than limit", length, true));
            }
            return NetSupport.completed(loop, take(length + separator.length));
        }
        int size = end - start;
        // where the next search starts: the separator may straddle what is here and what comes
        int next = Math.max(0, size + 1 - separator.length);
        if (next > limit) {
            return NetSupport.failed(loop, new LimitOverrunException(
                    "Separator is not found, and chunk exceed the limit", next, false));
        }
        if (eof) {
            return NetSupport.failed(loop, new IncompleteReadException(take(size), null));
        }
        return waitForData("readUntil").then(v -> readUntilFrom(separator, next));
    }

    /**
     * Exactly {@code n} bytes: asyncio's {@code readexactly()}. Fails with
     * {@link IncompleteReadException} carrying the partial bytes if the stream ends first (the
     * buffer is emptied). The limit does not apply. {@code n == 0} gives an empty array.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Future<byte[]> readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        NetSupport.checkThread(loop, "StreamReader.readExactly");
        return readExactlyNow(n);
    }

    private Future<byte[]> readExactlyNow(int n) {
        if (exception != null) {
            return NetSupport.failed(loop, exception);
        }
        if (n == 0) {
            return NetSupport.completed(loop, EMPTY);
        }
        int size = end - start;
        if (size >= n) {
            return NetSupport.completed(loop, take(n));
        }
        if (eof) {
            return NetSupport.failed(loop, new IncompleteReadException(take(size), n));
        }
        return waitForData("readExactly").then(v -> readExactlyNow(n));
    }

    /**
     * Up to {@code n} bytes, as soon as any are there: asyncio's {@code read(n)}. An empty array
     * at EOF. {@code n == 0} gives an empty array at once; a negative {@code n} reads everything
     * until EOF. The limit does not apply.
     */
    public Future<byte[]> read(int n) {
        NetSupport.checkThread(loop, "StreamReader.read");
        return readNow(n);
    }

    private Future<byte[]> readNow(int n) {
        if (exception != null) {
            return NetSupport.failed(loop, exception);
        }
        if (n == 0) {
            return NetSupport.completed(loop, EMPTY);
        }
        int size = end - start;
        if (n < 0) {
            if (eof) {
                return NetSupport.completed(loop, take(size));
            }
            return waitForData("read").then(v -> readNow(n));
        }
        if (size == 0 && !eof) {
            return waitForData("read").then(v -> readNow(n));
        }
        return NetSupport.completed(loop, take(Math.min(n, size)));
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
        if (waiter != null) {
            sb.append(", waiting");
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
