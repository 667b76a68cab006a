package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.TlsConfig;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS after SSLRequest against a real server with a self-signed certificate: each sslmode. */
@EventLoopTest
class PgTlsTest {
    private static PgServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static boolean encrypted(PgConnection conn) {
        return (Boolean) assertCompletes(conn.fetchVal("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    @Test
    void verifyFullChecksTheCertificateAndTheHost(EventLoop loop) throws Exception {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri() + "?sslmode=verify-full",
                PgOptions.defaults().tls(TlsConfig.clientTrusting(server.certificate()))));
        assertTrue(encrypted(conn));
        assertEquals(PgServer.USER, assertCompletes(conn.fetchVal("SELECT current_user")));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void requireEncryptsWithoutCheckingTheCertificate(EventLoop loop) {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri() + "?sslmode=require"));
        assertTrue(encrypted(conn));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void verifyFullRefusesACertificateItDoesNotTrust(EventLoop loop) {
        PgConnectionException e = assertFails(PgConnectionException.class,
                PgConnection.connect(server.uri() + "?sslmode=verify-full"));
        assertTrue(e.getMessage().contains("TLS handshake with 127.0.0.1:" + server.port + " failed"), e.getMessage());
        assertTrue(e.getCause() instanceof SSLHandshakeException, String.valueOf(e.getCause()));
    }

    @Test
    void preferAndDisableConnectInPlainText(EventLoop loop) {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri() + "?sslmode=disable"));
        assertEquals(false, encrypted(conn));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void aQueryOverTlsCanBeCancelled(EventLoop loop) {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri() + "?sslmode=require"));
        Future<Object> slow = conn.fetchVal("SELECT pg_sleep(60)");
        assertFails(java.util.concurrent.TimeoutException.class,
                io.eventloop.Async.waitFor(slow, Duration.ofMillis(500)));
        assertFails(CancellationException.class, slow);
        assertEquals(1, assertCompletes(io.eventloop.Async.waitFor(conn.fetchVal("SELECT 1"), Duration.ofSeconds(30))));
        assertCompletes(conn.closeAsync());
    }
}
