package io.eventloop.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventloop.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An HTTP response: status, reason, header fields and a body. The server writes what a handler
 * returns; the client returns one per request. The body is either bytes, sent with
 * {@code Content-Length}, a {@linkplain #streaming stream} the server sends chunked as its
 * producer writes it, or a range of a {@linkplain #file file} the server sends with
 * {@link io.eventloop.net.Transport#sendFile}.
 *
 * <p>Compared with aiohttp: {@code web.Response} and {@code web.StreamResponse} on the server
 * side, and on the client side a {@code ClientResponse} whose body has been read already, so
 * {@link #text()} and {@link #json()} need no {@code await}. Immutable once built, except for its
 * header fields.
 */
public final class HttpResponse {
    /** Where a streaming body's producer writes its chunks. */
    public interface BodySink {
        /**
         * Sends {@code chunk} (an empty one is skipped) and returns a future that completes when
         * the producer may write again: at once while the connection keeps up, later when its
         * write buffer is above the high-water mark. It fails if the connection is gone.
         */
        Future<Void> write(byte[] chunk);
    }

    /** The producer of a streaming body: writes to the sink, completes when the body is done. */
    @FunctionalInterface
    public interface BodyWriter {
        /** Writes the whole body to {@code sink}; the future completes after the last chunk. */
        Future<Void> writeTo(BodySink sink);
    }

    private final int status;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;
    private final BodyWriter stream;
    private final long streamLength;
    private Path file;
    private long filePosition;
    private long fileLength;

    /** A response with a body of bytes (null for none). */
    public HttpResponse(int status, HttpHeaders headers, byte[] body) {
        this(status, Status.reason(status), headers, body, null);
    }

    HttpResponse(int status, String reason, HttpHeaders headers, byte[] body, BodyWriter stream) {
        this(status, reason, headers, body, stream, -1);
    }

    private HttpResponse(int status, String reason, HttpHeaders headers, byte[] body, BodyWriter stream,
            long streamLength) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be three digits, got " + status);
        }
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body == null ? HttpRequest.NO_BODY : body;
        this.stream = stream;
        this.streamLength = streamLength;
    }

    /** {@code status} with a {@code text/plain; charset=utf-8} body. */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with an {@code application/json} body (already encoded by the caller). */
    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with no body. */
    public static HttpResponse empty(int status) {
        return new HttpResponse(status, new HttpHeaders(), null);
    }

    /**
     * A response whose body {@code writer} produces while it is being sent, chunk by chunk
     * ({@code Transfer-Encoding: chunked} to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones):
     * aiohttp's {@code StreamResponse}.
     */
    public static HttpResponse streaming(int status, String contentType, BodyWriter writer) {
        return new HttpResponse(status, Status.reason(status), HttpHeaders.of("Content-Type", contentType), null, writer);
    }

    /**
     * A response of {@code length} bytes that {@code writer} produces while it is being sent,
     * with a {@code Content-Length}: a large body that is never held in memory whole. The writer
     * runs only when the response is sent (never for {@code HEAD}), and must write exactly
     * {@code length} bytes: the connection is aborted if it writes more or ends with fewer.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static HttpResponse streaming(int status, String contentType, long length, BodyWriter writer) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        return new HttpResponse(status, Status.reason(status), HttpHeaders.of("Content-Type", contentType), null,
                writer, length);
    }

    /**
     * A response whose body is {@code length} bytes of {@code file} from {@code position}, sent
     * with a {@code Content-Length} by {@link io.eventloop.net.Transport#sendFile} (zero-copy on a
     * plain socket; a body of 16 KiB or less is read and leaves with the head in one write):
     * aiohttp's {@code web.FileResponse}. The file is opened when the body is sent
     * (never for {@code HEAD}) and closed once it is out; if it then holds fewer bytes than
     * announced, the connection is aborted, the only way to tell the client.
     *
     * @throws IllegalArgumentException if {@code position} or {@code length} is negative
     */
    public static HttpResponse file(int status, String contentType, Path file, long position, long length) {
        Objects.requireNonNull(file, "file");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position and length must not be negative, got " + position + " and " + length);
        }
        HttpResponse r = new HttpResponse(status, Status.reason(status), HttpHeaders.of("Content-Type", contentType),
                null, null);
        r.file = file;
        r.filePosition = position;
        r.fileLength = length;
        return r;
    }

    /** The file a {@link #file} response sends, or {@code null}. */
    public Path file() {
        return file;
    }

    /** Where in {@link #file()} the body starts. */
    public long filePosition() {
        return filePosition;
    }

    /** How many bytes of {@link #file()} the body is. */
    public long fileLength() {
        return fileLength;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The reason phrase (as the peer sent it, for a received response). */
    public String reason() {
        return reason;
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body bytes (empty for a streaming response, which the server produces as it sends). */
    public byte[] body() {
        return body;
    }

    /** The body decoded as UTF-8. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON, a tree: aiohttp's {@code await response.json()}, here without the
     * {@code await} since the body has been read. An object is an {@code ObjectNode} (its fields in
     * the order received), an array an {@code ArrayNode}:
     * {@code client.get(url).map(HttpResponse::json).map(j -> j.get("args").get("show").asText())}.
     * Parsed with Jackson's databind; its {@code ObjectMapper.treeToValue(tree, type)} turns the
     * tree into a record of yours, {@code convertValue(tree, Map.class)} into a {@code Map}. Unlike aiohttp, it does not refuse a body whose
     * {@code Content-Type} is not {@code application/json}: it tries, and says that type if the
     * body is not JSON.
     *
     * @throws IOException if the body is empty or not one JSON value; the message says where it
     *     stops being JSON and the {@code Content-Type}
     */
    public JsonNode json() throws IOException {
        return Json.parse(body, header("Content-Type"));
    }

    /** The producer of a streaming body, or {@code null}. */
    public BodyWriter stream() {
        return stream;
    }

    /** The length a streaming body was announced with, or -1 when it is sent chunked. */
    public long streamLength() {
        return streamLength;
    }

    @Override
    public String toString() {
        return status + " " + reason + " (" + (stream != null ? "streaming" : file != null ? fileLength + " bytes of " + file
                : body.length + " bytes") + ")";
    }
}
