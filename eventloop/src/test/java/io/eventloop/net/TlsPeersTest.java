package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS with peers written elsewhere: the JDK's own {@code SSLSocket} and {@code SSLServerSocket},
 * {@code openssl s_server} and {@code s_client}, Python's {@code ssl} under asyncio, and curl.
 * Each is run as a client of our server and, where it can serve, as the server our client
 * connects to; bytes are checked both ways.
 */
@ExtendWith(NoLeaks.class)
class TlsPeersTest {
    private static final int SOCKET_TIMEOUT_MILLIS = PeerFixture.SOCKET_TIMEOUT_MILLIS;

    @TempDir
    static Path dir;
    private static SelfSignedCertificate local;
    private static Path certPem;
    private static Path keyPem;

    private PeerFixture peers;
    private EventLoop loop;

    @BeforeAll
    static void certificate() throws IOException {
        local = SelfSignedCertificate.generate(); // localhost, 127.0.0.1, ::1
        certPem = dir.resolve("cert.pem");
        keyPem = dir.resolve("key.pem");
        local.writeTo(certPem, keyPem);
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

    // ------------------------------------------------------------------ the JDK's SSLSocket and SSLServerSocket

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJdkSslSocketClientHasEightMegabytesEchoedByOurServer(String version) {
        List<String> serverSaw = new ArrayList<>();
        Server server = echoServer(TlsConfig.server(local.serverContext()).protocols(version), serverSaw);
        byte[] data = random(8 << 20);
        PeerThread<String> client = peers.thread("jdk-tls-client", () -> jdkEchoClient(server.port(), version, data));
        assertEquals(version, await(loop, client.result()), "the version the JDK's client negotiated");
        assertEquals(List.of(version), serverSaw);
        assertEquals(List.of(), peers.log.warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourClientHasEightMegabytesEchoedByAJdkSslServerSocket(String version) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) local.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        listener.setEnabledProtocols(new String[] {version});
        listener.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        PeerThread<Long> jdkServer = peers.thread("jdk-tls-server", () -> jdkEchoServer(listener));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", listener.getLocalPort(),
                TlsConfig.client(local.trustingContext()).protocols(version)));
        assertEquals(version, c.writer().transport().sslSession().getProtocol());
        byte[] data = random(8 << 20);
        assertArrayEquals(data, exchange(c, data));
        c.writer().close();
        await(loop, c.writer().waitClosed()); // the JDK answered close_notify: no shutdown timeout
        assertEquals(data.length, await(loop, jdkServer.result()), "bytes the JDK's server echoed");
    }

    // ------------------------------------------------------------------ openssl s_server and s_client

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourClientHasItsLinesReversedByOpensslServer(String version) throws IOException {
        OpensslServer server = opensslServer(version.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2");
        PeerProcess openssl = server.process;
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port,
                TlsConfig.clientTrusting(certPem).serverName("localhost")));
        assertEquals(version, c.writer().transport().sslSession().getProtocol());
        // -rev answers each line reversed: a check of the bytes both ways
        List<String> lines = asciiLines(2000, 100);
        StringBuilder sent = new StringBuilder();
        for (String l : lines) {
            sent.append(l).append('\n');
        }
        c.writer().write(sent.toString());
        for (String l : lines) {
            assertEquals(new StringBuilder(l).reverse().toString(), await(loop, c.reader().readLine()));
        }
        c.writer().close();
        await(loop, c.writer().waitClosed());
        assertEquals(0, await(loop, openssl.exit(loop)), openssl.errors());
        String said = openssl.errors(); // -rev implies -brief, which reports on standard error
        assertTrue(said.contains("CONNECTION ESTABLISHED") && said.contains("Protocol version: " + version)
                && said.contains("CONNECTION CLOSED"), said);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void opensslClientVerifiesOurServerAndGetsItsLinesEchoed(String version) throws IOException {
        List<String> versions = new ArrayList<>();
        Server server = peers.lineServer(TlsConfig.server(local.serverContext()), versions);
        List<String> lines = asciiLines(500, 60);
        Path input = dir.resolve("s_client-" + version + ".in");
        Files.write(input, concat(lines, List.of("bye")));
        PeerProcess openssl = process(input, Programs.require("openssl", "openssl"), "s_client",
                "-connect", "127.0.0.1:" + server.port(), "-servername", "localhost", "-verify_hostname", "localhost",
                "-CAfile", certPem.toString(), "-verify_return_error", version.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2",
                "-quiet");
        // -quiet ignores the end of its input; it ends when our server closes after "bye"
        assertEquals(0, await(loop, openssl.exit(loop)), openssl.errors());
        List<String> expected = new ArrayList<>();
        for (String l : lines) {
            expected.add("echo " + l);
        }
        expected.add("bye");
        assertEquals(String.join("\n", expected), openssl.output());
        assertTrue(openssl.errors().contains("verify return:1"), openssl.errors());
        assertEquals(List.of(version), versions);
        assertEquals(List.of(), peers.log.warnings());
    }

    // ------------------------------------------------------------------ Python's ssl, under asyncio

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aPythonAsyncioClientHasAMegabyteEchoedByOurServer(String version) throws Exception {
        List<String> versions = new ArrayList<>();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        Server server = await(loop, Net.startServer(loop, (r, w) -> {
            versions.add(w.transport().sslSession().getProtocol());
            return Async.repeat(() -> r.read(64 * 1024).then(b -> {
                received.update(b);
                w.write(b);
                return w.drain().map(v -> b.length > 0);
            }));
        }, "127.0.0.1", 0, TlsConfig.server(local.serverContext())));
        peers.add(server);
        PeerProcess python = python("client", String.valueOf(server.port()), certPem.toString(), version,
                String.valueOf(1 << 20));
        assertEquals(0, await(loop, python.exit(loop)), python.errors());
        assertEquals(version + " " + hex(received.digest()) + " intact", python.output());
        assertEquals(List.of(version), versions);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourClientHasAMegabyteEchoedByAPythonAsyncioServer(String version) throws Exception {
        PeerProcess python = python("server", certPem.toString(), keyPem.toString(), version);
        int port = Integer.parseInt(await(loop, python.line(loop, "PORT ")).substring("PORT ".length()));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", port, TlsConfig.clientTrusting(certPem)));
        assertEquals(version, c.writer().transport().sslSession().getProtocol());
        byte[] data = random(1 << 20);
        assertArrayEquals(data, exchange(c, data));
        c.writer().close();
        await(loop, c.writer().waitClosed());
        assertEquals(0, await(loop, python.exit(loop)), python.errors());
        String sha = hex(MessageDigest.getInstance("SHA-256").digest(data));
        assertEquals(List.of("PORT " + port, version + " " + sha + " " + data.length), List.of(python.output().split("\n")));
    }

    // ------------------------------------------------------------------ curl

    @Test
    void curlGetsAPageFromOurServerTrustingItsCertificate() {
        List<String> requests = new ArrayList<>();
        Server server = httpServer(requests);
        PeerProcess curl = process(null, Programs.require("curl", "curl"), "-sS", "--max-time", "20",
                "--cacert", certPem.toString(), "--resolve", "localhost:" + server.port() + ":127.0.0.1",
                "https://localhost:" + server.port() + "/hello");
        assertEquals(0, await(loop, curl.exit(loop)), curl.errors());
        assertEquals("hello over TLS", curl.output());
        assertEquals(List.of("GET /hello HTTP/1.1"), requests);
        assertEquals(List.of(), peers.log.warnings());
    }

    @Test
    void curlWithoutTheCertificateRefusesOurServerWithItsCertificateError() {
        List<String> requests = new ArrayList<>();
        Server server = httpServer(requests);
        PeerProcess curl = process(null, Programs.require("curl", "curl"), "-sS", "--max-time", "20",
                "--resolve", "localhost:" + server.port() + ":127.0.0.1", "https://localhost:" + server.port() + "/hello");
        assertEquals(60, await(loop, curl.exit(loop)), "curl's exit status for a certificate it cannot verify");
        assertTrue(curl.errors().contains("SSL certificate problem"), curl.errors());
        assertEquals("", curl.output());
        assertEquals(List.of(), requests);
        // Our side of it: one line naming the peer and why. The why depends on the JDK: over TLS
        // 1.3 OpenSSL sends its unknown_ca alert in the clear, not yet under its handshake keys;
        // JDK 17's engine tries to decrypt it ("Insufficient buffer remaining for AEAD cipher
        // fragment (2)"), JDK 25's recognises it ("Unexpected plaintext alert received: Level:
        // fatal; Alert: unknown_ca") inside a generic "Unexpected exception".
        List<String> warnings = peers.log.warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("the TLS handshake with 127.0.0.1:")
                && warnings.get(0).contains(" failed: "), warnings.get(0));
        assertFalse(warnings.get(0).endsWith("Unexpected exception"), "the JDK's wrapper, not its cause: " + warnings.get(0));
    }

    // ------------------------------------------------------------------ helpers

    private PeerProcess process(Path stdin, String... command) {
        return peers.process(dir, stdin, command);
    }

    private PeerProcess python(String... args) throws Exception {
        Path script = Path.of(TlsPeersTest.class.getResource("tls_peer.py").toURI());
        List<String> command = new ArrayList<>(List.of(Programs.require("python3", "python3"), script.toString()));
        command.addAll(List.of(args));
        return process(null, command.toArray(new String[0]));
    }

    private record OpensslServer(PeerProcess process, int port) {}

    /**
     * {@code openssl s_server -rev} for one client, on a port that was free a moment before: it
     * prints no port it chose itself on every version, so a port is picked here, and picked again
     * if something took it in between (s_server then says "Address already in use" and exits).
     */
    private OpensslServer opensslServer(String version) {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            PeerProcess p = process(null, Programs.require("openssl", "openssl"), "s_server",
                    "-accept", "127.0.0.1:" + port, "-cert", certPem.toString(), "-key", keyPem.toString(),
                    version, "-rev", "-naccept", "1");
            Throwable e = NetTesting.failure(loop, p.line(loop, "ACCEPT"));
            if (e == null) {
                return new OpensslServer(p, port);
            }
            if (attempt == 5 || !p.errors().contains("Address already in use")) {
                throw new AssertionError("openssl s_server did not start", e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP/1.1 server over TLS that answers one request with a fixed page and closes; records request lines. */
    private Server httpServer(List<String> requests) {
        byte[] body = "hello over TLS".getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        Server s = await(loop, Net.startServer(loop, (r, w) -> r.readLine().then(requestLine -> {
            requests.add(requestLine);
            return Async.repeat(() -> r.readLine().map(h -> h != null && !h.isEmpty()));
        }).map(v -> {
            w.write(head);
            w.write(body);
            w.close();
            return null;
        }), "127.0.0.1", 0, TlsConfig.server(local.serverContext())));
        peers.add(s);
        return s;
    }

    /** {@code n} lines of {@code length} lowercase letters and digits, from a fixed seed. */
    private static List<String> asciiLines(int n, int length) {
        Random random = new Random(n);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** An echo server over TLS: every byte back until EOF, then close; records each connection's TLS version. */
    private Server echoServer(TlsConfig tls, List<String> versions) {
        Server s = await(loop, Net.startServer(loop, (r, w) -> {
            versions.add(w.transport().sslSession().getProtocol());
            return Async.repeat(() -> r.read(64 * 1024).then(b -> {
                if (b.length == 0) {
                    return Async.completed(false);
                }
                w.write(b);
                return w.drain().map(v -> true);
            }));
        }, "127.0.0.1", 0, tls));
        peers.add(s);
        return s;
    }

    /** Writes {@code data} in 16 KiB pieces with drain while reading as many bytes back. */
    private byte[] exchange(Connection c, byte[] data) {
        Future<Void> writing = Async.repeat(new io.eventloop.ThrowingSupplier<Future<Boolean>>() {
            int at;

            @Override
            public Future<Boolean> get() {
                if (at == data.length) {
                    return Async.completed(false);
                }
                int n = Math.min(16 * 1024, data.length - at);
                c.writer().write(ByteBuffer.wrap(data, at, n));
                at += n;
                return c.writer().drain().map(v -> true);
            }
        });
        byte[] back = await(loop, c.reader().readExactly(data.length));
        await(loop, writing);
        return back;
    }

    /**
     * On a peer thread: sends {@code data} from a second thread while reading it back and checking
     * every byte, then closes (close_notify). Returns the version negotiated.
     */
    private static String jdkEchoClient(int port, String version, byte[] data) throws Exception {
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        SSLSocket s = PeerFixture.jdkClient(local.trustingContext(), port, version);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int at = 0; at < data.length; at += 64 * 1024) {
                    out.write(data, at, Math.min(64 * 1024, data.length - at));
                }
                out.flush();
            } catch (IOException e) {
                writeFailure.set(e);
            }
        }, "jdk-tls-client-writer");
        try {
            s.startHandshake();
            writer.start();
            readExpecting(s.getInputStream(), data);
            writer.join(SOCKET_TIMEOUT_MILLIS);
            if (writeFailure.get() != null) {
                throw writeFailure.get();
            }
            return s.getSession().getProtocol();
        } finally {
            s.close();
            writer.join(SOCKET_TIMEOUT_MILLIS);
        }
    }

    /** On a peer thread: accepts one client, echoes until its close_notify, closes; returns the bytes echoed. */
    private static long jdkEchoServer(SSLServerSocket listener) throws IOException {
        try (listener; SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                total += n;
            }
            return total;
        }
    }

    /** Reads {@code expected.length} bytes, failing at the first that differs or at an early EOF. */
    static void readExpecting(InputStream in, byte[] expected) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int at = 0;
        while (at < expected.length) {
            int n = in.read(buffer, 0, Math.min(buffer.length, expected.length - at));
            if (n < 0) {
                throw new EOFException("the stream ended after " + at + " of " + expected.length + " bytes");
            }
            int differs = Arrays.mismatch(buffer, 0, n, expected, at, at + n);
            if (differs >= 0) {
                throw new AssertionError("byte " + (at + differs) + " of " + expected.length + " differs");
            }
            at += n;
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
