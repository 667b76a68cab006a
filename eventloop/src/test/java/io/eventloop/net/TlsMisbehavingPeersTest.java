package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our TLS server against peers that break the rules: one that closes TCP without close_notify, one
 * that asks to renegotiate, bytes that are not TLS or not whole, and a client that never speaks.
 * Each is closed by the server, logged as the peer's doing (a WARN line naming it, or DEBUG when
 * it simply went away) and never reported to the loop's exception handler, while the server goes
 * on serving the well-behaved client beside it.
 */
@ExtendWith(NoLeaks.class)
class TlsMisbehavingPeersTest {
    @TempDir
    static Path dir;
    private static SelfSignedCertificate local;
    private static Path certPem;
    private static TlsConfig serverTls;
    private static TlsConfig clientTls;

    private PeerFixture peers;
    private EventLoop loop;

    @BeforeAll
    static void certificate() throws IOException {
        local = SelfSignedCertificate.generate(); // localhost, 127.0.0.1, ::1
        certPem = dir.resolve("cert.pem");
        local.writeTo(certPem, dir.resolve("key.pem"));
        serverTls = TlsConfig.server(local.serverContext());
        clientTls = TlsConfig.client(local.trustingContext());
    }

    @BeforeEach
    void setUp() {
        peers = new PeerFixture();
        loop = peers.loop;
    }

    @AfterEach
    void tearDown() throws Exception {
        peers.close();
    }

    // ------------------------------------------------------------------ no close_notify

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anOpensslClientKilledWithoutCloseNotifyIsAnEofAndOurServerClosesQuietly(String version) throws IOException {
        Future<String> serverSaw = loop.createFuture();
        Server server = answerOnceServer(serverSaw);
        Path input = dir.resolve("hello-" + version + ".in");
        Files.writeString(input, "hello\n");
        PeerProcess openssl = peers.process(dir, input, Programs.require("openssl", "openssl"), "s_client",
                "-connect", "127.0.0.1:" + server.port(), "-servername", "localhost", "-CAfile", certPem.toString(),
                "-verify_return_error", version.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2", "-quiet");
        await(loop, openssl.line(loop, "got hello")); // it has read all we sent: its kernel closes with a FIN, not a reset
        openssl.terminate(); // SIGTERM: the process dies without a word of TLS
        assertEquals("hello, then null, closed cleanly", await(loop, serverSaw));
        await(loop, openssl.exit(loop));
        assertEquals(List.of(), peers.log.warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJdkSocketClosedUnderItsSslSocketIsAnEofAndOurServerClosesQuietly(String version) {
        Future<String> serverSaw = loop.createFuture();
        Server server = answerOnceServer(serverSaw);
        PeerThread<String> client = peers.thread("jdk-tls-client", () -> {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", server.port()), PeerFixture.SOCKET_TIMEOUT_MILLIS);
                plain.setSoTimeout(PeerFixture.SOCKET_TIMEOUT_MILLIS);
                SSLSocket tls = (SSLSocket) local.trustingContext().getSocketFactory()
                        .createSocket(plain, "127.0.0.1", server.port(), false);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setProtocols(new String[] {version});
                tls.setSSLParameters(p);
                tls.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                return readLine(tls.getInputStream());
            } // closes the plain socket only: the SSLSocket is never closed, so no close_notify
        });
        assertEquals("got hello", await(loop, client.result()));
        assertEquals("hello, then null, closed cleanly", await(loop, serverSaw));
        assertEquals(List.of(), peers.log.warnings());
    }

    // ------------------------------------------------------------------ renegotiation

    @Test
    void aRenegotiationIsRefusedAndTheServerGoesOnServingAnotherClient() {
        List<String> versions = new ArrayList<>();
        Server server = peers.lineServer(serverTls, versions);
        Connection other = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTls));
        other.writer().write("before\n");
        assertEquals("echo before", await(loop, other.reader().readLine()));

        PeerThread<String> renegotiating = peers.thread("jdk-tls-renegotiating", () -> {
            try (SSLSocket s = PeerFixture.jdkClient(local.trustingContext(), server.port(), "TLSv1.2")) {
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                String answer = readLine(s.getInputStream());
                int port = s.getLocalPort();
                s.startHandshake(); // established already: this sends a new ClientHello
                String end;
                try {
                    int b = s.getInputStream().read();
                    end = b < 0 ? "EOF" : "a byte: " + b;
                } catch (SocketTimeoutException e) {
                    end = "nothing: " + e; // a hang, not an end
                } catch (SSLException | SocketException e) {
                    end = "EOF"; // an alert, or a reset: the connection ended either way
                }
                return port + " " + answer + ", then " + end;
            }
        });
        String seen = await(loop, renegotiating.result());
        int port = Integer.parseInt(seen.substring(0, seen.indexOf(' ')));
        assertEquals("echo hello, then EOF", seen.substring(seen.indexOf(' ') + 1));

        other.writer().write("after\n");
        assertEquals("echo after", await(loop, other.reader().readLine()));
        other.writer().write("bye\n");
        assertEquals("bye", await(loop, other.reader().readLine()));
        assertEquals(null, await(loop, other.reader().readLine()));
        other.writer().close();
        await(loop, other.writer().waitClosed());

        assertEquals(List.of("TLSv1.3", "TLSv1.2"), versions);
        assertEquals(List.of("the TLS connection with 127.0.0.1:" + port
                + " failed: the peer asked to renegotiate; renegotiation is refused"), peers.log.warningsAbout(port));
        assertEquals(1, peers.log.warnings().size(), peers.log.warnings().toString());
    }

    // ------------------------------------------------------------------ bytes that are not TLS

    /**
     * What a bad client sends: {@code bytes}, then EOF if {@code thenEof}; {@code warns} says
     * whether the server logs it at WARN (the peer broke the protocol) or only at DEBUG (the peer
     * went away mid-handshake, which is not news).
     */
    record Malformed(String name, byte[] bytes, boolean thenEof, boolean warns) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformedInput() throws Exception {
        byte[] clientHello = clientHello();
        return Stream.of(
                new Malformed("random garbage", randomBytes(512), false, true),
                new Malformed("a plain HTTP request",
                        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false, true),
                new Malformed("an SSLv2-style hello", sslv2Hello(), false, true),
                new Malformed("a record header longer than 2^14+2048", recordHeader(0x16, (1 << 14) + 2048 + 1, 100), false, true),
                new Malformed("a record header, a truncated body, then EOF", recordHeader(0x16, 512, 100), true, false),
                new Malformed("half a ClientHello, then EOF",
                        Arrays.copyOf(clientHello, clientHello.length / 2), true, false),
                new Malformed("a record of an unknown content type", recordHeader(0x40, 32, 32), false, true),
                new Malformed("an alert before any handshake",
                        new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}, false, true)); // fatal handshake_failure
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInput")
    void malformedInputClosesItsConnectionOnlyAndIsLoggedAsThePeers(Malformed bad) {
        List<String> versions = new ArrayList<>();
        Server server = peers.lineServer(serverTls, versions);
        Connection good = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTls));
        good.writer().write("first\n");
        assertEquals("echo first", await(loop, good.reader().readLine()));

        Connection raw = await(loop, Net.openConnection(loop, "127.0.0.1", server.port()));
        int port = ((java.net.InetSocketAddress) raw.writer().localAddress()).getPort();
        raw.writer().write(bad.bytes);
        if (bad.thenEof) {
            raw.writer().writeEof();
        }
        Future<byte[]> answer = raw.reader().read(-1); // until the server closes
        good.writer().write("second\n"); // served meanwhile
        assertEquals("echo second", await(loop, good.reader().readLine()));

        byte[] got = await(loop, answer);
        assertTrue(got.length == 0 || got[0] == 0x15, "the server sent nothing, or an alert, before closing: " + hex(got));
        raw.writer().close();
        await(loop, raw.writer().waitClosed());

        good.writer().write("bye\n");
        assertEquals("bye", await(loop, good.reader().readLine()));
        good.writer().close();
        await(loop, good.writer().waitClosed());

        List<String> about = peers.log.warningsAbout(port);
        if (bad.warns) {
            assertEquals(1, about.size(), peers.log.warnings().toString());
            assertTrue(about.get(0).startsWith("the TLS handshake with 127.0.0.1:" + port + " failed: "), about.get(0));
        } else {
            assertEquals(List.of(), about, "a peer that went away mid-handshake is logged at DEBUG only");
        }
        assertEquals(about, peers.log.warnings(), "warnings about others");
        assertEquals(List.of("TLSv1.3"), versions, "connections that reached the application");
    }

    // ------------------------------------------------------------------ silence

    @Test
    void aClientThatSendsNothingIsClosedWhenTheHandshakeTimesOut() {
        Server server = peers.add(await(loop, Net.startServer(loop, (r, w) -> null, "127.0.0.1", 0,
                serverTls.handshakeTimeout(Duration.ofMillis(200)))));
        Connection silent = await(loop, Net.openConnection(loop, "127.0.0.1", server.port()));
        int port = ((java.net.InetSocketAddress) silent.writer().localAddress()).getPort();
        assertEquals(0, await(loop, silent.reader().read(-1)).length, "closed by the server without a byte");
        silent.writer().close();
        await(loop, silent.writer().waitClosed());
        assertEquals(List.of("the TLS handshake with 127.0.0.1:" + port + " did not finish within 200 ms: aborting the connection"),
                peers.log.warnings());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A server that answers one line with "got LINE", reads on, and completes {@code saw} with
     * what it read next and how its connection ended: "hello, then null, closed cleanly" when the
     * client said hello and then went away.
     */
    private Server answerOnceServer(Future<String> saw) {
        return peers.add(await(loop, Net.startServer(loop, (r, w) -> r.readLine().then(line -> {
            w.write("got " + line + "\n");
            return w.drain().then(v -> r.readLine()).map(next -> {
                w.waitClosed().onDone(f -> saw.complete(line + ", then " + next + ", closed "
                        + (f.exception() == null ? "cleanly" : "with " + f.exception())));
                return null;
            });
        }), "127.0.0.1", 0, serverTls)));
    }

    /** Reads one line (without its newline) from a blocking stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the stream ended inside a line: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** A TLS record header of {@code type} that announces {@code length} bytes, followed by {@code body} zero bytes. */
    private static byte[] recordHeader(int type, int length, int body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body);
        b.put((byte) type).put((byte) 3).put((byte) 3).putShort((short) length);
        return b.array();
    }

    /** A ClientHello in the SSL 2.0 record format (RFC 6101 appendix E.1), offering TLS 1.0. */
    private static byte[] sslv2Hello() {
        byte[] challenge = randomBytes(16);
        ByteBuffer m = ByteBuffer.allocate(2 + 9 + 3 + challenge.length);
        int length = m.capacity() - 2;
        m.put((byte) (0x80 | length >> 8)).put((byte) length); // two-byte header, no padding
        m.put((byte) 1); // CLIENT-HELLO
        m.put((byte) 3).put((byte) 1); // TLS 1.0
        m.putShort((short) 3).putShort((short) 0).putShort((short) challenge.length);
        m.put((byte) 0).put((byte) 0).put((byte) 0x2f); // TLS_RSA_WITH_AES_128_CBC_SHA
        m.put(challenge);
        return m.array();
    }

    /** The first flight of a real JDK client: one record holding a ClientHello. */
    private static byte[] clientHello() throws SSLException {
        SSLEngine engine = local.trustingContext().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        engine.closeOutbound();
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 32)) + (b.length > 32 ? "..." : "");
    }
}
