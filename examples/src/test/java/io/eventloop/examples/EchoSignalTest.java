package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream echo server, as a process, exits normally on SIGTERM even while a client that never
 * reads holds it up: the grace period ends, the connection is aborted.
 */
class EchoSignalTest {
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
        try (ExampleProcess echo = ExampleProcess.start(List.of(), "echo", "--port", "0", "--grace", "1")) {
            int port = echo.port();
            try (SocketChannel stuck = SocketChannel.open()) {
                // a small receive buffer, or the kernel would take in what the server holds for it
                stuck.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                stuck.connect(new InetSocketAddress("127.0.0.1", port));
                fillUntilTheServerStopsReading(stuck);
                echo.terminate();
                assertTrue(echo.awaitExit(), "the server did not exit");
            }
            // 0, not 143: the loop's handler replaced the JVM's exit on TERM and main returned.
            assertEquals(0, echo.exitValue());
            String rest = echo.rest();
            assertTrue(rest.contains("SIGTERM received: shutting down"), rest);
            assertTrue(rest.contains("the grace period of 1 s is over: aborting 1 connection(s)"), rest);
            assertFalse(rest.contains("ERROR"), rest);
        }
    }
}
