package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream echo server, as a process, exits normally on SIGTERM even while a client that never
 * reads holds it up: the grace period ends, the connection is aborted.
 */
class EchoSignalTest {
    private static final long HANG_GUARD_SECONDS = 30;
    /** How long the client's socket must stay unwritable before the server counts as stuck. */
    private static final long STILL_MILLIS = 1000;

    /**
     * Sends until the socket stays unwritable for {@link #STILL_MILLIS}: the server has stopped
     * reading (its write buffer is past the high-water mark), not merely fallen behind.
     */
    private static void fillUntilTheServerStopsReading(SocketChannel c) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        c.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            c.register(selector, SelectionKey.OP_WRITE);
            do {
                selector.selectedKeys().clear();
                while (c.write(chunk.clear()) > 0) {
                    // keep sending while the socket takes it
                }
            } while (selector.select(STILL_MILLIS) > 0);
        }
    }

    @Test
    void sigtermAbortsANonReadingClientAfterTheGraceAndExitsNormally() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"),
                "io.eventloop.examples.Examples", "echo", "--port", "0", "--grace", "1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = listeningPort(out);
            try (SocketChannel stuck = SocketChannel.open()) {
                // a small receive buffer, or the kernel would take in what the server holds for it
                stuck.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", port));
                fillUntilTheServerStopsReading(stuck);
                p.toHandle().destroy(); // SIGTERM on Unix (Process.destroy would also close our pipes)
                assertTrue(p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "the server did not exit");
            }
            // 0, not 143: the loop's handler replaced the JVM's exit on TERM and main returned.
            assertEquals(0, p.exitValue());
            String rest = rest(out);
            assertTrue(rest.contains("SIGTERM received: shutting down"), rest);
            assertTrue(rest.contains("the grace period of 1 s is over: aborting 1 connection(s)"), rest);
            assertFalse(rest.contains("ERROR"), rest);
        } finally {
            p.destroyForcibly();
            p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int listeningPort(BufferedReader out) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("listening on ")) {
                return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("the server did not say where it listens");
    }

    private static String rest(BufferedReader out) throws IOException {
        StringBuilder rest = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            rest.append(line).append('\n');
        }
        return rest.toString();
    }
}
