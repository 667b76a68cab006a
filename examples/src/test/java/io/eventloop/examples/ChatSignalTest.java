package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chat server, as a process, shuts down gracefully on SIGTERM through the loop's signal handler. */
class ChatSignalTest {

    @Test
    void sigtermTellsTheClientsClosesAndExitsNormally() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"),
                "io.eventloop.examples.ChatServer", "--port", "0").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("listening on ")) {
                    port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
                    break;
                }
            }
            assertTrue(port > 0, "the server did not say where it listens");
            try (LineClient alice = LineClient.join(port, "alice")) {
                p.toHandle().destroy(); // SIGTERM on Unix (Process.destroy would also close our pipes)
                assertEquals("* the server is shutting down, bye", alice.expect("* the server is shutting down"));
                assertEquals(null, alice.line()); // then the server closes the connection
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
            // 0, not 143: the loop's handler replaced the JVM's exit on TERM and main returned.
            assertEquals(0, p.exitValue());
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("SIGTERM received: shutting down"), rest.toString());
            assertTrue(rest.toString().contains("chat server stopped"), rest.toString());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
