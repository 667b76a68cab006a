package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.testing.EventLoopTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connecting to a real server: each authentication method (scram-sha-256, md5, cleartext
 * password, trust), refused logins, startup parameters.
 */
@EventLoopTest
class PgConnectTest {
    private static PgServer server;
    private static long socketsBefore;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start();
        socketsBefore = PgServer.openSockets();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            assertEquals(socketsBefore, PgServer.openSockets(), "every socket the tests opened is closed");
        } finally {
            server.close();
        }
    }

    private static String whoAmI(String uri) {
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        try {
            return (String) assertCompletes(conn.fetchVal("SELECT current_user"));
        } finally {
            assertCompletes(conn.closeAsync());
        }
    }

    @Test
    void scramSha256LogsIn(EventLoop loop) {
        assertEquals(PgServer.USER, whoAmI(server.uri()));
    }

    @Test
    void md5LogsIn(EventLoop loop) {
        assertEquals("md5_user", whoAmI(server.uri("md5_user", "md5-pw")));
    }

    @Test
    void cleartextPasswordLogsIn(EventLoop loop) {
        assertEquals("clear_user", whoAmI(server.uri("clear_user", "clear-pw")));
    }

    @Test
    void trustNeedsNoPassword(EventLoop loop) {
        assertEquals("trust_user", whoAmI(server.uri("trust_user", null)));
    }

    @Test
    void aWrongScramPasswordFailsWith28P01(EventLoop loop) {
        PgException e = assertFails(PgException.class, PgConnection.connect(server.uri(PgServer.USER, "wrong")));
        assertEquals("28P01", e.sqlState());
        assertTrue(e.getMessage().contains("password authentication failed for user \"tester\""), e.getMessage());
        assertTrue(e.getMessage().contains("connecting to 127.0.0.1:" + server.port), e.getMessage());
    }

    @Test
    void aWrongMd5PasswordFailsWith28P01(EventLoop loop) {
        PgException e = assertFails(PgException.class, PgConnection.connect(server.uri("md5_user", "nope")));
        assertEquals("28P01", e.sqlState());
    }

    @Test
    void aMissingPasswordIsNamed(EventLoop loop) {
        PgConnectionException e = assertFails(PgConnectionException.class,
                PgConnection.connect(server.uri(PgServer.USER, null)));
        assertTrue(e.getMessage().contains("SCRAM-SHA-256 password"), e.getMessage());
        assertTrue(e.getMessage().contains("the URI gives none"), e.getMessage());
    }

    @Test
    void aMissingDatabaseFailsWith3D000(EventLoop loop) {
        PgException e = assertFails(PgException.class, PgConnection.connect(
                "postgresql://tester:tester-pw@127.0.0.1:" + server.port + "/nosuchdb"));
        assertEquals("3D000", e.sqlState());
    }

    @Test
    void aClosedPortFailsNamingTheServer(EventLoop loop) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PgConnectionException e = assertFails(PgConnectionException.class,
                PgConnection.connect("postgresql://x:y@127.0.0.1:" + port + "/db"));
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void percentEncodedPartsAndTheApplicationNameReachTheServer(EventLoop loop) {
        PgConnection conn = assertCompletes(PgConnection.connect("postgresql://%74ester:tester%2Dpw@127.0.0.1:"
                + server.port + "/postgres?application_name=my%20app"));
        try {
            assertEquals("my app", assertCompletes(conn.fetchVal("SELECT current_setting('application_name')")));
            assertEquals("UTF8", conn.serverParameter("client_encoding"));
            assertTrue(conn.serverParameter("server_version").startsWith("15"), conn.serverParameter("server_version"));
            assertTrue(conn.serverPid() > 0);
            assertEquals(conn.serverPid(), assertCompletes(conn.fetchVal("SELECT pg_backend_pid()")));
            assertEquals('I', conn.transactionStatus());
            assertFalse(conn.isClosed());
        } finally {
            assertCompletes(conn.closeAsync());
        }
        assertTrue(conn.isClosed());
    }

    @Test
    void sslmodeRequireAgainstAServerWithoutTlsIsRefusedNamingIt(EventLoop loop) {
        PgConnectionException e = assertFails(PgConnectionException.class,
                PgConnection.connect(server.uri() + "?sslmode=require"));
        assertTrue(e.getMessage().contains("does not accept TLS connections, and sslmode=require requires TLS"),
                e.getMessage());
    }

    @Test
    void aBadUriIsRefusedAtOnceWithoutItsPassword(EventLoop loop) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgConnection.connect("postgresql://u:secret@h:99999/db"));
        assertTrue(e.getMessage().contains("port 99999 is out of range"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PgConnection.connect("postgresql://h/db?sslmod=require"));
        assertTrue(unknown.getMessage().contains("unknown parameter \"sslmod\""), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PgConnection.connect("mysql://h/db"));
        assertThrows(IllegalArgumentException.class, () -> PgConnection.connect("postgresql://h/db?sslmode=maybe"));
    }

    @Test
    void aUnixSocketDirectoryIsRefusedNamingIt(EventLoop loop) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgConnection.connect(
                "postgresql://tester@/postgres?host=" + server.socketDirectory()));
        assertTrue(e.getMessage().contains("Unix-socket directory"), e.getMessage());
    }

    @Test
    void queriesAfterCloseFailAtOnce(EventLoop loop) {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.closeAsync());
        PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertNotNull(conn.toString());
    }
}
