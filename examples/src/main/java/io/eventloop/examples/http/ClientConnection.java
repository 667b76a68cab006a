package io.eventloop.examples.http;

import io.eventloop.Future;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client connection: sends a request, parses the response incrementally, then goes back to
 * the client's pool or closes.
 *
 * <pre>
 *   IDLE ──send──&gt; HEAD ──&gt; BODY_LENGTH | BODY_CHUNKED | BODY_TO_EOF | (none) ──done──&gt; IDLE (pooled) or closed
 * </pre>
 * Loop thread only.
 */
final class ClientConnection implements Protocol {
    /** The server closed a reused connection before sending any byte of the response. */
    static final class StaleConnectionException extends IOException {
        StaleConnectionException() {
            super("the server closed the idle connection before responding");
        }
    }

    private enum Phase { IDLE, HEAD, BODY_LENGTH, BODY_CHUNKED, BODY_TO_EOF }

    private static final int MAX_HEAD = 64 * 1024;
    /** The longest chunk size line, extensions included (servers send short ones). */
    private static final int MAX_CHUNK_LINE = 4096;

    final String key;
    private final HttpClient client;
    private final int maxBody;
    private Transport transport;
    private boolean lost;
    private int used; // responses read so far

    private Phase phase = Phase.IDLE;
    private Future<HttpResponse> pending;
    private boolean head;
    private boolean received; // any byte of the current response

    private byte[] in = new byte[8192];
    private int start;
    private int end;

    private int status;
    private String reason;
    private HttpHeaders headers;
    private boolean keepAlive;
    private long remaining; // BODY_LENGTH: bytes left
    private ChunkedDecoder chunks;
    private byte[] body;
    private int bodyLength;

    ClientConnection(HttpClient client, String key, int maxBody) {
        this.client = client;
        this.key = key;
        this.maxBody = maxBody;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
    }

    /** Whether this pooled connection may carry another request. */
    boolean usable() {
        return !lost && transport != null && !transport.isClosing() && phase == Phase.IDLE;
    }

    void send(byte[] request, boolean isHead, Future<HttpResponse> result) {
        pending = result;
        head = isHead;
        received = false;
        phase = Phase.HEAD;
        result.onDone(f -> {
            if (pending == f) { // abandoned (cancelled or timed out) before the response was read
                pending = null;
                abort();
            }
        });
        if (lost || transport.isClosing()) {
            fail(used > 0 ? new StaleConnectionException() : new IOException("connection closed"));
            return;
        }
        transport.write(request);
    }

    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    void abort() {
        if (transport != null) {
            transport.abort();
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (phase == Phase.IDLE) {
            abort(); // bytes nobody asked for: the connection cannot be trusted any more
            return;
        }
        received = true;
        int n = data.remaining();
        if (end + n > in.length) {
            int unread = end - start;
            byte[] bigger = unread + n > in.length ? new byte[Math.max(in.length * 2, unread + n)] : in;
            System.arraycopy(in, start, bigger, 0, unread);
            in = bigger;
            start = 0;
            end = unread;
        }
        data.get(data.position(), in, end, n);
        end += n;
        try {
            parse();
        } catch (IOException e) {
            fail(e);
            abort();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost = true;
        if (pending != null) {
            if (phase == Phase.BODY_TO_EOF && cause == null) {
                finish(); // the close is the end of the body
            } else if (!received && used > 0) {
                fail(new StaleConnectionException());
            } else {
                fail(cause instanceof IOException io ? io
                        : new IOException("connection closed before the response was complete", cause));
            }
        }
        client.lost(this);
    }

    private void fail(IOException e) {
        Future<HttpResponse> p = pending;
        pending = null;
        phase = Phase.IDLE;
        if (p != null) {
            p.fail(e);
        }
    }

    private void parse() throws IOException {
        while (pending != null) {
            switch (phase) {
                case HEAD -> {
                    if (!parseHead()) {
                        return;
                    }
                }
                case BODY_LENGTH, BODY_TO_EOF -> {
                    long take = phase == Phase.BODY_TO_EOF ? end - start : Math.min(remaining, end - start);
                    appendBody((int) take);
                    if (phase == Phase.BODY_TO_EOF || (remaining -= take) > 0) {
                        return;
                    }
                    finish();
                }
                case BODY_CHUNKED -> {
                    if (!parseChunks()) {
                        return;
                    }
                    finish();
                }
                default -> {
                    return;
                }
            }
        }
    }

    private boolean parseHead() throws IOException {
        int headEnd = -1;
        for (int i = start; i + 3 < end; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\r' && in[i + 3] == '\n') {
                headEnd = i + 4;
                break;
            }
        }
        if (headEnd < 0) {
            if (end - start > MAX_HEAD) {
                throw new ProtocolException("response head larger than " + MAX_HEAD + " bytes");
            }
            return false;
        }
        String text = new String(in, start, headEnd - 4 - start, StandardCharsets.ISO_8859_1);
        start = headEnd;
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || statusLine[1].length() != 3) {
            throw new ProtocolException("not an HTTP/1.x status line: " + lines[0]);
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status code in: " + lines[0]);
        }
        reason = statusLine.length > 2 ? statusLine[2] : "";
        headers = new HttpHeaders();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("malformed header field: " + lines[i]);
            }
            headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        if (status >= 100 && status < 200) {
            return true; // an interim response (100 Continue): the real one follows
        }
        boolean http10 = statusLine[0].equals("HTTP/1.0");
        keepAlive = http10 ? headers.hasToken("Connection", "keep-alive") : !headers.hasToken("Connection", "close");
        body = null;
        bodyLength = 0;
        if (head || Status.bodiless(status)) {
            finish();
            return true;
        }
        String te = headers.get("Transfer-Encoding");
        String cl = headers.get("Content-Length");
        if (te != null && te.toLowerCase(java.util.Locale.ROOT).endsWith("chunked")) {
            phase = Phase.BODY_CHUNKED;
            chunks = new ChunkedDecoder(MAX_CHUNK_LINE, MAX_HEAD, maxBody);
        } else if (cl != null) {
            try {
                remaining = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                remaining = -1;
            }
            if (remaining < 0) {
                throw new ProtocolException("bad Content-Length: " + cl);
            }
            if (remaining > maxBody) {
                throw new ProtocolException("response body of " + remaining + " bytes is over the limit of " + maxBody);
            }
            if (remaining == 0) {
                finish();
                return true;
            }
            phase = Phase.BODY_LENGTH;
        } else {
            phase = Phase.BODY_TO_EOF;
            keepAlive = false;
        }
        return true;
    }

    private boolean parseChunks() throws IOException {
        start = chunks.decode(in, start, end, (buffer, from, length) -> {
            ensureBody(length);
            System.arraycopy(buffer, from, body, bodyLength, length);
            bodyLength += length;
        });
        return chunks.isDone();
    }

    private void appendBody(int n) throws IOException {
        if (n == 0) {
            return;
        }
        if ((long) bodyLength + n > maxBody) {
            throw new ProtocolException("response body over the limit of " + maxBody + " bytes");
        }
        ensureBody(n);
        System.arraycopy(in, start, body, bodyLength, n);
        bodyLength += n;
        start += n;
    }

    /** Room for {@code n} more body bytes (the chunked decoder has checked the limit already). */
    private void ensureBody(int n) {
        if (body == null) {
            body = new byte[Math.max(n, phase == Phase.BODY_LENGTH ? (int) Math.min(remaining, 1 << 20) : 8192)];
        } else if (bodyLength + n > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
        }
    }

    private void finish() {
        byte[] bytes = body == null ? HttpRequest.NO_BODY : bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        HttpResponse response = new HttpResponse(status, reason, headers, bytes, null);
        Future<HttpResponse> p = pending;
        pending = null;
        body = null;
        chunks = null;
        phase = Phase.IDLE;
        used++;
        if (lost) {
            // already closed: nothing to pool
        } else if (keepAlive && start == end) {
            client.release(this);
        } else {
            transport.close();
        }
        start = 0;
        end = 0;
        p.complete(response);
    }
}
