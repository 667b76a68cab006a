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
import org.junit.jupiter.api.Test;

/**
 * Connecting to a real server: each authentication method (scram-sha-256, md5, cleartext
 * password, trust), refused logins, startup parameters.
 */
@EventLoopTest
class PgConnectTest extends PgServerCase {
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
    void aScramPasswordIsPreparedAsTheServerPreparedIt(EventLoop loop) {
        PgConnection admin = assertCompletes(PgConnection.connect(server.uri()));
        try {
            // the server stores the verifier of the SASLprep'd password: "I\u00ADX" (soft hyphen) is "IX",
            // "e\u0301" (e and a combining acute) is "\u00E9"
            assertCompletes(admin.execute("DROP ROLE IF EXISTS prep_user; CREATE ROLE prep_user LOGIN PASSWORD 'I\u00ADXe\u0301'"));
            assertEquals("prep_user", whoAmI(server.uri("prep_user", "I\u00ADXe\u0301")));
            assertEquals("prep_user", whoAmI(server.uri("prep_user", "IX\u00E9")));
            PgException wrong = assertFails(PgException.class, PgConnection.connect(server.uri("prep_user", "IXe")));
            assertEquals("28P01", wrong.sqlState());
        } finally {
            assertCompletes(admin.execute("DROP ROLE IF EXISTS prep_user"));
            assertCompletes(admin.closeAsync());
        }
    }

    @Test
    void aPasswordWithAProhibitedCharacterIsUsedAsItIs(EventLoop loop) {
        PgConnection admin = assertCompletes(PgConnection.connect(server.uri()));
        try {
            // a private-use character: neither side prepares it, so the soft hyphen stays and counts
            assertCompletes(admin.execute("DROP ROLE IF EXISTS raw_user; CREATE ROLE raw_user LOGIN PASSWORD 'a\u00ADb\uE000'"));
            assertEquals("raw_user", whoAmI(server.uri("raw_user", "a\u00ADb\uE000")));
            assertEquals("28P01", assertFails(PgException.class,
                    PgConnection.connect(server.uri("raw_user", "ab\uE000"))).sqlState());
        } finally {
            assertCompletes(admin.execute("DROP ROLE IF EXISTS raw_user"));
            assertCompletes(admin.closeAsync());
        }
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
    void aUnixSocketDirectoryConnectsThroughTheSocketInIt(EventLoop loop) {
        String uri = "postgresql://tester@/postgres?host=" + server.socketDirectory() + "&port=" + server.port
                + "&sslmode=require"; // no TLS over a Unix socket: libpq ignores sslmode there too
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        try {
            assertEquals(7L, ((Number) assertCompletes(conn.fetchVal("SELECT $1::int8 + 4", 3L))).longValue());
            assertEquals("", assertCompletes(conn.fetchVal("SELECT coalesce(inet_client_addr()::text, '')")),
                    "the server saw a local (Unix-socket) client");
        } finally {
            assertCompletes(conn.closeAsync());
        }
    }

    @Test
    void aMissingUnixSocketFailsNamingItsPath(EventLoop loop) {
        PgConnectionException e = assertFails(PgConnectionException.class, PgConnection.connect(
                "postgresql://tester@/postgres?host=" + server.socketDirectory() + "&port=1"));
        assertTrue(e.getMessage().contains(server.socketDirectory() + "/.s.PGSQL.1"), e.getMessage());
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
