package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server over raw sockets: framing, keep-alive, pipelining, limits, timeouts, refusals. */
class HttpServerTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    private HttpFixture f;

    @AfterEach
    void closeFixture() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private HttpFixture start() throws Exception {
        return start(HttpServer.Limits.defaults());
    }

    private HttpFixture start(HttpServer.Limits limits) throws Exception {
        f = new HttpFixture(limits);
        return f;
    }

    @Test
    void helloIsExactlyTheThirteenBytesWithLengthAndType() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send(GET).read();
            assertEquals("HTTP/1.1 200 OK", r.statusLine());
            assertEquals("Hello, World!", r.text());
            assertEquals("13", r.header("Content-Length"));
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertTrue(r.header("Date").endsWith(" GMT"), r.headers().toString());
            assertNull(r.header("Connection"));
        }
    }

    @Test
    void badLimitsAreRefusedNamingTheValue() {
        HttpServer.Limits d = HttpServer.Limits.defaults();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> d.withBodyTimeout(Duration.ZERO));
        assertEquals("bodyTimeout must be a positive duration, got PT0S", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> d.withMinBodyRate(-1));
        assertEquals("minBodyRate must be positive, got -1", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> d.withWriteTimeout(null));
        assertEquals("writeTimeout must be a positive duration, got null", e.getMessage());
        assertEquals(Duration.ofSeconds(10), d.withWriteTimeout(Duration.ofSeconds(5)).bodyTimeout, "a copy keeps the rest");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, c.send(GET).read().status());
            }
        }
        assertEquals(1, f.accepted());
    }

    @Test
    void pipelinedResponsesComeInRequestOrderEvenWhenTheFirstIsSlowest() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            c.send("GET /delay/0.3 HTTP/1.1\r\nHost: t\r\n\r\n" + GET + "GET /get?n=3 HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Response first = c.read();
            RawHttp.Response second = c.read();
            RawHttp.Response third = c.read();
            assertTrue(first.text().contains("\"path\": \"/delay/0.3\""), first.text());
            assertTrue(first.text().contains("\"delay\": 0.3"), first.text());
            assertEquals("Hello, World!", second.text());
            assertTrue(third.text().contains("\"args\": {\n    \"n\": \"3\"\n  }"), third.text());
        }
    }

    @Test
    void aPipelineLongerThanTheBoundIsServedInOrder() throws Exception {
        start(HttpServer.Limits.defaults().withMaxPipelined(2));
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            requests.append("GET /delay/0.0").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        try (RawHttp c = new RawHttp(f.port())) {
            c.send(requests.toString());
            for (int i = 0; i < 7; i++) {
                assertTrue(c.read().text().contains("\"path\": \"/delay/0.0" + i + "\""));
            }
        }
    }

    @Test
    void headSendsTheHeadOfGetAndNoBody() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response head = c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("13", head.header("Content-Length"));
            // no body was sent: the next response starts right after the head
            assertEquals("Hello, World!", c.send(GET).read().text());
        }
    }

    @Test
    void connectionCloseIsAnsweredThenClosed() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertEquals("close", r.header("Connection"));
            assertEquals("Hello, World!", r.text());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertEquals("HTTP/1.0 200 OK", r.statusLine());
            assertTrue(c.closedByPeer());
        }
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals(200, c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status());
        }
    }

    @Test
    void aChunkedRequestBodyIsDecoded() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n").send("7\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n");
            assertEquals("hello, world", c.read().text());
            assertEquals(200, c.send(GET).read().status());
        }
    }

    @Test
    void aContentLengthBodyArrivingInPiecesIsWhole() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n01234");
            c.send("56789" + GET);
            assertEquals("0123456789", c.read().text());
            assertEquals("Hello, World!", c.read().text());
        }
    }

    @Test
    void aStreamingResponseIsChunkedAndMatchesTheSameBytesSentWithALength() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response chunked = c.send("GET /bytes/100000?chunked=1&seed=5 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            RawHttp.Response sized = c.send("GET /bytes/100000?seed=5 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals("chunked", chunked.header("Transfer-Encoding"));
            assertEquals("100000", sized.header("Content-Length"));
            assertEquals(100000, chunked.body().length);
            assertArrayEquals(sized.body(), chunked.body());
        }
    }

    @Test
    void aStreamingResponseToHttp10IsCloseDelimited() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send("GET /bytes/40000?chunked=1&seed=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("close", r.header("Connection"));
            assertEquals(40000, r.body().length);
        }
    }

    @Test
    void aThrowingOrFailingHandlerGets500AndTheConnectionStaysUsable() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            assertEquals(500, c.send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals(500, c.send("GET /fail HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals(200, c.send(GET).read().status());
        }
        assertEquals(1, f.accepted());
    }

    @Test
    void badPathValuesGet400NamingTheValue() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            for (String path : List.of("/delay/abc", "/delay/11", "/status/99", "/status/x", "/bytes/-1", "/bytes/10485761")) {
                RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals(400, r.status(), path);
                String value = path.substring(path.lastIndexOf('/') + 1);
                assertTrue(r.text().contains("got " + value), r.text());
            }
            assertEquals(418, c.send("GET /status/418 HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals(204, c.send("GET /status/204 HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertEquals(404, c.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            RawHttp.Response r = c.send("DELETE / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("Allow"));
        }
    }

    @Test
    void aSlowHeaderGets408AndTheConnectionCloses() throws Exception {
        start(HttpServer.Limits.defaults().withHeaderTimeout(Duration.ofMillis(200)));
        try (RawHttp c = new RawHttp(f.port())) {
            RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHos").read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAResponse() throws Exception {
        start(HttpServer.Limits.defaults().withIdleTimeout(Duration.ofMillis(200)));
        try (RawHttp c = new RawHttp(f.port())) {
            assertEquals(200, c.send(GET).read().status());
            assertTrue(c.closedByPeer()); // EOF, not a byte of a response
        }
    }

    @Test
    void aRequestSlowerThanTheIdleTimeoutIsAnsweredAndTheTimeoutStartsAgainAfterIt() throws Exception {
        // The idle timer armed after the first response fires while /delay is still working: it
        // must find the connection busy, not close it, and time the idleness again afterwards.
        start(HttpServer.Limits.defaults().withIdleTimeout(Duration.ofMillis(150)));
        try (RawHttp c = new RawHttp(f.port())) {
            assertEquals(200, c.send(GET).read().status());
            assertEquals(200, c.send("GET /delay/0.4 HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void aStreamSlowerThanTheIdleTimeoutIsNotCutOff() throws Exception {
        start(HttpServer.Limits.defaults().withIdleTimeout(Duration.ofMillis(100)));
        try (RawHttp c = new RawHttp(f.port())) {
            assertEquals("part 3\npart 2\npart 1\n", c.send("GET /slow-stream HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        }
    }

    @Test
    void expectContinueGetsAnInterimResponse() throws Exception {
        start();
        try (RawHttp c = new RawHttp(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status());
            assertEquals("abc", c.send("abc").read().text());
        }
    }

    static Stream<Arguments> malformed() {
        String host = "Host: t\r\n";
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n" + host);
        for (int i = 0; i < 100; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        many.append("\r\n");
        return Stream.of(
                Arguments.of("oversized request line", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + host + "\r\n", List.of(414)),
                Arguments.of("oversized request line, unfinished", "GET /" + "a".repeat(9000), List.of(414)),
                Arguments.of("oversized header section", "GET / HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(40_000) + "\r\n\r\n", List.of(431)),
                Arguments.of("too many header fields", many.toString(), List.of(431)),
                Arguments.of("non-numeric Content-Length", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n", List.of(400)),
                Arguments.of("negative Content-Length", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: -5\r\n\r\n", List.of(400)),
                Arguments.of("two different Content-Lengths", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", List.of(400)),
                Arguments.of("Content-Length and Transfer-Encoding", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", List.of(400)),
                Arguments.of("unknown Transfer-Encoding", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", List.of(501)),
                Arguments.of("body over the limit", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 2000000\r\n\r\n", List.of(413)),
                Arguments.of("chunked body over the limit", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n200000\r\n", List.of(413)),
                Arguments.of("malformed chunk size", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", List.of(400)),
                Arguments.of("bare LF chunk lines", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n", List.of(400)),
                Arguments.of("20,000 trailer lines", "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
                        + "X-T: 1234\r\n".repeat(20_000) + "\r\n", List.of(431)),
                Arguments.of("NUL in the request line", "GET /\0 HTTP/1.1\r\n" + host + "\r\n", List.of(400)),
                Arguments.of("NUL in a header field", "GET / HTTP/1.1\r\n" + host + "X-A: a\0b\r\n\r\n", List.of(400)),
                Arguments.of("bare LF line ends", "GET / HTTP/1.1\n" + host.replace("\r", "") + "\n", List.of(400)),
                Arguments.of("obsolete line folding", "GET / HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n", List.of(400)),
                Arguments.of("space before the colon", "GET / HTTP/1.1\r\n" + host + "X-A : a\r\n\r\n", List.of(400)),
                Arguments.of("missing Host on 1.1", "GET / HTTP/1.1\r\n\r\n", List.of(400)),
                Arguments.of("two Host fields", "GET / HTTP/1.1\r\n" + host + host + "\r\n", List.of(400)),
                Arguments.of("HTTP/2.0 version", "GET / HTTP/2.0\r\n" + host + "\r\n", List.of(505)),
                Arguments.of("garbage version", "GET / HTTX/1.1\r\n" + host + "\r\n", List.of(400)),
                Arguments.of("garbage request line", "HELLO\r\n\r\n", List.of(400)),
                Arguments.of("target not a path", "GET index.html HTTP/1.1\r\n" + host + "\r\n", List.of(400)),
                Arguments.of("truncated body then close", "POST /echo HTTP/1.1\r\n" + host + "Content-Length: 10\r\n\r\nabc", List.of()),
                Arguments.of("malformed after a good one", GET + "GET / HTTP/9.9\r\n" + host + "\r\n", List.of(200, 505)),
                Arguments.of("malformed after a slow good one",
                        "GET /delay/0.2 HTTP/1.1\r\n" + host + "\r\nGET / HTTP/1.1\r\n\r\n", List.of(200, 400)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedRequestGetsItsStatusThenACloseAndOtherConnectionsGoOn(String name, String request,
            List<Integer> statuses) throws Exception {
        start();
        try (RawHttp other = new RawHttp(f.port()); RawHttp bad = new RawHttp(f.port())) {
            assertEquals(200, other.send(GET).read().status());
            bad.send(request);
            bad.shutdownOutput();
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < statuses.size(); i++) {
                RawHttp.Response r = bad.read();
                got.add(r.status());
                if (r.status() >= 400) {
                    assertEquals("close", r.header("Connection"), name);
                }
            }
            assertEquals(statuses, got, name);
            assertTrue(bad.closedByPeer(), name + ": the connection closes after the refusal");
            assertEquals("Hello, World!", other.send(GET).read().text(), name + ": another connection is still served");
        }
    }

    @Test
    void aRefusedConnectionLingersReadingSoTheClientIsNotReset() throws Exception {
        start();
        try (RawHttp bad = new RawHttp(f.port())) {
            bad.send("GET / HTTP/1.1\r\nX: " + "a".repeat(40_000)); // over the header limit, unfinished
            RawHttp.Response r = bad.read();
            assertEquals(431, r.status());
            assertTrue(r.text().contains("header section"), r.text());
            assertTrue(bad.closedByPeer(), "the server half-closed after the response");
            // The server still reads (and drops) what comes: a server that closed at once would
            // answer these bytes with a reset, which can destroy a response not yet read.
            byte[] junk = new byte[64 * 1024];
            for (int i = 0; i < 32; i++) {
                bad.send(junk);
            }
        }
    }
}
