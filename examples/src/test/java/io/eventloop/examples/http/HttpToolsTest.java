package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server against clients this project did not write: curl and wrk (.ci/run installs both). */
class HttpToolsTest {
    private HttpFixture f;

    @BeforeEach
    void startServer() throws Exception {
        f = new HttpFixture();
    }

    @AfterEach
    void closeServer() throws Exception {
        f.close();
    }

    /** Runs a command to its end (a 120 s hang guard); returns its stdout, failing on a non-zero status. */
    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException missing) {
            Assumptions.abort(command[0] + " is not installed: " + missing.getMessage());
            return "";
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), command[0] + " did not finish");
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
            return out;
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void curlFetchesSeveralUrlsOverOneConnection() throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S"));
        String[] paths = {"/", "/get?x=1", "/status/201", "/bytes/70000?chunked=1", "/"};
        for (String path : paths) {
            command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code} %{size_download} %{num_connects}\\n", f.url(path)));
        }
        String[] lines = run(command.toArray(new String[0])).strip().split("\n");
        assertEquals(paths.length, lines.length, String.join("\n", lines));
        assertEquals("200 13 1", lines[0]);
        assertTrue(lines[1].startsWith("200 "), lines[1]);
        assertEquals("201 12 0", lines[2]);
        assertEquals("200 70000 0", lines[3]);
        assertEquals("200 13 0", lines[4]); // 0 new connections after the first: all on one
        assertEquals(1, f.accepted());
    }

    @Test
    void curlHeadAndPostWork() throws Exception {
        String head = run("curl", "-s", "-S", "-I", f.url("/"));
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
        assertTrue(head.contains("Content-Length: 13\r\n"), head);
        String echoed = run("curl", "-s", "-S", "--data-binary", "posted by curl", f.url("/echo"));
        assertEquals("posted by curl", echoed);
        String chunked = run("curl", "-s", "-S", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunked by curl", f.url("/echo"));
        assertEquals("chunked by curl", chunked);
    }

    @Test
    void wrkSeesNoSocketErrorsAndOnly2xx() throws Exception {
        String out = run("wrk", "-t1", "-c8", "-d1s", f.url("/"));
        assertFalse(out.contains("Socket errors"), out);
        assertFalse(out.contains("Non-2xx"), out);
        Matcher requests = Pattern.compile("(\\d+) requests in").matcher(out);
        assertTrue(requests.find() && Long.parseLong(requests.group(1)) > 0, out);
        assertTrue(f.accepted() >= 8, "wrk opened its 8 connections: " + f.accepted());
    }
}
