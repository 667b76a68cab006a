package io.eventloop.examples.http;

import io.eventloop.Future;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes one connection's responses to its transport, under back-pressure: nothing is produced
 * while the transport is above its high-water mark, so a client that does not read costs at most
 * that mark plus one {@link #SLICE}, however large the responses it asked for.
 *
 * <pre>
 *   send(response) ──&gt; head (+ small body) batched in out ──flush()──&gt; transport
 *                    └─&gt; large body: SLICE by SLICE while not paused, the rest on resume()
 *                    └─&gt; stream: the producer writes while not paused, waits on its sink while paused
 *                    └─&gt; small file: read into out behind its head (SMALL_FILE)
 *                    └─&gt; file: Transport.sendFile, FILE_SLICE by FILE_SLICE
 * </pre>
 *
 * <p>Heads and small bodies of responses ready together go out in one write. A body larger than
 * {@link #SLICE}, or a streaming one, is <em>in progress</em> ({@link #busy()}) until the last of
 * it is handed over; then {@code bodyDone} runs. Loop thread only.
 */
final class ResponseWriter {
    /**
     * The most bytes handed to the transport in one write: the size of a body slice, and of the
     * batch of heads and small bodies after which the batch is flushed. The transport's default
     * high-water mark.
     */
    static final int SLICE = 64 * 1024;
    /**
     * A file body is handed to {@link Transport#sendFile} in ranges of this size, so the write
     * timeout sees it progress: a client must take one slice per timeout. The range is not read
     * into memory (on a plain socket the kernel sends it from the page cache), so its size costs
     * no heap; it is asyncio's largest sendfile chunk.
     */
    static final int FILE_SLICE = 256 * 1024;
    /**
     * A file body up to this size is read into the batch behind its head, so that a small file
     * leaves in one write (one packet) with its head, as a small byte body does, instead of a
     * write for the head and a {@code sendFile} for the body: for files this small the copy
     * costs less than the second system call and packet.
     */
    static final int SMALL_FILE = 16 * 1024;
    private static final int INITIAL_BUFFER = 4096;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Transport transport;
    private final Runnable bodyDone;

    // Heads and small bodies, batched.
    private byte[] out = new byte[INITIAL_BUFFER];
    private ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private int outLength;
    private long handedOver;        // every byte given to the transport
    private boolean paused;

    // The body in progress: bytes sliced out as the transport drains, or a producer's stream.
    private byte[] body;
    private int bodyOffset;
    private boolean streaming;
    private boolean chunked;
    private long streamLeft;        // a stream with a Content-Length: bytes it still owes
    private Future<Void> writable;  // what the producer waits on while paused
    private FileChannel file;       // the file body in progress, open while it is
    private long fileAt;
    private long fileLeft;

    ResponseWriter(Transport transport, Runnable bodyDone) {
        this.transport = transport;
        this.bodyDone = bodyDone;
    }

    /** Whether {@code r} can only end by closing the connection: a stream of unknown length to HTTP/1.0. */
    static boolean closeDelimited(HttpResponse r, boolean http10) {
        return http10 && r.stream() != null && r.streamLength() < 0 && !Status.bodiless(r.status());
    }

    /** Whether a body is being sent: the next response waits for it. */
    boolean busy() {
        return body != null || streaming || file != null;
    }

    /** Whether a file body is being sent: it is output waiting, though not in the write buffer. */
    boolean sendingFile() {
        return file != null;
    }

    /**
     * Writes {@code r}: its head and, unless {@code head} (a response to HEAD), its body. True if
     * all of it is out; false if the body goes on, and {@code bodyDone} runs once it is.
     */
    boolean send(HttpResponse r, boolean head, boolean http10, boolean close) {
        boolean bodiless = Status.bodiless(r.status());
        boolean stream = r.stream() != null && !bodiless;
        writeHead(r, http10, close, bodiless, stream);
        if (head || bodiless) {
            return true;
        }
        if (stream) {
            startStream(r, http10);
        } else if (r.file() != null) {
            if (r.fileLength() <= SMALL_FILE && r.fileLength() <= SLICE - outLength) {
                appendFile(r);
            } else {
                startFile(r);
            }
        } else if (r.body().length <= SLICE - outLength) {
            append(r.body());
        } else {
            body = r.body();
            bodyOffset = 0;
            flush();
            sendBody();
        }
        return !busy();
    }

    /** Queues {@code 100 Continue}: the client may send the body it holds back. */
    void interimContinue() {
        append(CONTINUE);
    }

    /** Whether the batch has grown to a slice: flush it before producing more. */
    boolean full() {
        return outLength >= SLICE;
    }

    /** The transport is above its high-water mark: produce nothing more. */
    void pause() {
        paused = true;
    }

    /** The transport drained: go on with the body in progress. */
    void resume() {
        paused = false;
        if (writable != null) {
            Future<Void> w = writable;
            writable = null;
            w.complete(null);
        }
        if (body != null && sendBody()) {
            bodyDone.run();
        }
    }

    /** Hands the batch to the transport. */
    void flush() {
        if (outLength == 0) {
            return;
        }
        if (!transport.isClosing()) {
            outBuffer.clear().limit(outLength);
            transport.write(outBuffer); // copies what the socket does not take now, so out is free again
            handedOver += outLength;
        }
        outLength = 0;
    }

    /** Bytes the socket has taken so far: what a write timeout watches. */
    long drained() {
        return handedOver - transport.writeBufferSize();
    }

    /** The connection is gone: a waiting producer fails, nothing more is sent. */
    void lost(Throwable cause) {
        body = null;
        streaming = false;
        closeFile();
        if (writable != null) {
            Future<Void> w = writable;
            writable = null;
            w.fail(cause != null ? cause : new ClosedChannelException());
        }
    }

    /** Gives back a batch buffer that grew for a large head, once it is empty. */
    void trim() {
        if (outLength == 0 && out.length > INITIAL_BUFFER) {
            out = new byte[INITIAL_BUFFER];
            outBuffer = ByteBuffer.wrap(out);
        }
    }

    // ------------------------------------------------------------------ head

    private void writeHead(HttpResponse r, boolean http10, boolean close, boolean bodiless, boolean stream) {
        appendAscii(http10 ? "HTTP/1.0 " : "HTTP/1.1 ");
        appendAscii(Integer.toString(r.status()));
        append((byte) ' ');
        appendAscii(r.reason());
        append(CRLF);
        HttpHeaders h = r.headers();
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue; // framing is the server's business
            }
            appendAscii(name);
            append((byte) ':');
            append((byte) ' ');
            appendAscii(h.value(i));
            append(CRLF);
        }
        if (stream && r.streamLength() < 0) {
            if (!http10) {
                appendAscii("Transfer-Encoding: chunked\r\n");
            }
        } else if (!bodiless) {
            appendAscii("Content-Length: ");
            appendAscii(Long.toString(stream ? r.streamLength() : r.file() != null ? r.fileLength() : r.body().length));
            append(CRLF);
        }
        append(HttpDate.now());
        if (close) {
            appendAscii("Connection: close\r\n");
        } else if (http10) {
            appendAscii("Connection: keep-alive\r\n");
        }
        append(CRLF);
    }

    // ------------------------------------------------------------------ bodies

    /** Slices the body out while the transport takes it; true once all of it is handed over. */
    private boolean sendBody() {
        while (!paused && bodyOffset < body.length && !transport.isClosing()) {
            int n = Math.min(SLICE, body.length - bodyOffset);
            transport.write(body, bodyOffset, n);
            handedOver += n;
            bodyOffset += n;
        }
        if (bodyOffset < body.length && !transport.isClosing()) {
            return false;
        }
        body = null;
        return true;
    }

    /** A small file body: read into the batch behind its head ({@link #SMALL_FILE}). */
    private void appendFile(HttpResponse r) {
        int n = (int) r.fileLength();
        ensureOut(n);
        ByteBuffer into = ByteBuffer.wrap(out, outLength, n);
        try (FileChannel f = FileChannel.open(r.file())) {
            long at = r.filePosition();
            while (into.hasRemaining()) {
                int read = f.read(into, at);
                if (read < 0) {
                    throw new IOException("the file shrank after its length was announced: " + r.file());
                }
                at += read;
            }
        } catch (IOException e) {
            flush(); // the responses before this one and its head
            transport.abort(); // the body that cannot follow can only be signalled by closing
            return;
        }
        outLength += n;
    }

    private void startFile(HttpResponse r) {
        if (r.fileLength() == 0) {
            return;
        }
        flush();
        try {
            file = FileChannel.open(r.file());
        } catch (IOException e) {
            transport.abort(); // the head is out: the body that cannot follow can only be signalled by closing
            return;
        }
        fileAt = r.filePosition();
        fileLeft = r.fileLength();
        nextFileSlice();
    }

    /**
     * Sends the file slice by slice while the socket takes each at once (the future of a slice
     * the socket took whole is done on return: going on here saves a loop iteration per
     * response); a slice that waits goes on from its callback. The last one runs {@code bodyDone}.
     */
    private void nextFileSlice() {
        while (true) {
            if (transport.isClosing()) {
                closeFile();
                return;
            }
            long n = Math.min(FILE_SLICE, fileLeft);
            FileChannel f = file;
            Future<Long> sent = transport.sendFile(f, fileAt, n);
            if (!sent.isDone()) {
                sent.onDone(done -> {
                    if (file == f && sliceDone(done, n)) {
                        nextFileSlice();
                    }
                });
                return;
            }
            if (!sliceDone(sent, n)) {
                return;
            }
        }
    }

    /** A slice is out (or failed): true if more of the file is to be sent. */
    private boolean sliceDone(Future<Long> sent, long n) {
        if (sent.isCancelled() || sent.exception() != null || sent.result() < n) {
            closeFile();
            transport.abort(); // the file shrank or failed after its length was announced
            return false;
        }
        fileAt += n;
        fileLeft -= n;
        handedOver += n;
        if (fileLeft > 0) {
            return true;
        }
        closeFile();
        bodyDone.run();
        return false;
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
            file = null;
        }
    }

    private void startStream(HttpResponse r, boolean http10) {
        streaming = true;
        chunked = r.streamLength() < 0 && !http10;
        streamLeft = r.streamLength();
        flush();
        Future<Void> done;
        try {
            done = r.stream().writeTo(this::writeChunk);
        } catch (RuntimeException e) {
            done = transport.loop().createFuture();
            done.fail(e);
        }
        done.onDone(this::streamDone);
    }

    /** The producer's sink: sends a chunk, and says when the producer may write again. */
    private Future<Void> writeChunk(byte[] chunk) {
        Future<Void> ready = transport.loop().createFuture();
        if (!streaming || transport.isClosing()) {
            ready.fail(new ClosedChannelException());
            return ready;
        }
        if (streamLeft >= 0 && chunk.length > streamLeft) {
            ready.fail(new IllegalStateException("a streamed body wrote " + chunk.length + " bytes with only "
                    + streamLeft + " left of its Content-Length"));
            transport.abort(); // the head announced a length the body cannot match any more
            return ready;
        }
        if (chunk.length > 0) {
            if (chunked) {
                appendAscii(Integer.toHexString(chunk.length));
                append(CRLF);
            }
            flush();
            transport.write(chunk);
            handedOver += chunk.length;
            if (chunked) {
                transport.write(CRLF);
                handedOver += CRLF.length;
            }
            if (streamLeft > 0) {
                streamLeft -= chunk.length;
            }
        }
        if (paused) {
            writable = ready;
        } else {
            ready.complete(null);
        }
        return ready;
    }

    private void streamDone(Future<Void> f) {
        if (!streaming) {
            return; // the connection is gone
        }
        streaming = false;
        if (f.isCancelled() || f.exception() != null || streamLeft > 0) {
            transport.abort(); // the head is out: a truncated body can only be signalled by closing
            return;
        }
        if (chunked) {
            append(LAST_CHUNK);
        }
        bodyDone.run();
    }

    // ------------------------------------------------------------------ the batch

    private void ensureOut(int n) {
        if (outLength + n > out.length) {
            // The batch is flushed at a slice, so only a head of enormous fields makes it grow much.
            out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(out.length * 2L, outLength + (long) n)));
            outBuffer = ByteBuffer.wrap(out);
        }
    }

    private void append(byte b) {
        ensureOut(1);
        out[outLength++] = b;
    }

    private void append(byte[] bytes) {
        ensureOut(bytes.length);
        System.arraycopy(bytes, 0, out, outLength, bytes.length);
        outLength += bytes.length;
    }

    private void appendAscii(String s) {
        int n = s.length();
        ensureOut(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            out[outLength++] = c < 256 ? (byte) c : (byte) '?';
        }
    }

    /** The {@code Date} field, formatted once per second (RFC 9110 §6.6.1 asks origin servers for it). */
    static final class HttpDate {
        private record Stamp(long second, byte[] line) {
        }

        // IMF-fixdate (RFC 9110 §5.6.7): two-digit day, which RFC_1123_DATE_TIME does not give.
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
        private static volatile Stamp stamp = new Stamp(-1, new byte[0]);

        private HttpDate() {
        }

        static byte[] now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second != second) {
                String date = FORMAT.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.UTC));
                s = new Stamp(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
                stamp = s;
            }
            return s.line;
        }
    }
}
