package io.eventloop.examples.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP/1.x request as a handler sees it: method, target (path and raw query),
 * version, header fields, the whole body, and the values a route pattern such as
 * {@code /delay/{n}} captured.
 *
 * <p>Compared with aiohttp's {@code web.Request}: the body is already read (the server buffers
 * it up to its body limit before calling the handler), so there is no {@code await
 * request.read()}; {@link #query()} is aiohttp's {@code request.query} and {@link #pathParam}
 * its {@code request.match_info}. Belongs to the loop thread.
 */
public final class HttpRequest {
    static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String target;
    private final String version;
    private final HttpHeaders headers;
    private byte[] body = NO_BODY;
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> query;

    /** A request as the parser (or a test) builds it. */
    public HttpRequest(String method, String target, String version, HttpHeaders headers) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
    }

    void body(byte[] bytes) {
        body = bytes;
    }

    void pathParams(Map<String, String> params) {
        pathParams = params;
    }

    /** The method, as sent: {@code GET}, {@code POST}... */
    public String method() {
        return method;
    }

    /** The request target as sent: path and query, {@code /get?a=1}. */
    public String target() {
        return target;
    }

    /** The path: the target up to {@code ?}, not percent-decoded. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query after {@code ?}, or the empty string. */
    public String rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * The query arguments, decoded (UTF-8, {@code +} as space), in order, each name with all of
     * its values. An argument that does not decode is kept as sent.
     */
    public Map<String, List<String>> query() {
        if (query == null) {
            Map<String, List<String>> q = new LinkedHashMap<>();
            String raw = rawQuery();
            if (!raw.isEmpty()) {
                for (String pair : raw.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    q.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                }
            }
            query = Collections.unmodifiableMap(q);
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }

    /** The protocol version: {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return version;
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body (empty when none was sent). Do not modify it. */
    public byte[] body() {
        return body;
    }

    /** The body decoded as UTF-8. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** What the route pattern captured for {@code {name}}, or {@code null}. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
