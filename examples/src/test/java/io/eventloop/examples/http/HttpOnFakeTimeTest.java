package io.eventloop.examples.http;

import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.MemoryConnection;
import io.eventloop.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's timers against clients that are slow on purpose, over an in-memory
 * connection on manual fake time: the client's pace is the test's own steps, not sleeps.
 */
@EventLoopTest(autoAdvance = false)
class HttpOnFakeTimeTest {
    /** The client end: what it received, and whether the server closed. */
    private static final class Client implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Transport transport;
        boolean eof;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.writeBytes(bytes);
        }

        @Override
        public boolean eofReceived() {
            eof = true;
            return false;
        }

        void send(String text) {
            transport.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        String text() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static Client connect(EventLoop loop, HttpServer.Limits limits) {
        HttpServer http = HttpBinServer.create().limits(limits)
                .post("/echo", req -> Async.completed(new HttpResponse(200, new HttpHeaders(), req.body())));
        Client client = new Client();
        MemoryConnection.pair(loop, client, new ServerConnection(http, limits));
        return client;
    }

    @Test
    void aBodyTrickledSlowerThanTheMinimumRateGets408(EventLoop loop, TestClock clock) {
        Client c = connect(loop, HttpServer.Limits.defaults().withBodyTimeout(Duration.ofMillis(200)).withMinBodyRate(1000));
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n");
        clock.runUntilIdle(); // the head arrives at time 0: the body timer starts
        for (int i = 0; i < 10; i++) { // a byte every 20 ms: 50 bytes a second, for 200 ms
            c.send("x");
            clock.advance(Duration.ofMillis(20));
        }
        assertTrue(c.text().startsWith("HTTP/1.1 408 "), c.text());
        assertTrue(c.text().contains("request body slower than 1000 bytes a second"), c.text());
        assertTrue(c.text().contains("Connection: close"), c.text());
    }

    @Test
    void aBodyThatKeepsTheRateIsNotCutOff(EventLoop loop, TestClock clock) {
        Client c = connect(loop, HttpServer.Limits.defaults().withBodyTimeout(Duration.ofMillis(200)).withMinBodyRate(1000));
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n");
        clock.runUntilIdle();
        for (int i = 0; i < 10; i++) { // 100 bytes every 50 ms: 2,000 bytes a second
            c.send("y".repeat(100));
            clock.advance(Duration.ofMillis(50));
        }
        runIterations(loop, 5);
        assertTrue(c.text().startsWith("HTTP/1.1 200 "), c.text());
        assertTrue(c.text().endsWith("y".repeat(1000)), c.text());
        c.transport.close();
    }
}
