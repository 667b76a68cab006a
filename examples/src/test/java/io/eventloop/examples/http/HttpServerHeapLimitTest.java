package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.examples.ExampleProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run http-server} in a child JVM with a 64 MiB heap, against a thousand pipelined
 * requests for 10 MiB each that are never read: a server that materialised or buffered the
 * responses would die of {@code OutOfMemoryError} (it did, at 512 MiB); this one must go on
 * serving everybody else.
 */
class HttpServerHeapLimitTest {
    @Test
    void aThousandPipelinedTenMebibyteRequestsNeverReadLeaveTheServerServingOthers() throws Exception {
        try (ExampleProcess http = ExampleProcess.start(List.of("-Xmx64m"), "http-server", "--port", "0")) {
            int port = http.port();
            http.discardOutput();
            try (RawHttp greedy = new RawHttp(port, 4096)) {
                greedy.send("GET /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n".repeat(1000));
                for (int i = 0; i < 50; i++) {
                    try (RawHttp other = new RawHttp(port)) {
                        assertEquals("Hello, World!", other.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
                        assertEquals(200, other.send("HEAD /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n").read(true).status());
                    }
                }
                assertTrue(http.isAlive(), "the server is alive");
            }
        }
    }
}
