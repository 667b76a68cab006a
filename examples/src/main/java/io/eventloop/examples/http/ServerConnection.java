package io.eventloop.examples.http;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One server connection: an incremental HTTP/1.1 request parser feeding a queue of exchanges
 * that are answered strictly in request order.
 *
 * <pre>
 *   bytes ──&gt; in[start, end) ──parse──&gt; Exchange (handler running) ──&gt; queue ──in order──&gt; out ──&gt; transport
 *
 *   phase:  HEAD ──head complete──&gt; BODY_LENGTH | BODY_CHUNKED ──body complete──&gt; HEAD
 *             └── malformed, timeout, "Connection: close" answered ──&gt; DONE (read no more; close after the queue)
 * </pre>
 *
 * <p>Reading pauses while {@code maxPipelined} exchanges wait in the queue (a slow handler
 * cannot make the server buffer an unbounded pipeline) and while the transport's write buffer is
 * above its high-water mark; bytes already read stay in {@code in} until parsing may go on.
 * Everything here runs on the loop thread.
 */
final class ServerConnection implements Protocol {
    private enum Phase { HEAD, BODY_LENGTH, BODY_CHUNKED, DONE }

    /** A request and, once its handler is done, its response. */
    private static final class Exchange {
        final boolean head;
        final boolean http10;
        boolean close;
        Future<HttpResponse> pending; // the handler's future while it runs
        HttpResponse response;

        Exchange(boolean head, boolean http10, boolean close) {
            this.head = head;
            this.http10 = http10;
            this.close = close;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CHUNK_LINE = 1024;

    private final HttpServer server;
    private final HttpServer.Limits limits;
    private Transport transport;
    private EventLoop loop;

    // Input: unconsumed bytes are in[start, end); scan is where the search for the end of the
    // header section resumes, so a head that arrives byte by byte is scanned once, not n^2/2.
    private byte[] in = new byte[4096];
    private int start;
    private int end;
    private int scan;
    private Phase phase = Phase.HEAD;

    // The request whose body is being read.
    private HttpRequest current;
    private boolean currentClose;
    private long bodyRemaining;     // BODY_LENGTH: bytes still to come; BODY_CHUNKED: of this chunk, -1 between chunks
    private byte[] body;
    private int bodyLength;
    private boolean inTrailers;

    // Output, batched: every response ready in one pass goes out in one write.
    private byte[] out = new byte[4096];
    private ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private int outLength;

    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private boolean streaming;      // the head of the queue is sending a streaming body
    private boolean writePaused;    // the transport asked us to stop producing
    private Future<Void> writable;  // what a streaming producer waits on while writePaused
    private boolean closeAfterFlush;
    private boolean pumping;
    private boolean closed;

    private TimerHandle headerTimer;
    private TimerHandle idleTimer;
    private long idleSince = -1;    // loop time the connection went idle; -1 while a request is in progress
    private TimerHandle lingerTimer;
    private boolean refused;        // a refusal is queued: close by lingering

    /**
     * How long a refused connection keeps reading (and dropping) what the client still sends
     * after the error response. Closing at once with unread bytes makes the kernel send a reset,
     * which can destroy the error response before the client reads it; nginx's
     * {@code lingering_close} exists for the same reason.
     */
    static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    ServerConnection(HttpServer server, HttpServer.Limits limits) {
        this.server = server;
        this.limits = limits;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        loop = t.loop();
        armIdleTimer();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (phase == Phase.DONE) {
            return; // answering an error or closing: what else the peer sends is ignored
        }
        markBusy();
        int n = data.remaining();
        if (end + n > in.length) {
            compact(n);
        }
        data.get(data.position(), in, end, n);
        end += n;
        pump();
    }

    @Override
    public boolean eofReceived() {
        // The peer sent everything it will. Whatever complete requests are queued still get
        // their answers (the connection stays half-open until then); a partial request is dropped.
        if (phase != Phase.DONE) {
            phase = Phase.DONE;
            start = end;
        }
        if (queue.isEmpty()) {
            return false;
        }
        queue.peekLast().close = true;
        return true;
    }

    @Override
    public void connectionLost(Throwable cause) {
        closed = true;
        phase = Phase.DONE;
        cancelHeaderTimer();
        cancelIdleTimer();
        if (lingerTimer != null) {
            lingerTimer.cancel();
            lingerTimer = null;
        }
        for (Exchange x : queue) {
            if (x.pending != null) {
                x.pending.cancel(); // nobody will read the answer: stop the work (aiohttp cancels the handler too)
            }
        }
        queue.clear();
        if (writable != null) {
            writable.fail(cause != null ? cause : new java.nio.channels.ClosedChannelException());
            writable = null;
        }
    }

    @Override
    public void pauseWriting() {
        writePaused = true;
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        writePaused = false;
        if (writable != null) {
            Future<Void> w = writable;
            writable = null;
            w.complete(null);
        }
        pump();
    }

    // ------------------------------------------------------------------ the pump

    /**
     * Parses what the buffer holds and writes the responses that are ready, until neither makes
     * progress; then flushes, and sets reading and the timers to match the new state. Re-entry
     * (a handler's future completing inside) is folded into the running pass.
     */
    private void pump() {
        if (pumping || closed) {
            return;
        }
        pumping = true;
        try {
            boolean progress = true;
            while (progress && !closed) {
                progress = parseAvailable();
                progress |= writeReady();
            }
            flushOut();
            if (closed) {
                return;
            }
            if (closeAfterFlush) {
                cancelHeaderTimer();
                cancelIdleTimer();
                if (refused) {
                    lingeringClose();
                } else {
                    transport.close();
                }
                return;
            }
            boolean read = phase != Phase.DONE && !writePaused && queue.size() < limits.maxPipelined;
            if (read) {
                transport.resumeReading();
            } else {
                transport.pauseReading();
            }
            if (phase == Phase.HEAD && queue.isEmpty() && !streaming && start == end) {
                armIdleTimer();
            }
        } finally {
            pumping = false;
        }
    }

    /** Parses and dispatches requests while allowed; true if anything was dispatched or failed. */
    private boolean parseAvailable() {
        int queued = queue.size();
        int consumed = start;
        Phase was = phase;
        while (phase != Phase.DONE && queue.size() < limits.maxPipelined) {
            boolean more = switch (phase) {
                case HEAD -> parseHead();
                case BODY_LENGTH -> readLengthBody();
                default -> readChunkedBody();
            };
            if (!more) {
                break;
            }
        }
        return queue.size() != queued || start != consumed || phase != was;
    }

    // ------------------------------------------------------------------ request head

    /**
     * Parses one header section if it is complete. Returns false when more bytes are needed;
     * true when a request was dispatched, a body phase began, or the request was refused.
     */
    private boolean parseHead() {
        // RFC 9112 §2.2: ignore empty lines before a request line.
        while (end - start >= 2 && in[start] == '\r' && in[start + 1] == '\n') {
            start += 2;
        }
        if (scan < start) {
            scan = start;
        }
        int headEnd = -1;
        int firstLineEnd = -1;
        for (int i = scan; i < end; i++) {
            byte b = in[i];
            if (b == '\n') {
                if (i == start || in[i - 1] != '\r') {
                    return refuse(400, "bare LF in the request head");
                }
                if (firstLineEnd < 0) {
                    firstLineEnd = i - 1;
                }
                if (i - 3 >= start && in[i - 2] == '\n' && in[i - 3] == '\r') {
                    headEnd = i + 1;
                    break;
                }
            } else if (b == 0) {
                return refuse(400, "NUL byte in the request head");
            }
        }
        if (firstLineEnd < 0) {
            firstLineEnd = findLineEnd(start, headEnd < 0 ? end : headEnd);
        }
        if (headEnd < 0) {
            scan = Math.max(start, end - 3);
            if (firstLineEnd < 0 && end - start > limits.maxRequestLine) {
                return refuse(414, "request line longer than " + limits.maxRequestLine + " bytes");
            }
            if (firstLineEnd >= 0 && end - (firstLineEnd + 2) > limits.maxHeaderBytes) {
                return refuse(431, "header section larger than " + limits.maxHeaderBytes + " bytes");
            }
            if (end > start) {
                armHeaderTimer();
            }
            return false;
        }
        cancelHeaderTimer();
        if (firstLineEnd - start > limits.maxRequestLine) {
            return refuse(414, "request line longer than " + limits.maxRequestLine + " bytes");
        }
        if (headEnd - (firstLineEnd + 2) > limits.maxHeaderBytes) {
            return refuse(431, "header section larger than " + limits.maxHeaderBytes + " bytes");
        }
        int headStart = start;
        start = headEnd;
        scan = headEnd;
        return parseRequest(headStart, firstLineEnd, headEnd);
    }

    private int findLineEnd(int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Parses the request line and fields of a complete head in[from, headEnd). */
    private boolean parseRequest(int from, int lineEnd, int headEnd) {
        int sp1 = indexOf(' ', from, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, lineEnd);
        if (sp1 <= from || sp2 <= sp1 + 1 || indexOf(' ', sp2 + 1, lineEnd) >= 0) {
            return refuse(400, "malformed request line");
        }
        for (int i = from; i < sp1; i++) {
            if (!isTokenChar(in[i])) {
                return refuse(400, "malformed method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (in[i] <= ' ' || in[i] == 127) {
                return refuse(400, "control character in the request target");
            }
        }
        String method = method(from, sp1);
        String target = ascii(sp1 + 1, sp2);
        String version;
        int vlen = lineEnd - sp2 - 1;
        if (vlen == 8 && startsWith(sp2 + 1, "HTTP/") && isDigit(in[sp2 + 6]) && in[sp2 + 7] == '.' && isDigit(in[sp2 + 8])) {
            if (in[sp2 + 6] != '1') {
                return refuse(505, "HTTP version " + ascii(sp2 + 1, lineEnd) + " is not supported");
            }
            version = in[sp2 + 8] == '0' ? "HTTP/1.0" : "HTTP/1.1";
        } else {
            return refuse(400, "malformed HTTP version");
        }
        if (target.charAt(0) != '/' && !(target.equals("*") && method.equals("OPTIONS"))
                && !target.regionMatches(true, 0, "http://", 0, 7)) {
            return refuse(400, "malformed request target");
        }

        HttpHeaders headers = new HttpHeaders();
        int line = lineEnd + 2;
        int count = 0;
        while (line < headEnd - 2) {
            int eol = findLineEnd(line, headEnd);
            if (in[line] == ' ' || in[line] == '\t') {
                return refuse(400, "obsolete line folding in a header field");
            }
            int colon = indexOf(':', line, eol);
            if (colon <= line) {
                return refuse(400, "malformed header field");
            }
            for (int i = line; i < colon; i++) {
                if (!isTokenChar(in[i])) {
                    return refuse(400, "malformed header field name");
                }
            }
            if (++count > limits.maxHeaders) {
                return refuse(431, "more than " + limits.maxHeaders + " header fields");
            }
            int vs = colon + 1;
            int ve = eol;
            while (vs < ve && (in[vs] == ' ' || in[vs] == '\t')) {
                vs++;
            }
            while (ve > vs && (in[ve - 1] == ' ' || in[ve - 1] == '\t')) {
                ve--;
            }
            for (int i = vs; i < ve; i++) {
                byte b = in[i];
                if ((b < ' ' && b != '\t') || b == 127) {
                    return refuse(400, "control character in a header field value");
                }
            }
            headers.add(ascii(line, colon), latin1(vs, ve));
            line = eol + 2;
        }

        boolean http10 = version.equals("HTTP/1.0");
        if (!http10) {
            int hosts = headers.all("Host").size();
            if (hosts != 1) {
                return refuse(400, hosts == 0 ? "missing Host header" : "more than one Host header");
            }
        }
        boolean close = http10 ? !headers.hasToken("Connection", "keep-alive") : headers.hasToken("Connection", "close");
        HttpRequest request = new HttpRequest(method, target, version, headers);

        String te = headers.get("Transfer-Encoding");
        java.util.List<String> lengths = headers.all("Content-Length");
        if (te != null) {
            if (!lengths.isEmpty()) {
                return refuse(400, "both Content-Length and Transfer-Encoding");
            }
            if (headers.all("Transfer-Encoding").size() != 1 || !te.trim().equalsIgnoreCase("chunked")) {
                return refuse(501, "Transfer-Encoding " + te + " is not supported (only chunked)");
            }
            if (http10) {
                return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            startBody(request, close, Phase.BODY_CHUNKED, -1);
            return true;
        }
        if (!lengths.isEmpty()) {
            long length = -1;
            for (String v : lengths) {
                for (String part : v.split(",", -1)) {
                    long n = parseLength(part.trim());
                    if (n < 0) {
                        return refuse(400, "bad Content-Length: " + v);
                    }
                    if (length >= 0 && n != length) {
                        return refuse(400, "conflicting Content-Length values: " + lengths);
                    }
                    length = n;
                }
            }
            if (length > limits.maxBody) {
                return refuse(413, "body of " + length + " bytes is over the limit of " + limits.maxBody);
            }
            if (length > 0) {
                startBody(request, close, Phase.BODY_LENGTH, length);
                return true;
            }
        }
        dispatch(request, close);
        return true;
    }

    private void startBody(HttpRequest request, boolean close, Phase bodyPhase, long length) {
        current = request;
        currentClose = close;
        phase = bodyPhase;
        bodyRemaining = length;
        body = new byte[(int) Math.min(Math.max(length, 256), 64 * 1024)];
        bodyLength = 0;
        inTrailers = false;
        if (queue.isEmpty() && request.headers().hasToken("Expect", "100-continue") && !request.version().equals("HTTP/1.0")) {
            append(CONTINUE);
        }
    }

    /** Digits only, at most 18 of them (no sign, no overflow); -1 otherwise. */
    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    // ------------------------------------------------------------------ request body

    private boolean readLengthBody() {
        int take = (int) Math.min(bodyRemaining, end - start);
        if (take == 0) {
            return false;
        }
        appendBody(start, take);
        start += take;
        bodyRemaining -= take;
        if (bodyRemaining > 0) {
            return false;
        }
        finishBody();
        return true;
    }

    /** Decodes chunked framing as far as the buffer goes; true once the body is complete or refused. */
    private boolean readChunkedBody() {
        while (true) {
            if (bodyRemaining > 0) { // inside a chunk's data
                int take = (int) Math.min(bodyRemaining, end - start);
                if (take == 0) {
                    return false;
                }
                appendBody(start, take);
                start += take;
                bodyRemaining -= take;
                if (bodyRemaining > 0) {
                    return false;
                }
                bodyRemaining = -2; // the CRLF after the data
            }
            if (bodyRemaining == -2) {
                if (end - start < 2) {
                    return false;
                }
                if (in[start] != '\r' || in[start + 1] != '\n') {
                    return refuse(400, "chunk data not followed by CRLF");
                }
                start += 2;
                bodyRemaining = -1;
            }
            int eol = findLineEnd(start, end);
            if (eol < 0) {
                if (end - start > (inTrailers ? limits.maxHeaderBytes : MAX_CHUNK_LINE)) {
                    return refuse(inTrailers ? 431 : 400, inTrailers ? "trailer section too large" : "chunk size line too long");
                }
                return false;
            }
            if (inTrailers) {
                boolean last = eol == start;
                start = eol + 2;
                if (last) {
                    finishBody();
                    return true;
                }
                continue; // trailer fields are read and dropped
            }
            long size = 0;
            int i = start;
            for (; i < eol && isHex(in[i]); i++) {
                size = size * 16 + Character.digit(in[i], 16);
                if (size > limits.maxBody) {
                    return refuse(413, "chunked body over the limit of " + limits.maxBody + " bytes");
                }
            }
            if (i == start || (i < eol && in[i] != ';' && in[i] != ' ' && in[i] != '\t')) {
                return refuse(400, "malformed chunk size");
            }
            start = eol + 2;
            if (size == 0) {
                inTrailers = true;
            } else {
                if (bodyLength + size > limits.maxBody) {
                    return refuse(413, "chunked body over the limit of " + limits.maxBody + " bytes");
                }
                bodyRemaining = size;
            }
        }
    }

    private void appendBody(int from, int length) {
        if (bodyLength + length > body.length) {
            body = Arrays.copyOf(body, Math.max(bodyLength + length, body.length * 2));
        }
        System.arraycopy(in, from, body, bodyLength, length);
        bodyLength += length;
    }

    private void finishBody() {
        current.body(bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength));
        HttpRequest request = current;
        current = null;
        body = null;
        phase = Phase.HEAD;
        dispatch(request, currentClose);
    }

    // ------------------------------------------------------------------ handlers and responses

    private void dispatch(HttpRequest request, boolean close) {
        Exchange x = new Exchange(request.method().equals("HEAD"), request.version().equals("HTTP/1.0"), close);
        queue.add(x);
        if (close) {
            phase = Phase.DONE; // nothing after a "Connection: close" request is read
            start = end;
        }
        Future<HttpResponse> f;
        try {
            f = server.dispatch(request, loop);
        } catch (Exception | LinkageError e) {
            x.response = internalError();
            return;
        }
        if (f == null) {
            x.response = internalError();
        } else if (f.isDone()) {
            x.response = outcome(f);
        } else {
            x.pending = f;
            f.onDone(done -> {
                x.pending = null;
                x.response = outcome(done);
                pump();
            });
        }
    }

    private static HttpResponse outcome(Future<HttpResponse> f) {
        if (f.isCancelled() || f.exception() != null || f.result() == null) {
            return internalError();
        }
        return f.result();
    }

    private static HttpResponse internalError() {
        return HttpResponse.text(500, "internal server error\n");
    }

    /** Queues a refusal: the response is sent after those before it, then the connection closes. */
    private boolean refuse(int status, String why) {
        cancelHeaderTimer();
        phase = Phase.DONE;
        start = end;
        current = null;
        body = null;
        refused = true;
        Exchange x = new Exchange(false, false, true);
        x.response = HttpResponse.text(status, why + "\n");
        queue.add(x);
        return true;
    }

    /** Writes the responses at the head of the queue that are ready; true if any was written. */
    private boolean writeReady() {
        boolean progress = false;
        while (!streaming && !closeAfterFlush && !queue.isEmpty() && queue.peekFirst().response != null) {
            Exchange x = queue.pollFirst();
            progress = true;
            writeResponse(x);
            if (x.close && !streaming) { // a stream sets it when its last chunk is out
                closeAfterFlush = true;
            }
        }
        return progress;
    }

    private void writeResponse(Exchange x) {
        HttpResponse r = x.response;
        int status = r.status();
        boolean bodiless = Status.bodiless(status);
        boolean stream = r.stream() != null && !bodiless;
        if (stream && x.http10) {
            x.close = true; // HTTP/1.0 has no chunked framing: the body ends with the connection
        }
        appendAscii(x.http10 ? "HTTP/1.0 " : "HTTP/1.1 ");
        appendAscii(Integer.toString(status));
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
        if (stream) {
            if (!x.http10) {
                appendAscii("Transfer-Encoding: chunked\r\n");
            }
        } else if (!bodiless) {
            appendAscii("Content-Length: ");
            appendAscii(Integer.toString(r.body().length));
            append(CRLF);
        }
        append(HttpDate.now());
        if (x.close) {
            appendAscii("Connection: close\r\n");
        } else if (x.http10) {
            appendAscii("Connection: keep-alive\r\n");
        }
        append(CRLF);
        if (x.head || bodiless) {
            return;
        }
        if (!stream) {
            append(r.body());
            return;
        }
        streaming = true;
        flushOut();
        Future<Void> done;
        try {
            done = r.stream().writeTo(chunk -> writeChunk(chunk, x.http10));
        } catch (RuntimeException e) {
            done = loop.createFuture();
            done.fail(e);
        }
        done.onDone(f -> {
            if (closed) {
                return;
            }
            if (f.isCancelled() || f.exception() != null) {
                transport.abort(); // the head is out: a truncated body can only be signalled by closing
                return;
            }
            if (!x.http10) {
                append(LAST_CHUNK);
            }
            streaming = false;
            if (x.close) {
                closeAfterFlush = true;
            }
            pump();
        });
    }

    private Future<Void> writeChunk(byte[] chunk, boolean http10) {
        Future<Void> ready = loop.createFuture();
        if (closed || transport.isClosing()) {
            ready.fail(new java.nio.channels.ClosedChannelException());
            return ready;
        }
        if (chunk.length > 0) {
            if (!http10) {
                appendAscii(Integer.toHexString(chunk.length));
                append(CRLF);
            }
            flushOut();
            transport.write(chunk);
            if (!http10) {
                transport.write(CRLF);
            }
        }
        if (writePaused) {
            writable = ready;
        } else {
            ready.complete(null);
        }
        return ready;
    }

    // ------------------------------------------------------------------ buffers

    private void compact(int incoming) {
        int unread = end - start;
        if (unread + incoming > in.length) {
            in = Arrays.copyOfRange(in, start, start + Math.max(in.length * 2, unread + incoming));
        } else {
            System.arraycopy(in, start, in, 0, unread);
        }
        scan -= start;
        if (scan < 0) {
            scan = 0;
        }
        start = 0;
        end = unread;
    }

    private void ensureOut(int n) {
        if (outLength + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + n));
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

    private void flushOut() {
        if (outLength == 0) {
            return;
        }
        if (!closed && !transport.isClosing()) {
            outBuffer.clear().limit(outLength);
            transport.write(outBuffer); // copies what the socket does not take now, so out is free again
        }
        outLength = 0;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWith(int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (in[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The method, without a new String for the common ones (one allocation less per request). */
    private String method(int from, int to) {
        int n = to - from;
        if (n == 3 && startsWith(from, "GET")) {
            return "GET";
        }
        if (n == 4 && startsWith(from, "HEAD")) {
            return "HEAD";
        }
        if (n == 4 && startsWith(from, "POST")) {
            return "POST";
        }
        return ascii(from, to);
    }

    private String ascii(int from, int to) {
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private String latin1(int from, int to) {
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return b > 32 && b < 127 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    // ------------------------------------------------------------------ timers

    /** Half-closes after the error response, drops what still comes, closes on EOF or after {@link #LINGER}. */
    private void lingeringClose() {
        if (lingerTimer != null) {
            return;
        }
        transport.writeEof();
        transport.resumeReading();
        lingerTimer = loop.callLater(LINGER, () -> {
            lingerTimer = null;
            transport.close();
        });
    }

    private void armHeaderTimer() {
        if (headerTimer == null) {
            headerTimer = loop.callLater(limits.headerTimeout, () -> {
                headerTimer = null;
                if (phase == Phase.HEAD && !closed) {
                    refuse(408, "request header not received in time");
                    pump();
                }
            });
        }
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel();
            headerTimer = null;
        }
    }

    /**
     * The connection went idle: the idle timeout starts now. One timer per connection, not one per
     * request: a request only clears {@link #idleSince} (a field write), and the timer, when it
     * fires, looks at how long the connection has really been idle and waits again if need be.
     * Cancelling and re-creating a timer per request made every keep-alive request allocate a timer
     * and left the heap full of cancelled ones (4% of the server's samples in the hello benchmark).
     */
    private void armIdleTimer() {
        idleSince = loop.time();
        if (idleTimer == null) {
            idleTimer = loop.callLater(limits.idleTimeout, this::idleTimerFired);
        }
    }

    /** A request began: the connection is not idle (the timer stays, and checks when it fires). */
    private void markBusy() {
        idleSince = -1;
    }

    private void idleTimerFired() {
        idleTimer = null;
        if (closed || idleSince < 0) {
            return; // busy: the timer is set again when the connection next goes idle
        }
        long idleFor = loop.time() - idleSince;
        long timeout = limits.idleTimeout.toNanos();
        if (idleFor < timeout) {
            idleTimer = loop.callLater(java.time.Duration.ofNanos(timeout - idleFor), this::idleTimerFired);
        } else if (queue.isEmpty() && !streaming && phase == Phase.HEAD && start == end) {
            phase = Phase.DONE;
            transport.close();
        }
    }

    /** The connection is closing: the idle timer has nothing left to watch. */
    private void cancelIdleTimer() {
        idleSince = -1;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    /** The {@code Date} field, formatted once per second (RFC 9110 §6.6.1 asks origin servers for it). */
    static final class HttpDate {
        private record Stamp(long second, byte[] line) {
        }

        // IMF-fixdate (RFC 9110 §5.6.7): two-digit day, which RFC_1123_DATE_TIME does not give.
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);
        private static volatile Stamp stamp = new Stamp(-1, new byte[0]);

        private HttpDate() {
        }

        static byte[] now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second != second) {
                String date = FORMAT.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC));
                s = new Stamp(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
                stamp = s;
            }
            return s.line;
        }
    }
}
