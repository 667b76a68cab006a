package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server against clients that are hostile on purpose: responses they ask for and never
 * read, bodies that never come or come a byte at a time, output they never take. Each attack
 * must cost the server a bounded amount and leave other clients served.
 */
class HttpHardeningTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final int TEN_MIB = 10 * 1024 * 1024;
    private HttpFixture f;

    @AfterEach
    void closeFixture() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private HttpFixture start(HttpServer.Limits limits) throws Exception {
        f = new HttpFixture(limits);
        return f;
    }

    private static String repeat(String request, int times) {
        return request.repeat(times);
    }

    @Test
    void aPipelineOfLargeResponsesNobodyReadsHoldsNoMoreThanAboutTheHighWaterMark() throws Exception {
        start(HttpServer.Limits.defaults());
        try (RawHttp greedy = new RawHttp(f.port()); RawHttp other = new RawHttp(f.port())) {
            greedy.send(repeat("GET /bytes/" + TEN_MIB + " HTTP/1.1\r\nHost: t\r\n\r\n", 100)); // one ~4 KB write
            long most = 0;
            for (int i = 0; i < 20; i++) {
                assertEquals("Hello, World!", other.send(GET).read().text(), "another client is served");
                most = Math.max(most, f.outputBuffered());
            }
            // High-water mark (64 KiB) + one slice (64 KiB) + one produced chunk (16 KiB) + heads.
            assertTrue(most <= 160 * 1024, "buffered for a client that does not read: " + most);
            assertTrue(most > 0, "the server did produce output for it");
            for (int i = 0; i < 2; i++) {
                RawHttp.Response r = greedy.read();
                assertEquals(200, r.status());
                assertEquals(TEN_MIB, r.body().length, "each response is whole when it is read");
            }
        }
    }

    @Test
    void headOfALargeStreamedResponseNeverProducesItsBody() throws Exception {
        start(HttpServer.Limits.defaults());
        try (RawHttp c = new RawHttp(f.port())) {
            c.send(repeat("HEAD /counted HTTP/1.1\r\nHost: t\r\n\r\n", 200));
            for (int i = 0; i < 200; i++) {
                RawHttp.Response r = c.read(true);
                assertEquals(200, r.status());
                assertEquals(Integer.toString(1 << 20), r.header("Content-Length"));
            }
            assertEquals(0, f.produced.get(), "bodies produced for HEAD");
            assertEquals(1 << 20, c.send("GET /counted HTTP/1.1\r\nHost: t\r\n\r\n").read().body().length);
            assertEquals(1, f.produced.get());
        }
    }

    @Test
    void bodiesThatStopOneByteShortGet408AndTheirConnectionsAreFreed() throws Exception {
        start(HttpServer.Limits.defaults().withBodyTimeout(Duration.ofMillis(200)));
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawHttp c = new RawHttp(f.port());
                stalled.add(c);
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(99_999));
            }
            for (RawHttp c : stalled) {
                RawHttp.Response r = c.read();
                assertEquals(408, r.status());
                assertTrue(r.text().contains("no progress"), r.text());
                assertTrue(c.closedByPeer());
            }
        } finally {
            for (RawHttp c : stalled) {
                c.close();
            }
        }
        awaitNoConnections();
    }

    @Test
    void aBodyThatNeverComesAfter100ContinueGets408() throws Exception {
        start(HttpServer.Limits.defaults().withBodyTimeout(Duration.ofMillis(200)));
        try (RawHttp c = new RawHttp(f.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status());
            assertEquals(408, c.read().status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void aClientThatNeverReadsItsResponseIsAbortedAfterTheWriteTimeout() throws Exception {
        start(HttpServer.Limits.defaults().withWriteTimeout(Duration.ofMillis(300)).withIdleTimeout(Duration.ofMillis(100)));
        try (RawHttp c = new RawHttp(f.port(), 4096)) {
            c.send("GET /bytes/" + TEN_MIB + " HTTP/1.1\r\nHost: t\r\n\r\n");
            awaitNoConnections();
        }
    }

    @Test
    void aClientThatReadsSlowlyButSteadilyIsNotCutOff() throws Exception {
        start(HttpServer.Limits.defaults().withWriteTimeout(Duration.ofMillis(150)));
        try (RawHttp c = new RawHttp(f.port(), 4096)) {
            c.send("GET /bytes/1000000 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            int got = 0;
            for (int n = c.readSome(16 * 1024); n >= 0; n = c.readSome(16 * 1024)) {
                got += n;
                Thread.sleep(10); // a slow reader: the server must see it drain and keep going
            }
            assertTrue(got > 1000000, "the whole response (head and body) arrived before the close: " + got);
        }
    }

    @Test
    void finishingAnswersWhatIsInFlightWithConnectionCloseAndClosesIdleConnections() throws Exception {
        start(HttpServer.Limits.defaults());
        try (RawHttp busy = new RawHttp(f.port()); RawHttp idle = new RawHttp(f.port())) {
            assertEquals(200, idle.send(GET).read().status());
            busy.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(f.holdCalled.await(30, java.util.concurrent.TimeUnit.SECONDS), "the handler runs");
            f.call(() -> {
                f.http.finishConnections();
                f.held.complete(HttpResponse.text(200, "held\n"));
                return io.eventloop.Async.completed(null);
            });
            assertTrue(idle.closedByPeer(), "an idle connection closes at once");
            RawHttp.Response r = busy.read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(busy.closedByPeer());
        }
    }

    /**
     * Stops listening and waits, on the loop, until every connection the server accepted is gone:
     * what the attacks above must lead to without the test closing anything itself.
     */
    private void awaitNoConnections() throws Exception {
        f.call(() -> {
            f.server.close();
            return f.server.waitClosed();
        });
        assertEquals(0, f.connections(), "connections held by the server");
    }
}
