package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run http-server} as a process exits normally on SIGTERM while a client that never
 * reads holds a 10 MiB response open: the grace period ends, the connection is aborted.
 */
class HttpServerSignalTest {
    private static final long HANG_GUARD_SECONDS = 30;

    @Test
    void sigtermWithAClientThatNeverReadsExitsNormallyAfterTheGrace() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"),
                "io.eventloop.examples.Examples", "http-server", "--port", "0", "--grace", "1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = listeningPort(out);
            try (RawHttp stuck = new RawHttp(port, 4096); RawHttp idle = new RawHttp(port)) {
                assertEquals(200, idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
                stuck.send("GET /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n");
                assertTrue(stuck.readSome(1) > 0, "the response has begun");
                p.toHandle().destroy(); // SIGTERM
                assertTrue(idle.closedByPeer(), "an idle keep-alive connection is closed at once");
                assertTrue(p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "the server did not exit");
            }
            assertEquals(0, p.exitValue());
            String rest = rest(out);
            assertTrue(rest.contains("the grace period of 1 s is over: aborting 1 connection(s)"), rest);
            assertFalse(rest.contains("ERROR"), rest);
        } finally {
            p.destroyForcibly();
            p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int listeningPort(BufferedReader out) throws Exception {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening on ")) {
                return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("the server did not say where it listens");
    }

    private static String rest(BufferedReader out) throws Exception {
        StringBuilder rest = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            rest.append(line).append('\n');
        }
        return rest.toString();
    }
}
