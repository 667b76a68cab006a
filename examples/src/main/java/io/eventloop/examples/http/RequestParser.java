package io.eventloop.examples.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The incremental HTTP/1.1 request parser of one server connection: bytes in, whole requests
 * (body included) out.
 *
 * <pre>
 *   bytes ──feed──&gt; in[start, end) ──next()──&gt; HttpRequest
 *
 *   HEAD ──head complete──&gt; LENGTH | CHUNKED ──body complete──&gt; HEAD
 *     └── a malformed message: next() throws BadMessageException(status); discard() ──&gt; DONE
 * </pre>
 *
 * <p>Strict as RFC 9112 asks of a server that may sit behind a proxy: CRLF line ends only, no
 * obsolete line folding, no whitespace before a colon, exactly one {@code Host} in HTTP/1.1, no
 * {@code Content-Length} together with {@code Transfer-Encoding}, conflicting lengths refused.
 * Bounded by the server's {@link HttpServer.Limits}: request line (414), header section and
 * trailer section (431), header count (431), body (413). Loop thread only.
 */
final class RequestParser {
    private enum State { HEAD, LENGTH, CHUNKED, DONE }

    /** The longest chunk size line, extensions included. */
    static final int MAX_CHUNK_LINE = 1024;
    private static final int INITIAL_BUFFER = 4096;

    private final HttpServer.Limits limits;
    // Unconsumed bytes are in[start, end); scan is where the search for the end of the header
    // section resumes, so a head that arrives byte by byte is scanned once, not n^2/2.
    private byte[] in = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private int scan;
    private State state = State.HEAD;

    // The request whose body is being read.
    private HttpRequest current;
    private long lengthLeft;
    private ChunkedDecoder chunks;
    private byte[] body;
    private int bodyLength;
    private boolean continueWanted;

    RequestParser(HttpServer.Limits limits) {
        this.limits = limits;
    }

    /** Appends what the peer sent; ignored once {@link #discard() discarded}. */
    void feed(ByteBuffer data) {
        if (state == State.DONE) {
            return;
        }
        int n = data.remaining();
        if (end + n > in.length) {
            compact(n);
        }
        data.get(data.position(), in, end, n);
        end += n;
    }

    /**
     * The next complete request, or null until more bytes come.
     *
     * @throws BadMessageException when what was sent is not a request this server accepts; the
     *         caller answers with its status and reads no more
     */
    HttpRequest next() throws BadMessageException {
        while (true) {
            switch (state) {
                case HEAD -> {
                    HttpRequest request = parseHead();
                    if (request == null || state == State.HEAD) {
                        return request;
                    }
                }
                case LENGTH -> {
                    int take = (int) Math.min(lengthLeft, end - start);
                    appendBody(in, start, take);
                    start += take;
                    lengthLeft -= take;
                    return lengthLeft == 0 ? finishBody() : null;
                }
                case CHUNKED -> {
                    start = chunks.decode(in, start, end, this::appendBody);
                    return chunks.isDone() ? finishBody() : null;
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /** Whether part of a request head is buffered: the header timeout runs. */
    boolean inHead() {
        return state == State.HEAD && end > start;
    }

    /** Whether a request body is being read: the body timeout runs. */
    boolean inBody() {
        return state == State.LENGTH || state == State.CHUNKED;
    }

    /** Bytes of the body being read that have arrived so far. */
    int bodyReceived() {
        return bodyLength;
    }

    /** Whether nothing of a next request is buffered. */
    boolean isEmpty() {
        return end == start && state != State.LENGTH && state != State.CHUNKED;
    }

    /**
     * True once for a request with {@code Expect: 100-continue} whose body is awaited: the
     * connection answers {@code 100 Continue} if nothing is in front of it.
     */
    boolean takeContinue() {
        boolean wanted = continueWanted && inBody() && bodyLength == 0;
        continueWanted = false;
        return wanted;
    }

    /** Drops what is buffered and every byte fed from now on: the connection reads no more requests. */
    void discard() {
        state = State.DONE;
        start = end;
        current = null;
        body = null;
        chunks = null;
    }

    /** Gives back a buffer that grew for a large request, once nothing is buffered. */
    void trim() {
        if (start == end && in.length > INITIAL_BUFFER) {
            in = new byte[INITIAL_BUFFER];
            start = 0;
            end = 0;
            scan = 0;
        }
    }

    // ------------------------------------------------------------------ the head

    /** The request of a complete head, or null if the head is not complete yet. */
    private HttpRequest parseHead() throws BadMessageException {
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
                    throw new BadMessageException(400, "bare LF in the request head");
                }
                if (firstLineEnd < 0) {
                    firstLineEnd = i - 1;
                }
                if (i - 3 >= start && in[i - 2] == '\n' && in[i - 3] == '\r') {
                    headEnd = i + 1;
                    break;
                }
            } else if (b == 0) {
                throw new BadMessageException(400, "NUL byte in the request head");
            }
        }
        if (firstLineEnd < 0) {
            firstLineEnd = findLineEnd(start, headEnd < 0 ? end : headEnd);
        }
        if (headEnd < 0) {
            scan = Math.max(start, end - 3);
            if (firstLineEnd < 0 && end - start > limits.maxRequestLine) {
                throw new BadMessageException(414, "request line longer than " + limits.maxRequestLine + " bytes");
            }
            if (firstLineEnd >= 0 && end - (firstLineEnd + 2) > limits.maxHeaderBytes) {
                throw headerTooLarge();
            }
            return null;
        }
        if (firstLineEnd - start > limits.maxRequestLine) {
            throw new BadMessageException(414, "request line longer than " + limits.maxRequestLine + " bytes");
        }
        if (headEnd - (firstLineEnd + 2) > limits.maxHeaderBytes) {
            throw headerTooLarge();
        }
        int headStart = start;
        start = headEnd;
        scan = headEnd;
        HttpRequest request = parseRequest(headStart, firstLineEnd, headEnd);
        framing(request);
        return request;
    }

    private BadMessageException headerTooLarge() {
        return new BadMessageException(431, "header section larger than " + limits.maxHeaderBytes + " bytes");
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
    private HttpRequest parseRequest(int from, int lineEnd, int headEnd) throws BadMessageException {
        int sp1 = indexOf(' ', from, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, lineEnd);
        if (sp1 <= from || sp2 <= sp1 + 1 || indexOf(' ', sp2 + 1, lineEnd) >= 0) {
            throw new BadMessageException(400, "malformed request line");
        }
        for (int i = from; i < sp1; i++) {
            if (!isTokenChar(in[i])) {
                throw new BadMessageException(400, "malformed method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (in[i] <= ' ' || in[i] == 127) {
                throw new BadMessageException(400, "control character in the request target");
            }
        }
        String method = method(from, sp1);
        String target = latin1(sp1 + 1, sp2);
        String version = version(sp2 + 1, lineEnd);
        if (target.charAt(0) != '/' && !(target.equals("*") && method.equals("OPTIONS"))
                && !target.regionMatches(true, 0, "http://", 0, 7)) {
            throw new BadMessageException(400, "malformed request target");
        }
        HttpHeaders headers = fields(lineEnd + 2, headEnd);
        if (version.equals("HTTP/1.1")) {
            int hosts = headers.all("Host").size();
            if (hosts != 1) {
                throw new BadMessageException(400, hosts == 0 ? "missing Host header" : "more than one Host header");
            }
        }
        return new HttpRequest(method, target, version, headers);
    }

    private String version(int from, int to) throws BadMessageException {
        if (to - from == 8 && startsWith(from, "HTTP/") && isDigit(in[from + 5]) && in[from + 6] == '.'
                && isDigit(in[from + 7])) {
            if (in[from + 5] != '1') {
                throw new BadMessageException(505, "HTTP version " + latin1(from, to) + " is not supported");
            }
            return in[from + 7] == '0' ? "HTTP/1.0" : "HTTP/1.1";
        }
        throw new BadMessageException(400, "malformed HTTP version");
    }

    /** The header fields of in[line, headEnd), the section's final CRLF included. */
    private HttpHeaders fields(int line, int headEnd) throws BadMessageException {
        HttpHeaders headers = new HttpHeaders();
        int count = 0;
        while (line < headEnd - 2) {
            int eol = findLineEnd(line, headEnd);
            if (in[line] == ' ' || in[line] == '\t') {
                throw new BadMessageException(400, "obsolete line folding in a header field");
            }
            int colon = indexOf(':', line, eol);
            if (colon <= line) {
                throw new BadMessageException(400, "malformed header field");
            }
            for (int i = line; i < colon; i++) {
                if (!isTokenChar(in[i])) {
                    throw new BadMessageException(400, "malformed header field name");
                }
            }
            if (++count > limits.maxHeaders) {
                throw new BadMessageException(431, "more than " + limits.maxHeaders + " header fields");
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
                    throw new BadMessageException(400, "control character in a header field value");
                }
            }
            headers.add(latin1(line, colon), latin1(vs, ve));
            line = eol + 2;
        }
        return headers;
    }

    /** Sets up reading the body the head announces, if any (RFC 9112 §6.3). */
    private void framing(HttpRequest request) throws BadMessageException {
        HttpHeaders headers = request.headers();
        String te = headers.get("Transfer-Encoding");
        List<String> lengths = headers.all("Content-Length");
        if (te != null) {
            if (!lengths.isEmpty()) {
                throw new BadMessageException(400, "both Content-Length and Transfer-Encoding");
            }
            if (headers.all("Transfer-Encoding").size() != 1 || !te.trim().equalsIgnoreCase("chunked")) {
                throw new BadMessageException(501, "Transfer-Encoding " + te + " is not supported (only chunked)");
            }
            if (request.version().equals("HTTP/1.0")) {
                throw new BadMessageException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            chunks = new ChunkedDecoder(MAX_CHUNK_LINE, limits.maxHeaderBytes, limits.maxBody);
            startBody(request, State.CHUNKED, 0);
            return;
        }
        long length = contentLength(lengths);
        if (length > limits.maxBody) {
            throw new BadMessageException(413, "body of " + length + " bytes is over the limit of " + limits.maxBody);
        }
        if (length > 0) {
            startBody(request, State.LENGTH, length);
        }
    }

    /** The one length the Content-Length fields agree on; -1 for none. */
    private static long contentLength(List<String> lengths) throws BadMessageException {
        long length = -1;
        for (String v : lengths) {
            for (String part : v.split(",", -1)) {
                long n = parseLength(part.trim());
                if (n < 0) {
                    throw new BadMessageException(400, "bad Content-Length: " + v);
                }
                if (length >= 0 && n != length) {
                    throw new BadMessageException(400, "conflicting Content-Length values: " + lengths);
                }
                length = n;
            }
        }
        return length;
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

    // ------------------------------------------------------------------ the body

    private void startBody(HttpRequest request, State bodyState, long length) {
        current = request;
        state = bodyState;
        lengthLeft = length;
        // Sized for what has come, not for what is announced: a thousand connections that each
        // announce a megabyte and send nothing must not cost a gigabyte.
        body = new byte[(int) Math.min(Math.max(length, 256), INITIAL_BUFFER * 16)];
        bodyLength = 0;
        continueWanted = request.version().equals("HTTP/1.1") && request.headers().hasToken("Expect", "100-continue");
    }

    private void appendBody(byte[] from, int offset, int length) {
        if (bodyLength + length > body.length) {
            long grown = Math.max(bodyLength + (long) length, body.length * 2L);
            body = Arrays.copyOf(body, (int) Math.min(grown, Math.max(limits.maxBody, bodyLength + length)));
        }
        System.arraycopy(from, offset, body, bodyLength, length);
        bodyLength += length;
    }

    private HttpRequest finishBody() {
        HttpRequest request = current;
        request.body(bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength));
        current = null;
        body = null;
        chunks = null;
        continueWanted = false;
        state = State.HEAD;
        return request;
    }

    // ------------------------------------------------------------------ bytes

    private void compact(int incoming) {
        int unread = end - start;
        if (unread + incoming > in.length) {
            in = Arrays.copyOfRange(in, start, start + Math.max(in.length * 2, unread + incoming));
        } else {
            System.arraycopy(in, start, in, 0, unread);
        }
        scan = Math.max(0, scan - start);
        start = 0;
        end = unread;
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
        return latin1(from, to);
    }

    /** Header bytes as text: ISO-8859-1, one char per byte (RFC 9110 §5.5). */
    private String latin1(int from, int to) {
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return b > 32 && b < 127 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}
