package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eventloop.Async;
import io.eventloop.examples.LoopThread;
import io.eventloop.net.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http-server --dir}: {@link StaticFiles} behind {@link HttpServer}, with raw requests and curl. */
class StaticFilesTest {
    /** Bigger than the socket buffers on both sides of a loopback connection. */
    private static final int BIG = 24 << 20;

    @TempDir
    Path tmp;
    private Path www;
    private byte[] big;
    private LoopThread t;
    private HttpServer http;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        www = Files.createDirectory(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(www.resolve("a.txt"), "0123456789");
        Files.writeString(www.resolve("style.CSS"), "p {}");
        Files.writeString(www.resolve("noext"), "x");
        Files.writeString(www.resolve(".hidden"), "hidden");
        Files.createDirectory(www.resolve("docs"));
        Files.writeString(www.resolve("docs/index.html"), "docs");
        Files.createDirectory(www.resolve("empty"));
        Files.writeString(www.resolve("sp ace.txt"), "space");
        big = new byte[BIG];
        new Random(1).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(www.resolve("out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(www.resolve("outdir"), tmp);
        Files.createSymbolicLink(www.resolve("in.txt"), www.resolve("a.txt"));
        Files.setLastModifiedTime(www.resolve("a.txt"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
        t = new LoopThread("static-files");
        http = new HttpServer().fallback(new StaticFiles(www));
        server = t.call(() -> http.start(t.loop, "127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            t.call(() -> {
                server.close();
                server.abortClients();
                return server.waitClosed();
            });
        } finally {
            t.close();
        }
    }

    private RawHttp.Response get(String target, String... headers) throws IOException {
        return request("GET", target, headers);
    }

    private RawHttp.Response request(String method, String target, String... headers) throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            c.send(req.append("Connection: close\r\n\r\n").toString());
            return c.read(method.equals("HEAD"));
        }
    }

    @Test
    void aFileComesWithItsLengthTypeAndDate() throws IOException {
        RawHttp.Response r = get("/a.txt");
        assertEquals(200, r.status());
        assertEquals("0123456789", r.text());
        assertEquals("10", r.header("Content-Length"));
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("Tue, 02 Jan 2024 03:04:05 GMT", r.header("Last-Modified"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        assertEquals("text/css; charset=utf-8", get("/style.CSS").header("Content-Type"));
        assertEquals("application/octet-stream", get("/noext").header("Content-Type"));
        assertEquals("space", get("/sp%20ace.txt").text());
        assertEquals("0123456789", get("/in.txt").text(), "a link inside the directory is followed");
    }

    @Test
    void filesEitherSideOfTheSmallFileSizeComeWhole() throws IOException {
        for (int size : new int[] {ResponseWriter.SMALL_FILE - 1, ResponseWriter.SMALL_FILE, ResponseWriter.SMALL_FILE + 1}) {
            byte[] content = Arrays.copyOf(big, size);
            Files.write(www.resolve("f" + size + ".bin"), content);

            RawHttp.Response r = get("/f" + size + ".bin");

            assertEquals(200, r.status());
            assertEquals(Integer.toString(size), r.header("Content-Length"));
            assertArrayEquals(content, r.body(), "a file of " + size + " bytes");
            RawHttp.Response part = get("/f" + size + ".bin", "Range: bytes=100-");
            assertArrayEquals(Arrays.copyOfRange(content, 100, size), part.body(), "a range of " + size + " bytes");
        }
    }

    @Test
    void aDirectoryServesItsIndexOrNothing() throws IOException {
        assertEquals("<h1>home</h1>\n", get("/").text());
        assertEquals("text/html; charset=utf-8", get("/").header("Content-Type"));
        assertEquals("docs", get("/docs/").text());
        assertEquals("docs", get("/docs").text());
        assertEquals(404, get("/empty/").status());
        assertEquals(404, get("/missing.txt").status());
    }

    @Test
    void headGivesTheLengthAndNoBody() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(BIG), head.header("Content-Length"));
            assertEquals("0123456789", c.read().text(), "the next response follows at once: no body was sent");
        }
    }

    @Test
    void ifModifiedSinceAnswers304UntilTheFileChanges() throws IOException {
        RawHttp.Response r = get("/a.txt", "If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT");
        assertEquals(304, r.status());
        assertNull(r.header("Content-Length"));
        assertEquals(0, r.body().length);
        assertEquals(200, get("/a.txt", "If-Modified-Since: Tue, 02 Jan 2024 03:04:04 GMT").status());
        assertEquals(200, get("/a.txt", "If-Modified-Since: yesterday").status(), "a bad date is ignored");
    }

    @Test
    void oneRangeIsPartialContent() throws IOException {
        RawHttp.Response r = get("/a.txt", "Range: bytes=2-5");
        assertEquals(206, r.status());
        assertEquals("2345", r.text());
        assertEquals("bytes 2-5/10", r.header("Content-Range"));
        assertEquals("789", get("/a.txt", "Range: bytes=7-").text());
        assertEquals("89", get("/a.txt", "Range: bytes=-2").text());
        assertEquals("0123456789", get("/a.txt", "Range: bytes=-20").text());
        assertEquals("bytes 5-9/10", get("/a.txt", "Range: bytes=5-100").header("Content-Range"));
        RawHttp.Response tail = get("/big.bin", "Range: bytes=" + (BIG - 100000) + "-");
        assertArrayEquals(Arrays.copyOfRange(big, BIG - 100000, BIG), tail.body());
    }

    @Test
    void aRangePastTheEndIs416AndOthersAreIgnored() throws IOException {
        RawHttp.Response r = get("/a.txt", "Range: bytes=10-");
        assertEquals(416, r.status());
        assertEquals("bytes */10", r.header("Content-Range"));
        assertEquals(416, get("/a.txt", "Range: bytes=-0").status());
        for (String ignored : List.of("bytes=0-1,3-4", "bytes=5-2", "lines=1-2", "bytes=x-", "bytes=1")) {
            RawHttp.Response whole = get("/a.txt", "Range: " + ignored);
            assertEquals(200, whole.status(), ignored);
            assertEquals("0123456789", whole.text(), ignored);
        }
        assertEquals(200, get("/a.txt", "Range: bytes=2-5", "If-Range: Mon, 01 Jan 2024 00:00:00 GMT").status());
        assertEquals(206, get("/a.txt", "Range: bytes=2-5", "If-Range: Tue, 02 Jan 2024 03:04:05 GMT").status());
    }

    @Test
    void nothingOutsideTheDirectoryIsServed() throws IOException {
        List<String> corpus = List.of(
                "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                "/docs/../../secret.txt", "/docs/%2e%2e/%2e%2e/secret.txt", "/%2e%2e%5csecret.txt",
                "/..\\secret.txt", "/./a.txt", "/docs/./index.html", "//etc/passwd", "/%2fetc/passwd",
                "/etc/passwd", "/" + tmp.resolve("secret.txt"), "/out.txt", "/outdir/secret.txt",
                "/a.txt%00.html", "/a.txt%00", "/%00", "/.hidden", "/%2ehidden", "/docs/..",
                "/%c0%ae%c0%ae/secret.txt", "/%252e%252e/secret.txt", "/a.txt%", "/a.txt%zz",
                "http://x/../secret.txt", "*");
        for (String target : corpus) {
            RawHttp.Response r = get(target);
            assertTrue(r.status() == 400 || r.status() == 404, target + " got " + r.statusLine());
            assertTrue(!r.text().contains("secret") && !r.text().contains("root:"), target + " leaked: " + r.text());
        }
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws IOException {
        RawHttp.Response r = request("DELETE", "/a.txt");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
    }

    @Test
    void aNonDirectoryIsRefused() throws IOException {
        Path file = www.resolve("a.txt");
        assertThrows(IllegalArgumentException.class, () -> new StaticFiles(file));
        assertThrows(IOException.class, () -> new StaticFiles(tmp.resolve("none")));
    }

    @Test
    void aSlowReaderGetsEveryByteWithoutTheFileInMemory() throws Exception {
        try (RawHttp c = new RawHttp(server.port(), 64 * 1024)) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            while (c.available() == 0) {
                Thread.sleep(10); // the head and the first bytes arrive
            }
            for (int i = 0; i < 20; i++) {
                long buffered = t.call(() -> Async.completed(http.outputBuffered()));
                assertTrue(buffered < 64 * 1024, "the server holds " + buffered + " bytes for a client that does not read");
                Thread.sleep(5);
            }
            RawHttp.Response r = c.read();
            assertEquals(String.valueOf(BIG), r.header("Content-Length"));
            assertArrayEquals(big, r.body());
            assertEquals("0123456789", c.read().text(), "the pipelined request is answered after the file");
        }
    }

    @Test
    void curlDownloadsTheBigFileWholeAndARangeOfIt() throws Exception {
        Path out = tmp.resolve("download.bin");
        curl("-s", "-S", "-f", "-o", out.toString(), "http://127.0.0.1:" + server.port() + "/big.bin");
        assertArrayEquals(big, Files.readAllBytes(out));
        curl("-s", "-S", "-f", "-r", "1000-1999999", "-o", out.toString(), "http://127.0.0.1:" + server.port() + "/big.bin");
        assertArrayEquals(Arrays.copyOfRange(big, 1000, 2000000), Files.readAllBytes(out));
        String head = curl("-s", "-S", "-I", "http://127.0.0.1:" + server.port() + "/a.txt");
        assertTrue(head.contains("Content-Length: 10"), head);
    }

    @Test
    void ourHttpClientFetchesTheFile() throws Exception {
        HttpResponse r = t.call(() -> {
            HttpClient client = new HttpClient(t.loop, HttpClient.Options.defaults().maxBody(BIG));
            return client.get("http://127.0.0.1:" + server.port() + "/big.bin").ensure(client::close);
        });
        assertEquals(200, r.status());
        assertArrayEquals(big, r.body());
    }

    /** Runs curl to its end; fails naming the package when it is not installed. */
    private static String curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException missing) {
            fail("curl is not installed (Debian package curl; .ci/run installs it): " + missing.getMessage());
            return "";
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "curl did not finish");
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
            return out;
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
