package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
    @Test
    void theCancelRequestTravelsOverTlsLikeTheQueries(EventLoop loop) {
        List<Integer> codes = new ArrayList<>(); // the request code of each connection's first message
        Server proxy = assertCompletes(Net.createServer(loop, () -> new Forward(loop, server.port, codes), "127.0.0.1", 0));
        try {
            PgConnection conn = assertCompletes(PgConnection.connect(
                    "postgresql://" + PgServer.USER + ":" + PgServer.PASSWORD + "@127.0.0.1:" + proxy.port()
                            + "/postgres?sslmode=require"));
            Future<Object> slow = conn.fetchVal("SELECT pg_sleep(60)");
            assertFails(java.util.concurrent.TimeoutException.class,
                    io.eventloop.Async.waitFor(slow, Duration.ofMillis(500)));
            assertEquals(1, assertCompletes(io.eventloop.Async.waitFor(conn.fetchVal("SELECT 1"), Duration.ofSeconds(30))));
            assertCompletes(conn.closeAsync());
            // the login's SSLRequest, then the side connection's: an SSLRequest, not a CancelRequest in the clear
            assertEquals(List.of(80_877_103, 80_877_103), codes);
        } finally {
            proxy.close();
        }
    }

    /** A TCP relay to the server that notes the request code in each connection's first eight bytes. */
    private static final class Forward implements Protocol {
        private final EventLoop loop;
        private final int port;
        private final List<Integer> codes;
        private final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();
        private Transport client;
        private Transport upstream;
        private boolean noted;

        Forward(EventLoop loop, int port, List<Integer> codes) {
            this.loop = loop;
            this.port = port;
            this.codes = codes;
        }

        @Override
        public void connectionMade(Transport t) {
            client = t;
            Protocol back = new Protocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    client.write(data);
                }

                @Override
                public void connectionLost(Throwable cause) {
                    client.close();
                }
            };
            Net.createConnection(loop, () -> back, "127.0.0.1", port).onDone(f -> {
                if (f.exception() != null || f.isCancelled()) {
                    client.abort();
                    return;
                }
                upstream = f.result();
                upstream.write(early.toByteArray());
            });
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (!noted && data.remaining() >= 8) {
                noted = true;
                codes.add(data.getInt(data.position() + 4));
            }
            if (upstream == null) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                early.writeBytes(b);
            } else {
                upstream.write(data);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }
}
