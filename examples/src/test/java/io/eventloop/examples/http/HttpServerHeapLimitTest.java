package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "io.eventloop.examples.Examples", "http-server", "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = listeningPort(out);
            try (RawHttp greedy = new RawHttp(port, 4096)) {
                greedy.send("GET /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n".repeat(1000));
                for (int i = 0; i < 50; i++) {
                    try (RawHttp other = new RawHttp(port)) {
                        assertEquals("Hello, World!", other.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
                        assertEquals(200, other.send("HEAD /bytes/10485760 HTTP/1.1\r\nHost: t\r\n\r\n").read(true).status());
                    }
                }
                assertTrue(server.isAlive(), "the server is alive");
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    /** Reads the child's output up to its {@code listening on HOST:PORT} line. */
    private static int listeningPort(BufferedReader out) throws Exception {
        Pattern listening = Pattern.compile("listening on .*:(\\d+)");
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "child-output");
                drain.setDaemon(true);
                drain.start(); // keep the pipe from filling up
                return Integer.parseInt(m.group(1));
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the server exited before listening:\n" + seen);
    }
}
