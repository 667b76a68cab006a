package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.examples.ExampleProcess.Finished;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run udp-echo} and {@code ./run udp-client} as processes: the client measures the
 * server with nothing lost, counts a server that is not there as all lost, and refuses bad
 * values; the server echoes a datagram sent by a plain JDK channel, drops one over its
 * {@code --max-datagram} limit, and exits normally on SIGTERM.
 */
class UdpExamplesTest {
    @Test
    void theClientMeasuresTheEchoServerOverSeveralSocketsWithNothingLost() throws Exception {
        try (ExampleProcess echo = ExampleProcess.start(List.of(), "udp-echo", "--port", "0")) {
            int port = echo.port();
            Finished client = ExampleProcess.run("udp-client", "--port", String.valueOf(port), "--count", "2000",
                    "--sockets", "4", "--window", "2", "--size", "100");
            assertEquals(0, client.exitValue(), client.output());
            assertTrue(client.output().contains("4 socket(s) to 127.0.0.1:" + port + ", 100-byte datagrams, 2 in flight per socket"),
                    client.output());
            assertTrue(client.output().contains("sent 2000, received 2000, lost 0 (0.000%), late 0, errors 0"), client.output());
            assertTrue(client.output().matches("(?s).*round trips: \\d+/s over [0-9.]+ s\n.*"), client.output());
            assertTrue(client.output().matches("(?s).*round trip \\(us\\): p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  p99\\.9 [0-9.]+  max [0-9.]+\n"),
                    client.output());
            echo.terminate();
            assertTrue(echo.awaitExit(), "the server did not exit");
            assertEquals(0, echo.exitValue());
            String rest = echo.rest();
            assertTrue(rest.contains("echoed 2000 datagram(s), 0 error(s); closing"), rest);
            assertFalse(rest.contains("ERROR"), rest);
        }
    }

    @Test
    void theServerEchoesAPlainDatagramAndDropsOneOverItsLimit() throws Exception {
        try (ExampleProcess echo = ExampleProcess.start(List.of(), "udp-echo", "--port", "0", "--max-datagram", "100");
                DatagramChannel c = DatagramChannel.open()) {
            int port = echo.port();
            c.connect(new InetSocketAddress("127.0.0.1", port));
            c.write(ByteBuffer.allocate(101)); // over the limit: dropped and logged
            c.write(ByteBuffer.wrap("hello".getBytes()));
            ByteBuffer back = ByteBuffer.allocate(200);
            c.read(back);
            assertArrayEquals("hello".getBytes(), java.util.Arrays.copyOf(back.array(), back.position()));
            echo.terminate();
            assertTrue(echo.awaitExit());
            String rest = echo.rest();
            assertTrue(rest.contains("a datagram of more than 100 bytes from /127.0.0.1:"), rest);
            assertTrue(rest.contains("echoed 1 datagram(s), 1 error(s); closing"), rest);
        }
    }

    @Test
    void aServerThatIsNotThereIsAllLossAndErrors() throws Exception {
        int port;
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
        Finished client = ExampleProcess.run("udp-client", "--port", String.valueOf(port), "--count", "3",
                "--timeout", "0.2");
        assertEquals(0, client.exitValue(), client.output());
        assertTrue(client.output().contains("sent 3, received 0, lost 3 (100.000%), late 0, errors 3"), client.output());
    }

    @Test
    void badValuesAreRefusedNamingThem() throws Exception {
        Finished size = ExampleProcess.run("udp-client", "--size", "4");
        assertEquals(2, size.exitValue());
        assertTrue(size.output().startsWith("--size needs 8 to 65507 bytes (8 hold the sequence number), got 4\n"),
                size.output());
        Finished neither = ExampleProcess.run("udp-client", "--count", "0");
        assertEquals(2, neither.exitValue());
        assertTrue(neither.output().startsWith("give --count N or --duration SECONDS"), neither.output());
        Finished limit = ExampleProcess.run("udp-echo", "--max-datagram", "70000");
        assertEquals(2, limit.exitValue());
        assertTrue(limit.output().startsWith("maxDatagramSize must be from 1 to 65527 bytes: 70000\n"), limit.output());
        Finished batch = ExampleProcess.run("udp-echo", "--read-batch", "0");
        assertEquals(2, batch.exitValue());
        assertTrue(batch.output().startsWith("readBatch must be from 1 to 4096: 0\n"), batch.output());
        Finished port = ExampleProcess.run("udp-echo", "--port", "-1");
        assertEquals(2, port.exitValue());
        assertTrue(port.output().startsWith("--port needs a port from 0 to 65535, got -1\n"), port.output());
    }
}
