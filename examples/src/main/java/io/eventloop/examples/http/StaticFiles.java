package io.eventloop.examples.http;

import io.eventloop.Async;
import io.eventloop.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the files under one directory, a {@link HttpServer.Handler} for
 * {@link HttpServer#fallback}: {@code GET} and {@code HEAD}, {@code Content-Length},
 * {@code Content-Type} from the extension, {@code Last-Modified} and {@code If-Modified-Since}
 * (304), one {@code Range} (206, or 416 when it starts past the end), a directory's
 * {@code index.html} (no listings), bodies sent with {@link io.eventloop.net.Transport#sendFile}
 * (up to 16 KiB, read into the response's buffer to leave with its head in one write).
 * aiohttp's {@code app.router.add_static(prefix, path)}, asyncio's {@code loop.sendfile} under it.
 *
 * <p><b>What is exposed.</b> Regular files under the directory, and nothing else: the path is
 * percent-decoded once; a NUL, a backslash, a {@code .} or {@code ..} segment, or a path that
 * does not start with {@code /} is refused (400 or 404) before the file system is asked; the
 * file's real path (every symbolic link followed) must lie under the directory's real path, so
 * a link that points outside is a 404 like a missing file; so are hidden names (a segment
 * starting with {@code .}), devices, sockets and FIFOs. Errors say no more than "not found".
 *
 * <p>The {@code stat} and {@code open} are made on the loop thread, as nginx makes them in its
 * event loop: a local file system answers from its cache in microseconds. A directory on a
 * network file system would stall the loop; serve it through
 * {@link io.eventloop.EventLoop#runInExecutor} instead.
 */
public final class StaticFiles implements HttpServer.Handler {
    /** IMF-fixdate, the only date format a server sends (RFC 9110 §5.6.7). */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("xml", "application/xml"),
            Map.entry("csv", "text/csv; charset=utf-8"), Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("wasm", "application/wasm"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"));
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final Path root;

    /**
     * Serves {@code directory}.
     *
     * @throws IOException if it does not exist
     * @throws IllegalArgumentException if it is not a directory
     */
    public StaticFiles(Path directory) throws IOException {
        root = directory.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--dir must be a directory: " + directory);
        }
    }

    /** The directory served, every link resolved. */
    public Path root() {
        return root;
    }

    @Override
    public Future<HttpResponse> handle(HttpRequest request) {
        return Async.completed(respond(request));
    }

    private HttpResponse respond(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            HttpResponse r = HttpResponse.text(405, "method not allowed\n");
            r.headers().set("Allow", "GET, HEAD");
            return r;
        }
        String path = decode(request.path());
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return HttpResponse.text(400, "bad path\n");
        }
        Found found = resolve(path);
        if (found == null || !found.attributes.isRegularFile() || !Files.isReadable(found.file)) {
            return notFound();
        }
        return serve(request, found.file, found.attributes);
    }

    /** A file that may be served, and what the file system says of it. */
    private record Found(Path file, BasicFileAttributes attributes) {
    }

    /**
     * The file {@code path} names under the root, or null if it may not be served: a segment that
     * is empty (beyond a trailing slash), {@code .}, {@code ..} or hidden, or a real path outside
     * the root. A directory becomes its {@code index.html}.
     *
     * <p>The common case costs one {@code lstat} per segment below the root (the root itself is
     * a real path already): a path with no symbolic link in it is its own real path, and the last
     * {@code lstat} says what the file is. Only a path through a link takes the full resolution,
     * {@link Path#toRealPath}, and is then checked to stay under the root.
     */
    private Found resolve(String path) {
        Path p = root;
        BasicFileAttributes a = null;
        String[] segments = path.substring(1).split("/", -1);
        try {
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.isEmpty() && i == segments.length - 1) {
                    break; // a trailing slash: the directory itself
                }
                if (s.isEmpty() || s.startsWith(".")) {
                    return null; // "//", ".", "..", and hidden files
                }
                p = p.resolve(s);
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    for (int j = i + 1; j < segments.length; j++) {
                        String rest = segments[j];
                        if (rest.isEmpty() && j == segments.length - 1) {
                            break;
                        }
                        if (rest.isEmpty() || rest.startsWith(".")) {
                            return null;
                        }
                        p = p.resolve(rest);
                    }
                    return resolveThroughLinks(p);
                }
                if (!a.isDirectory() && i < segments.length - 1) {
                    return null; // a file used as a directory
                }
            }
            if (a == null || a.isDirectory()) {
                Path index = p.resolve("index.html");
                BasicFileAttributes ia = Files.readAttributes(index, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return ia.isSymbolicLink() ? resolveThroughLinks(index) : new Found(index, ia);
            }
            return new Found(p, a);
        } catch (IOException | RuntimeException e) {
            return null; // missing, unreadable, or a name the file system refuses
        }
    }

    /** A path with a symbolic link in it: served only if its real path stays under the root. */
    private Found resolveThroughLinks(Path p) throws IOException {
        Path real = p.toRealPath();
        if (!real.startsWith(root)) {
            return null; // a symbolic link out of the directory
        }
        if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            real = real.resolve("index.html").toRealPath();
            if (!real.startsWith(root)) {
                return null;
            }
        }
        return new Found(real, Files.readAttributes(real, BasicFileAttributes.class));
    }

    private HttpResponse serve(HttpRequest request, Path file, BasicFileAttributes attributes) {
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toInstant().getEpochSecond();
        String lastModified = HTTP_DATE.format(Instant.ofEpochSecond(modified));
        String type = contentType(file.getFileName().toString());
        String since = request.header("If-Modified-Since");
        if (since != null && request.header("If-None-Match") == null) {
            Instant t = parseDate(since);
            if (t != null && modified <= t.getEpochSecond()) {
                HttpResponse r = HttpResponse.empty(304);
                r.headers().set("Last-Modified", lastModified);
                return r;
            }
        }
        long start = 0;
        long length = size;
        int status = 200;
        String range = request.header("Range");
        String ifRange = request.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(lastModified))) {
            long[] r = parseRange(range, size);
            if (r == UNSATISFIABLE) {
                HttpResponse refused = HttpResponse.text(416, "range not satisfiable\n");
                refused.headers().set("Content-Range", "bytes */" + size);
                return refused;
            }
            if (r != null) {
                status = 206;
                start = r[0];
                length = r[1] - r[0] + 1;
            }
        }
        HttpResponse r = HttpResponse.file(status, type, file, start, length);
        r.headers().set("Last-Modified", lastModified).set("Accept-Ranges", "bytes");
        if (status == 206) {
            r.headers().set("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size);
        }
        return r;
    }

    private static final long[] UNSATISFIABLE = new long[0];

    /**
     * One byte range of RFC 9110 §14.1.2 as {first, last}: {@code bytes=a-b}, {@code bytes=a-},
     * {@code bytes=-n}. Null (serve the whole file) for anything else, several ranges included
     * (a server may ignore a Range header, §14.2); {@link #UNSATISFIABLE} when it starts at or
     * past the end.
     */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long first = digits(spec.substring(0, dash).trim());
        long last = digits(spec.substring(dash + 1).trim());
        if (dash == 0) { // a suffix: the last n bytes
            if (last < 0) {
                return null;
            }
            if (last == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {Math.max(0, size - last), size - 1};
        }
        if (first < 0 || (dash < spec.length() - 1 && last < 0) || (last >= 0 && last < first)) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new long[] {first, last < 0 || last >= size ? size - 1 : last};
    }

    /** A non-negative decimal of at most 18 digits, else -1. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private static Instant parseDate(String s) {
        try {
            return ZonedDateTime.parse(s.trim(), HTTP_DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null; // RFC 9110 §13.1.3: an invalid date is ignored
        }
    }

    /** The path percent-decoded as UTF-8, or null if an escape is malformed or the bytes are not UTF-8. */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return null;
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return null; // the request line is ASCII
            }
        }
        byte[] bytes = out.toByteArray();
        String s = new String(bytes, StandardCharsets.UTF_8);
        return java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes) ? s : null;
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return DEFAULT_TYPE;
        }
        return TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
    }

    private static HttpResponse notFound() {
        return HttpResponse.text(404, "not found\n");
    }
}
