package io.eventloop.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The data the bulk tests send: a table with a column of every type that has a binary format,
 * rows of extremes, NULLs and arrays, and large inputs made row by row as they are iterated.
 */
final class BulkData {
    static final String EVERY_TYPE = "CREATE TABLE every (id int4 PRIMARY KEY, i2 int2, i8 int8, o oid, f4 float4,"
            + " f8 float8, n numeric, b bool, t text, v varchar(20), by bytea, u uuid, j json, jb jsonb, d date,"
            + " tm time, ts timestamp, tz timestamptz, ai int4[], at text[])";

    private BulkData() {
    }

    /** Rows for {@link #EVERY_TYPE}: the low extremes, the high extremes, NULLs, ordinary values with arrays. */
    static List<Object[]> everyType() {
        Object[] low = {0, Short.MIN_VALUE, Long.MIN_VALUE, 0L, Float.NEGATIVE_INFINITY, -Double.MAX_VALUE,
            new BigDecimal("-99999999999999999999999999999999999999.9999"), false, "", "",
            new byte[0], new UUID(0, 0), "[]", "{}", LocalDate.MIN, LocalTime.MIDNIGHT, LocalDateTime.MIN,
            OffsetDateTime.MIN, List.of(), List.of()};
        Object[] high = {1, Short.MAX_VALUE, Long.MAX_VALUE, 4_294_967_295L, Float.NaN, Double.POSITIVE_INFINITY,
            new BigDecimal("12345678901234567890.000000000000000000001"), true, "héllo wörld ✓ 😀", "it's \"quoted\"",
            new byte[] {0, 1, (byte) 0xFF, 0x7F, '\\', '\n'}, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            "{\"a\": [1, 2]}", "{\"a\": [1, 2]}", LocalDate.of(5874897, 12, 31), LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(2024, 2, 29, 12, 30, 45, 123_456_000), LocalDateTime.of(2024, 7, 1, 16, 0).atOffset(ZoneOffset.UTC),
            List.of(Integer.MIN_VALUE, 0, Integer.MAX_VALUE), List.of("tab\there", "comma,quote\"", "")};
        Object[] nulls = new Object[low.length];
        nulls[0] = 2;
        Object[] ordinary = {3, (short) 7, 7L, 7L, 1.5f, Math.PI, new BigDecimal("-1.50"), true, "tea\nwith milk",
            "x", new byte[] {7}, UUID.fromString("00000000-0000-0000-0000-000000000001"), "null", "null",
            LocalDate.of(1999, 12, 31), LocalTime.of(12, 0), LocalDateTime.of(1969, 7, 20, 20, 17, 40),
            LocalDateTime.of(2000, 1, 1, 0, 0).atOffset(ZoneOffset.UTC), Arrays.asList(1, null, 3),
            Arrays.asList(null, "NULL", "\\N")};
        return List.of(low, high, nulls, ordinary);
    }

    /** Asserts the rows read back from {@code every} (ordered by id) are {@code expected}. */
    static void assertSame(List<Object[]> expected, List<Row> actual) {
        assertEquals(expected.size(), actual.size(), "rows");
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Row a = actual.get(r);
            for (int c = 0; c < e.length; c++) {
                Object want = e[c];
                if (want instanceof byte[] b) {
                    assertArrayEquals(b, (byte[]) a.get(c), "row " + r + " column " + c);
                } else {
                    assertEquals(want, a.get(c), "row " + r + " column " + c);
                }
            }
        }
    }

    /** {@code n} rows made by {@code row} as they are iterated: a large input that is never held. */
    static Iterable<Object[]> generated(int n, IntFunction<Object[]> row) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Object[] next() {
                return row.apply(i++);
            }
        };
    }

    /** A text of about a hundred bytes, different per row: rows large enough that a few MiB fill the socket. */
    static String filler(int i) {
        return i + " " + "x".repeat(96);
    }
}
