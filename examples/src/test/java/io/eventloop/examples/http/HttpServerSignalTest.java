package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.examples.ExampleProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run http-server} as a process exits normally on SIGTERM while a client that never
 * reads holds a 10 MiB response open: the grace period ends, the connection is aborted.
 */
class HttpServerSignalTest {
    @Test
    void sigtermWithAClientThatNeverReadsExitsNormallyAfterTheGrace() throws Exception {
        try (ExampleProcess http = ExampleProcess.start(List.of(), "http-server", "--port", "0", "--grace", "1")) {
            int port = http.port();
            try (RawHttp stuck = new RawHttp(port, 4096); RawHttp idle = new RawHttp(port)) {
                assertEquals(200, idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
                stuck.send("GET /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n");
                assertTrue(stuck.readSome(1) > 0, "the response has begun");
                http.terminate();
                assertTrue(idle.closedByPeer(), "an idle keep-alive connection is closed at once");
                assertTrue(http.awaitExit(), "the server did not exit");
            }
            assertEquals(0, http.exitValue());
            String rest = http.rest();
            assertTrue(rest.contains("the grace period of 1 s is over: aborting 1 connection(s)"), rest);
            assertFalse(rest.contains("ERROR"), rest);
        }
    }
}
