package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.testing.EventLoopTest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every type with a binary format, both ways against a real server: what this client encodes is
 * what the server reads ({@code $1::type} compared with a literal in SQL), and what the server
 * sends decodes to the Java value; NULLs, extremes, NaN and infinities, time zones, empty arrays.
 */
@EventLoopTest
class PgTypesTest {
    private static PgServer server;
    private PgConnection conn;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void connect(EventLoop loop) {
        conn = assertCompletes(PgConnection.connect(server.uri()));
    }

    @AfterEach
    void close() {
        assertCompletes(conn.closeAsync());
    }

    /** Sends {@code value} as {@code type}, checks the server sees {@code literal}, and reads it back. */
    private void roundTrip(String type, Object value, String literal) {
        String compared = type.equals("json") ? "::text" : ""; // json has no equality operator
        Row r = assertCompletes(conn.fetchRow("SELECT $1::" + type + " AS v, $1::" + type + compared
                + " IS NOT DISTINCT FROM (" + literal + ")::" + type + compared + " AS same", value));
        assertEquals(true, r.get("same"), type + " " + value + " is read by the server as " + literal);
        Object back = r.get("v");
        if (value instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) back);
        } else {
            assertEquals(value, back, type);
        }
        assertEquals(value, assertCompletes(conn.fetchVal("SELECT (" + literal + ")::" + type)) instanceof byte[] b
                ? value : assertCompletes(conn.fetchVal("SELECT (" + literal + ")::" + type)), "decoding " + literal);
    }

    private Object select(String expression) {
        return assertCompletes(conn.fetchVal("SELECT " + expression));
    }

    @Test
    void integers() {
        roundTrip("int2", (short) 0, "0");
        roundTrip("int2", Short.MIN_VALUE, "-32768");
        roundTrip("int2", Short.MAX_VALUE, "32767");
        roundTrip("int4", Integer.MIN_VALUE, "-2147483648");
        roundTrip("int4", Integer.MAX_VALUE, "2147483647");
        roundTrip("int8", Long.MIN_VALUE, "-9223372036854775808");
        roundTrip("int8", Long.MAX_VALUE, "9223372036854775807");
        roundTrip("oid", 4_294_967_295L, "4294967295");
        assertEquals(42L, select("$1::int8".replace("$1", "42")));
        assertEquals(7L, assertCompletes(conn.fetchVal("SELECT $1::int8", 7)), "an Integer widens to int8");
    }

    @Test
    void anIntegerOutOfItsTypesRangeIsRefusedNamingTheArgument() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.fetchVal("SELECT $1::int2", 70_000));
        assertTrue(e.getMessage().contains("argument $1"), e.getMessage());
        assertTrue(e.getMessage().contains("70000 is out of range for int2"), e.getMessage());
        assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1")), "the connection goes on");
    }

    @Test
    void aValueOfTheWrongJavaTypeIsRefusedNamingBoth() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.fetchVal("SELECT $1::int4", "12"));
        assertTrue(e.getMessage().contains("argument $1"), e.getMessage());
        assertTrue(e.getMessage().contains("int4"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String \"12\""), e.getMessage());
    }

    @Test
    void floatsWithNaNAndInfinities() {
        roundTrip("float4", 1.5f, "1.5");
        roundTrip("float4", Float.MAX_VALUE, "3.4028235e38");
        roundTrip("float4", Float.NaN, "'NaN'");
        roundTrip("float4", Float.NEGATIVE_INFINITY, "'-Infinity'");
        roundTrip("float8", Math.PI, "pi()");
        roundTrip("float8", Double.MIN_VALUE, "4.9e-324");
        roundTrip("float8", Double.NaN, "'NaN'");
        roundTrip("float8", Double.POSITIVE_INFINITY, "'Infinity'");
        roundTrip("float8", -0.0, "'-0'");
    }

    @Test
    void numerics() {
        roundTrip("numeric", new BigDecimal("0"), "0");
        roundTrip("numeric", new BigDecimal("1"), "1");
        roundTrip("numeric", new BigDecimal("-1.50"), "-1.50");
        roundTrip("numeric", new BigDecimal("12345678901234567890.000000000000000000001"),
                "12345678901234567890.000000000000000000001");
        roundTrip("numeric", new BigDecimal("0.0001"), "0.0001");
        roundTrip("numeric", new BigDecimal("0.00000001"), "0.00000001");
        roundTrip("numeric", new BigDecimal("10000"), "10000");
        roundTrip("numeric", new BigDecimal("100000000.0000"), "100000000.0000");
        roundTrip("numeric", new BigDecimal("-99999999999999999999999999999999999999.9999"),
                "-99999999999999999999999999999999999999.9999");
        roundTrip("numeric", new BigDecimal("1e-30").setScale(30), "1e-30");
        assertEquals(new BigDecimal("1000"), assertCompletes(conn.fetchVal("SELECT $1::numeric", new BigDecimal("1E+3"))));
        assertEquals(new BigDecimal("12"), assertCompletes(conn.fetchVal("SELECT $1::numeric", 12L)));
        roundTrip("numeric", Double.NaN, "'NaN'");
        roundTrip("numeric", Double.POSITIVE_INFINITY, "'Infinity'");
        roundTrip("numeric", Double.NEGATIVE_INFINITY, "'-Infinity'");
    }

    @Test
    void boolTextAndBytes() {
        roundTrip("bool", true, "true");
        roundTrip("bool", false, "false");
        roundTrip("text", "", "''");
        roundTrip("text", "héllo wörld ✓ 😀", "'héllo wörld ✓ 😀'");
        roundTrip("varchar", "it's", "'it''s'");
        roundTrip("bytea", new byte[0], "''::bytea");
        roundTrip("bytea", new byte[] {0, 1, (byte) 0xFF, 0x7F}, "'\\x0001ff7f'::bytea");
        assertEquals("ab  ", select("'ab'::char(4)"));
        assertEquals("pg_class", select("'pg_class'::name"));
    }

    @Test
    void aNulInTextIsRefused() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.fetchVal("SELECT 'a\0b'"));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void uuidAndJson() {
        UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        roundTrip("uuid", u, "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'");
        assertEquals(u, assertCompletes(conn.fetchVal("SELECT $1::uuid", u.toString())), "a String is parsed as a UUID");
        roundTrip("json", "{\"a\": [1, 2]}", "'{\"a\": [1, 2]}'");
        roundTrip("jsonb", "{\"a\": [1, 2]}", "'{\"a\": [1, 2]}'");
        assertEquals("{\"a\": 1, \"b\": null}", select("'{\"b\":null, \"a\":1}'::jsonb"));
    }

    @Test
    void datesAndTimes() {
        roundTrip("date", LocalDate.of(2000, 1, 1), "'2000-01-01'");
        roundTrip("date", LocalDate.of(1999, 12, 31), "'1999-12-31'");
        roundTrip("date", LocalDate.of(-4712, 1, 1), "'4713-01-01 BC'");
        roundTrip("date", LocalDate.of(5874897, 12, 31), "'5874897-12-31'");
        roundTrip("date", LocalDate.MAX, "'infinity'");
        roundTrip("date", LocalDate.MIN, "'-infinity'");
        roundTrip("time", LocalTime.MIDNIGHT, "'00:00'");
        roundTrip("time", LocalTime.of(23, 59, 59, 999_999_000), "'23:59:59.999999'");
        assertEquals(LocalTime.MAX, select("'24:00'::time"));
        roundTrip("timestamp", LocalDateTime.of(2024, 2, 29, 12, 30, 45, 123_456_000), "'2024-02-29 12:30:45.123456'");
        roundTrip("timestamp", LocalDateTime.of(1969, 7, 20, 20, 17, 40), "'1969-07-20 20:17:40'");
        roundTrip("timestamp", LocalDateTime.MAX, "'infinity'");
        roundTrip("timestamp", LocalDateTime.MIN, "'-infinity'");
    }

    @Test
    void timestamptzIsAnInstantReturnedAtUtcWhateverTheSessionTimeZone() {
        assertCompletes(conn.execute("SET TimeZone = 'America/New_York'"));
        OffsetDateTime utc = OffsetDateTime.of(2024, 7, 1, 16, 0, 0, 0, ZoneOffset.UTC);
        roundTrip("timestamptz", utc, "'2024-07-01 12:00:00-04'");
        OffsetDateTime paris = OffsetDateTime.of(2024, 7, 1, 18, 0, 0, 0, ZoneOffset.ofHours(2));
        assertEquals(utc, assertCompletes(conn.fetchVal("SELECT $1::timestamptz", paris)));
        assertEquals(utc, assertCompletes(conn.fetchVal("SELECT $1::timestamptz", paris.toInstant())));
        assertEquals(utc, assertCompletes(conn.fetchVal("SELECT $1::timestamptz",
                paris.atZoneSameInstant(ZoneId.of("Asia/Tokyo")))));
        assertEquals("2024-07-01 12:00:00-04", assertCompletes(conn.fetchVal("SELECT $1::timestamptz::text", utc)));
        roundTrip("timestamptz", OffsetDateTime.MAX, "'infinity'");
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"),
                ((OffsetDateTime) select("'2000-01-01 00:00:00+00'::timestamptz")).toInstant());
    }

    @Test
    void nullsOfEveryType() {
        for (String type : List.of("int2", "int4", "int8", "float4", "float8", "numeric", "bool", "text", "varchar",
                "bytea", "uuid", "date", "time", "timestamp", "timestamptz", "json", "jsonb", "int4[]", "text[]")) {
            Row r = assertCompletes(conn.fetchRow("SELECT $1::" + type + " AS v, $1::" + type + " IS NULL AS n",
                    (Object) null));
            assertNull(r.get("v"), type);
            assertEquals(true, r.get("n"), type);
        }
    }

    @Test
    void arrays() {
        roundTrip("int4[]", List.of(1, 2, 3), "'{1,2,3}'");
        roundTrip("int8[]", List.of(), "'{}'");
        roundTrip("text[]", Arrays.asList("a", null, "c,\"d\""), "ARRAY['a', NULL, 'c,\"d\"']");
        roundTrip("float8[]", List.of(1.5, Double.NaN), "ARRAY[1.5, 'NaN'::float8]");
        roundTrip("numeric[]", List.of(new BigDecimal("1.10"), new BigDecimal("-2")), "'{1.10,-2}'");
        roundTrip("bool[]", List.of(true, false), "'{t,f}'");
        roundTrip("uuid[]", List.of(new UUID(1, 2)), "ARRAY['00000000-0000-0001-0000-000000000002'::uuid]");
        roundTrip("date[]", List.of(LocalDate.of(2020, 5, 17)), "'{2020-05-17}'");
        roundTrip("timestamptz[]", List.of(OffsetDateTime.of(2020, 5, 17, 1, 2, 3, 0, ZoneOffset.UTC)),
                "'{2020-05-17 01:02:03+00}'");
        roundTrip("jsonb[]", List.of("{}", "[1]"), "ARRAY['{}'::jsonb, '[1]'::jsonb]");
        assertEquals(List.of(1, 2), assertCompletes(conn.fetchVal("SELECT $1::int4[]", (Object) new int[] {1, 2})));
        assertEquals(List.of(4L, 5L), assertCompletes(conn.fetchVal("SELECT $1::int8[]", (Object) new Long[] {4L, 5L})));
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), select("'{{1,2},{3,4}}'::int4[]"), "two dimensions: nested");
        assertEquals(List.of(), select("'{}'::text[]"));
    }

    @Test
    void typesWithoutABinaryFormatHereComeAsText() {
        assertEquals("1 day 02:00:00", select("'1 day 2 hours'::interval"));
        assertEquals("192.168.0.1/24", select("'192.168.0.1/24'::inet"));
        assertEquals("(1,2)", select("point(1, 2)"));
        assertEquals("1 day", assertCompletes(conn.fetchVal("SELECT $1::interval", "1 day")), "sent as text");
    }

    @Test
    void typedGettersConvertOnlyWithoutLoss() {
        Row r = assertCompletes(conn.fetchRow("SELECT 1::int2 AS s, 2::int4 AS i, 3::int8 AS l, 1.5::float4 AS f,"
                + " 2.5::numeric AS n, 'x' AS t, true AS b, '\\x01'::bytea AS bytes"));
        assertEquals(1, r.getInt("s"));
        assertEquals(2L, r.getLong("i"));
        assertEquals(3L, r.getLong("l"));
        assertEquals(1.5, r.getDouble("f"));
        assertEquals(new BigDecimal("2.5"), r.getBigDecimal("n"));
        assertEquals(new BigDecimal("2"), r.getBigDecimal("i"));
        assertEquals(BigInteger.valueOf(3), r.get("l", BigInteger.class));
        assertEquals("x", r.getString("t"));
        assertEquals(true, r.getBoolean("b"));
        assertArrayEquals(new byte[] {1}, r.getBytes("bytes"));
        assertEquals(List.of("s", "i", "l", "f", "n", "t", "b", "bytes"), r.columns());
        assertEquals(8, r.size());
        ClassCastException e = assertThrows(ClassCastException.class, () -> r.getInt("l"));
        assertTrue(e.getMessage().contains("column \"l\" (int8)"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
        assertTrue(missing.getMessage().contains("no column \"nope\""), missing.getMessage());
    }
}
