package io.eventloop.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connection URIs: libpq's form, its defaults, percent-decoding, and the errors that name the part. */
class PgUriTest {
    @Test
    void everyPartIsRead() {
        PgUri u = PgUri.parse("postgresql://app:s3cret@db.example.com:6543/shop?sslmode=verify-full"
                + "&application_name=web&connect_timeout=7");
        assertEquals("app", u.user());
        assertEquals("s3cret", u.password());
        assertEquals("db.example.com", u.host());
        assertEquals(6543, u.port());
        assertEquals("shop", u.database());
        assertEquals(PgUri.SslMode.VERIFY_FULL, u.ssl());
        assertEquals("web", u.applicationName());
        assertEquals(Duration.ofSeconds(7), u.connectTimeout());
        assertEquals("db.example.com:6543", u.server());
        assertFalse(u.toString().contains("s3cret"), u.toString());
    }

    @Test
    void missingPartsTakeLibpqsDefaults() {
        PgUri u = PgUri.parse("postgres://");
        assertEquals("localhost", u.host());
        assertEquals(5432, u.port());
        assertEquals(System.getProperty("user.name"), u.user());
        assertEquals(u.user(), u.database());
        assertNull(u.password());
        assertEquals(PgUri.SslMode.PREFER, u.ssl());
    }

    @Test
    void partsArePercentDecoded() {
        PgUri u = PgUri.parse("postgresql://us%40er:p%3Aw%2Fd%C3%A9@h/my%20db");
        assertEquals("us@er", u.user());
        assertEquals("p:w/dé", u.password());
        assertEquals("my db", u.database());
    }

    @Test
    void anIpv6HostIsInBrackets() {
        PgUri u = PgUri.parse("postgresql://u@[::1]:5433/db");
        assertEquals("::1", u.host());
        assertEquals(5433, u.port());
        assertEquals("[::1]:5433", u.server());
    }

    @Test
    void queryParametersOverrideTheParts() {
        PgUri u = PgUri.parse("postgresql://a@h/db?user=b&password=pw&port=1234&dbname=other&host=/run/pg");
        assertEquals("b", u.user());
        assertEquals("pw", u.password());
        assertEquals(1234, u.port());
        assertEquals("other", u.database());
        assertTrue(u.isUnixSocket());
        assertEquals("/run/pg/.s.PGSQL.1234", u.server());
    }

    @Test
    void badInputIsNamedAndThePasswordIsNotShown() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> PgUri.parse("jdbc:postgresql://u:secret@h/db"));
        assertTrue(scheme.getMessage().contains("not a PostgreSQL URI"), scheme.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PgUri.parse(null));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> PgUri.parse("postgresql://u:secret@h:abc/db"));
        assertTrue(port.getMessage().contains("port \"abc\" is not a number"), port.getMessage());
        assertFalse(port.getMessage().contains("secret"), port.getMessage());
        IllegalArgumentException escape = assertThrows(IllegalArgumentException.class,
                () -> PgUri.parse("postgresql://u:secret@h/d%zz"));
        assertTrue(escape.getMessage().contains("bad percent-encoding \"%zz\""), escape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PgUri.parse("postgresql://[::1/db"));
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> PgUri.parse("postgresql://h/db?sslmode=always"));
        assertTrue(mode.getMessage().contains("unknown sslmode \"always\""), mode.getMessage());
    }
}
