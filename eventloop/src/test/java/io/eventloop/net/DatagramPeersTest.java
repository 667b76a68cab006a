package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datagram endpoints against peers written elsewhere: Python's asyncio datagram endpoints,
 * {@code socat} and OpenBSD {@code nc -u}, each as a client of our echo endpoint and as the
 * server our endpoint talks to, with every byte checked. A missing program fails the test and
 * names its Debian package ({@link Programs}).
 */
@ExtendWith(NoLeaks.class)
class DatagramPeersTest {
    @TempDir
    Path dir;
    private EventLoop loop;
    private final List<ErrorContext> reported = new ArrayList<>();
    private final List<PeerProcess> processes = new ArrayList<>();
    private final List<DatagramRecorder> endpoints = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> reported.add(c));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (PeerProcess p : processes) {
                p.close();
            }
            for (DatagramRecorder r : endpoints) {
                r.transport.close();
                await(loop, r.lost);
            }
            assertTrue(reported.isEmpty(), "reported to the exception handler: " + reported);
        } finally {
            NetTesting.finish(loop);
        }
    }

    private PeerProcess process(Path stdin, String... command) throws IOException {
        PeerProcess p = PeerProcess.start(dir, stdin, List.of(command));
        processes.add(p);
        return p;
    }

    private PeerProcess python(String... args) throws Exception {
        Path script = Path.of(DatagramPeersTest.class.getResource("datagram_peer.py").toURI());
        List<String> command = new ArrayList<>(List.of(Programs.require("python3", "python3"), script.toString()));
        command.addAll(List.of(args));
        return process(null, command.toArray(new String[0]));
    }

    private DatagramRecorder echoServer(String host) {
        DatagramRecorder r = DatagramRecorder.echo(loop);
        await(loop, Net.createDatagramEndpoint(loop, () -> r, host, 0));
        endpoints.add(r);
        return r;
    }

    private DatagramRecorder client(InetSocketAddress remote) {
        DatagramRecorder r = new DatagramRecorder(loop);
        await(loop, Net.createDatagramEndpoint(loop, () -> r, null, remote));
        endpoints.add(r);
        return r;
    }

    private Path input(String text) throws IOException {
        Path p = Files.createTempFile(dir, "stdin", ".txt");
        Files.writeString(p, text);
        return p;
    }

    /** A loopback port that was free a moment ago, for peers that cannot pick their own and say which. */
    private static int freePort(String host) throws IOException {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(host, 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private static void assumeIpv6(String host) {
        if (host.contains(":")) {
            Assumptions.assumeTrue(DatagramTest.hasIpv6Loopback(),
                    "this machine has no IPv6 loopback address (::1), so the IPv6 case cannot run here");
        }
    }

    private static byte[] numbered(int n, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(n);
        for (int i = 4; i < size; i++) {
            b[i] = (byte) (n + i);
        }
        return b;
    }

    /** Sends {@code count} numbered datagrams one at a time, each after the echo of the one before, checking each. */
    private void pingPong(DatagramRecorder client, int count, int size) {
        for (int i = 0; i < count; i++) {
            client.transport.send(numbered(i, size));
            List<DatagramRecorder.Received> got = await(loop, client.receive(i + 1));
            assertArrayEquals(numbered(i, size), got.get(i).data(), "echo of datagram " + i);
        }
    }

    // ------------------------------------------------------------------ Python's asyncio

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void anAsyncioClientGetsEveryDatagramBackFromOurEcho(String host) throws Exception {
        assumeIpv6(host);
        DatagramRecorder server = echoServer(host);
        PeerProcess python = python("client", host, String.valueOf(server.transport.localAddress().getPort()), "200", "1000");
        assertEquals(0, await(loop, python.exit(loop)), python.output() + python.errors());
        assertEquals("200 echoed intact", python.output());
        assertEquals(200, server.received.size());
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void ourClientGetsEveryDatagramBackFromAnAsyncioEcho(String host) throws Exception {
        assumeIpv6(host);
        PeerProcess python = python("server", host);
        int port = Integer.parseInt(await(loop, python.line(loop, "PORT ")).substring("PORT ".length()));
        DatagramRecorder client = client(new InetSocketAddress(host, port));
        pingPong(client, 200, 1000);
        client.transport.send("bye".getBytes(StandardCharsets.US_ASCII));
        assertEquals("200 datagrams", await(loop, python.line(loop, "datagrams")));
        assertEquals(0, await(loop, python.exit(loop)), python.errors());
    }

    // ------------------------------------------------------------------ socat

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aSocatClientGetsOurEcho(String host) throws Exception {
        assumeIpv6(host);
        String socat = Programs.require("socat", "socat");
        DatagramRecorder server = echoServer(host);
        int port = server.transport.localAddress().getPort();
        String address = host.contains(":") ? "UDP6:[" + host + "]:" + port : "UDP4:" + host + ":" + port;
        PeerProcess p = process(input("hello from socat\n"), socat, "-t", "5", "-", address);
        assertEquals("hello from socat", await(loop, p.line(loop, "hello from socat")));
        assertEquals("hello from socat\n", server.received.get(0).text());
    }

    @Test
    void ourClientGetsItsDatagramsBackFromSocatsEcho() throws Exception {
        String socat = Programs.require("socat", "socat");
        int port = freePort("127.0.0.1");
        // UDP4-LISTEN takes the first sender as its peer; PIPE writes back what it reads.
        PeerProcess p = process(null, socat, "-d", "-d", "-lf", "/dev/stdout",
                "UDP4-LISTEN:" + port + ",bind=127.0.0.1", "PIPE");
        await(loop, p.line(loop, "listening on"));
        DatagramRecorder client = client(new InetSocketAddress("127.0.0.1", port));
        pingPong(client, 50, 512);
    }

    // ------------------------------------------------------------------ nc -u

    @Test
    void anNcClientGetsOurEcho() throws Exception {
        String nc = Programs.require("nc", "netcat-openbsd");
        DatagramRecorder server = echoServer("127.0.0.1");
        PeerProcess p = process(input("hello from nc\n"), nc, "-u", "127.0.0.1",
                String.valueOf(server.transport.localAddress().getPort()));
        assertEquals("hello from nc", await(loop, p.line(loop, "hello from nc")));
        assertEquals("hello from nc\n", server.received.get(0).text());
    }

    @Test
    void anNcServerReceivesWhatOurClientSends() throws Exception {
        String nc = Programs.require("nc", "netcat-openbsd");
        int port = freePort("127.0.0.1");
        PeerProcess p = process(null, nc, "-u", "-l", "127.0.0.1", String.valueOf(port));
        DatagramRecorder client = client(new InetSocketAddress("127.0.0.1", port));
        // nc says nothing once it listens: send until it prints the line (a datagram sent before it
        // binds is refused, and comes back as a PortUnreachableException, which is fine here).
        Future<String> line = p.line(loop, "from eventloop");
        TimerHandle[] resend = new TimerHandle[1];
        Runnable send = new Runnable() {
            @Override
            public void run() {
                if (!line.isDone()) {
                    client.transport.send("from eventloop\n".getBytes(StandardCharsets.US_ASCII));
                    resend[0] = loop.callLater(Duration.ofMillis(100), this);
                }
            }
        };
        send.run();
        assertEquals("from eventloop", await(loop, line));
        resend[0].cancel();
    }
}
