package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static io.eventloop.net.NetTesting.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TLS over real loopback sockets, both ends on our loop: the layer, its configuration, its errors. */
@ExtendWith(NoLeaks.class)
class TlsTest {
    private static SelfSignedCertificate local;

    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();

    @BeforeAll
    static void certificate() {
        local = SelfSignedCertificate.generate();
    }

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        for (Server s : servers) {
            s.close();
            await(loop, s.waitClosed());
        }
        NetTesting.finish(loop);
        assertEquals(List.of(), errors, "reported to the exception handler");
    }

    private static TlsConfig serverConfig(SelfSignedCertificate cert) {
        return TlsConfig.server(cert.serverContext());
    }

    private static TlsConfig clientTrusting(SelfSignedCertificate cert) {
        return TlsConfig.client(cert.trustingContext());
    }

    /** An echo server over TLS: every byte back until EOF, then close. */
    private Server echoServer(TlsConfig tls) {
        Server s = await(loop, Net.startServer(loop, (r, w) -> Async.repeat(() -> r.read(64 * 1024).then(b -> {
            if (b.length == 0) {
                return Async.completed(false);
            }
            w.write(b);
            return w.drain().map(v -> true);
        })), "127.0.0.1", 0, tls));
        servers.add(s);
        return s;
    }

    /** Writes {@code data} in 16 KiB pieces with drain, then half-closes if it can, while reading {@code n} bytes back. */
    private byte[] exchange(Connection c, byte[] data) {
        Future<Void> writing = Async.repeat(new io.eventloop.ThrowingSupplier<Future<Boolean>>() {
            int at;

            @Override
            public Future<Boolean> get() {
                if (at == data.length) {
                    return Async.completed(false);
                }
                int n = Math.min(16 * 1024, data.length - at);
                c.writer().write(java.nio.ByteBuffer.wrap(data, at, n));
                at += n;
                return c.writer().drain().map(v -> true);
            }
        });
        byte[] back = await(loop, c.reader().readExactly(data.length));
        await(loop, writing);
        return back;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aMegabyteEchoesIntactOverEachVersion(String version) {
        Server server = echoServer(serverConfig(local).protocols(version));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        assertEquals(version, c.writer().transport().sslSession().getProtocol());
        byte[] data = random(1 << 20);
        assertArrayEquals(data, exchange(c, data));
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @Test
    void theClientChecksTheHostNameAndSaysWhichHostAndWhy() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("example.com");
        Server server = echoServer(serverConfig(other));
        Throwable e = failure(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(other)));
        assertInstanceOf(SSLHandshakeException.class, e);
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid for 127.0.0.1"), e.getMessage());
    }

    @Test
    void aSelfSignedCertificateIsNotTrustedByTheDefaultTrustStore() {
        Server server = echoServer(serverConfig(local));
        Throwable e = failure(loop, Net.openConnection(loop, "127.0.0.1", server.port(), TlsConfig.client()));
        assertInstanceOf(SSLHandshakeException.class, e);
        assertTrue(e.getMessage().contains("is not trusted"), e.getMessage());
    }

    @Test
    void anExpiredCertificateFailsTheConnectSayingItExpired() {
        Instant now = Instant.now();
        SelfSignedCertificate expired = SelfSignedCertificate.generate(List.of("127.0.0.1"),
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        Server server = echoServer(serverConfig(expired));
        Throwable e = failure(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(expired)));
        assertInstanceOf(SSLHandshakeException.class, e);
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void withoutTheHostNameCheckAnotherHostsTrustedCertificateIsAccepted() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("example.com");
        Server server = echoServer(serverConfig(other));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(),
                clientTrusting(other).verifyHostname(false)));
        assertArrayEquals(random(100), exchange(c, random(100)));
        c.writer().close();
    }

    @Test
    void theServerNameIsWhatTheCertificateIsCheckedAgainst() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("example.com");
        Server server = echoServer(serverConfig(other));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(),
                clientTrusting(other).serverName("example.com")));
        assertArrayEquals(random(100), exchange(c, random(100)));
        c.writer().close();
    }

    @Test
    void alpnAgreesOnTheServersFirstChoiceThatTheClientOffers() {
        List<String> seen = new ArrayList<>();
        Server server = await(loop, Net.startServer(loop, (r, w) -> {
            seen.add(w.transport().applicationProtocol());
            return null;
        }, "127.0.0.1", 0, serverConfig(local).applicationProtocols("h2", "http/1.1")));
        servers.add(server);
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(),
                clientTrusting(local).applicationProtocols("http/1.1", "h2")));
        assertEquals("h2", c.writer().transport().applicationProtocol());
        c.writer().close();
        await(loop, c.writer().waitClosed());
        assertEquals(List.of("h2"), seen);
        Connection plain = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        assertNull(plain.writer().transport().applicationProtocol());
        plain.writer().close();
    }

    @Test
    void startTlsUpgradesAPlainConnectionInPlace() {
        TlsConfig serverTls = serverConfig(local);
        Server server = await(loop, Net.startServer(loop, (r, w) -> r.readLine().then(line -> {
            assertEquals("STARTTLS", line);
            w.write("GO\n");
            return w.startTls(serverTls);
        }).then(v -> r.readLine()).then(line -> {
            w.write("secret " + line + "\n");
            return w.drain();
        }), "127.0.0.1", 0));
        servers.add(server);
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port()));
        c.writer().write("STARTTLS\n");
        assertEquals("GO", await(loop, c.reader().readLine()));
        await(loop, c.writer().startTls(clientTrusting(local)));
        assertEquals("TLSv1.3", c.writer().transport().sslSession().getProtocol());
        c.writer().write("hello\n");
        assertEquals("secret hello", await(loop, c.reader().readLine()));
        assertEquals(null, await(loop, c.reader().readLine()));
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @Test
    void thePeersCloseNotifyIsAnEofAnsweredAtOnceEvenIfTheApplicationKeepsTheConnection() {
        List<byte[]> got = new ArrayList<>();
        Server server = await(loop, Net.startServer(loop, (r, w) -> {
            r.read(-1).onDone(f -> got.add(f.result()));
            return null; // kept until its writer closes: over TCP the client's close would not wait for it
        }, "127.0.0.1", 0, serverConfig(local)));
        servers.add(server);
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        c.writer().write("all of it");
        c.writer().close();
        await(loop, c.writer().waitClosed()); // the server answered close_notify: no shutdown timeout
        assertEquals("all of it", new String(got.get(0), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void thereIsNoHalfCloseOverTls(String version) {
        Server server = echoServer(serverConfig(local).protocols(version));
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        assertFalse(c.writer().canWriteEof());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, c.writer()::writeEof);
        assertTrue(e.getMessage().contains("close()"), e.getMessage());
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @Test
    void closingSendsCloseNotifyAndThePeerSeesACleanEof() {
        List<byte[]> got = new ArrayList<>();
        Future<Void> serverDone = loop.createFuture();
        Server server = await(loop, Net.startServer(loop, (r, w) -> r.read(-1).map(all -> {
            got.add(all);
            serverDone.complete(null);
            return null;
        }), "127.0.0.1", 0, serverConfig(local)));
        servers.add(server);
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        c.writer().write("last words");
        c.writer().close();
        await(loop, c.writer().waitClosed());
        await(loop, serverDone);
        assertEquals("last words", new String(got.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void closeClientsClosesEachTlsConnectionWithCloseNotify() {
        Server server = await(loop, Net.startServer(loop, (r, w) -> null, "127.0.0.1", 0, serverConfig(local)));
        servers.add(server);
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), clientTrusting(local)));
        while (server.connectionCount() == 0) {
            await(loop, Async.yieldNow());
        }
        server.closeClients();
        assertNull(await(loop, c.reader().readLine()), "a clean EOF, not a reset or an error");
        await(loop, c.writer().waitClosed());
    }

    @Test
    void certificatesAreCheckedOffTheLoopThread() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("local", local.certificate());
        TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX");
        pkix.init(trusted);
        X509ExtendedTrustManager real = (X509ExtendedTrustManager) pkix.getTrustManagers()[0];
        List<Thread> checkedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        X509ExtendedTrustManager recording = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkedOn.add(Thread.currentThread());
                real.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                real.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                real.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                real.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                real.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                real.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return real.getAcceptedIssuers();
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recording}, null);
        Server server = echoServer(serverConfig(local));
        Thread loopThread = Thread.currentThread();
        Connection c = await(loop, Net.openConnection(loop, "127.0.0.1", server.port(), TlsConfig.client(context)));
        assertEquals(1, checkedOn.size());
        assertTrue(checkedOn.get(0) != loopThread, "the certificate was checked on the loop thread");
        c.writer().close();
        await(loop, c.writer().waitClosed());
    }

    @Test
    void configurationsAreCheckedForTheirSide() {
        assertThrows(IllegalArgumentException.class,
                () -> Net.startServer(loop, (r, w) -> null, "127.0.0.1", 0, clientTrusting(local)));
        assertThrows(IllegalArgumentException.class,
                () -> Net.openConnection(loop, "127.0.0.1", 1, serverConfig(local)));
        assertThrows(IllegalStateException.class, () -> serverConfig(local).serverName("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clientTrusting(local).protocols("TLSv9"));
        assertTrue(e.getMessage().contains("TLSv9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clientTrusting(local).handshakeTimeout(Duration.ZERO));
    }
}
