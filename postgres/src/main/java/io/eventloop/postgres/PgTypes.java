package io.eventloop.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The types this client sends and receives in PostgreSQL's binary format, by OID, and their Java
 * counterparts (the table is in the package documentation). A column of any other type comes in
 * the text format and is returned as its text; a parameter of any other type is sent as
 * {@code String.valueOf(value)} in the text format, and the server parses it.
 *
 * <p>Binary rather than text: a number or timestamp costs no parsing on either side and no
 * locale or {@code DateStyle} can change its meaning; what asyncpg does too. The formats are
 * those of the server's {@code *send} / {@code *recv} functions (src/backend/utils/adt).
 */
final class PgTypes {
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int NAME = 19;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int UNKNOWN = 705;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int NUMERIC = 1700;
    static final int UUID_OID = 2950;
    static final int JSONB = 3802;

    /** Array type OID to element type OID, for the element types above. */
    private static final Map<Integer, Integer> ARRAYS = Map.ofEntries(
            Map.entry(1000, BOOL), Map.entry(1001, BYTEA), Map.entry(1003, NAME), Map.entry(1016, INT8),
            Map.entry(1005, INT2), Map.entry(1007, INT4), Map.entry(1009, TEXT), Map.entry(1028, OID),
            Map.entry(199, JSON), Map.entry(1021, FLOAT4), Map.entry(1022, FLOAT8), Map.entry(1014, BPCHAR),
            Map.entry(1015, VARCHAR), Map.entry(1182, DATE), Map.entry(1183, TIME), Map.entry(1115, TIMESTAMP),
            Map.entry(1185, TIMESTAMPTZ), Map.entry(1231, NUMERIC), Map.entry(2951, UUID_OID), Map.entry(3807, JSONB));

    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps, in days and seconds since 1970-01-01. */
    private static final int PG_EPOCH_DAYS = 10_957;
    private static final long PG_EPOCH_SECONDS = PG_EPOCH_DAYS * 86_400L;

    private static final short NUMERIC_POS = 0x0000;
    private static final short NUMERIC_NEG = 0x4000;
    private static final short NUMERIC_NAN = (short) 0xC000;
    private static final short NUMERIC_PINF = (short) 0xD000;
    private static final short NUMERIC_NINF = (short) 0xF000;
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private PgTypes() {
    }

    /** Whether values of {@code oid} travel in the binary format. */
    static boolean binary(int oid) {
        switch (oid) {
            case BOOL, BYTEA, NAME, INT8, INT2, INT4, TEXT, OID, JSON, FLOAT4, FLOAT8, UNKNOWN, BPCHAR, VARCHAR, DATE,
                    TIME, TIMESTAMP, TIMESTAMPTZ, NUMERIC, UUID_OID, JSONB:
                return true;
            default:
                return ARRAYS.containsKey(oid);
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Whether {@link #decode} of {@code oid} reads exactly the value's {@code len} bytes (a
     * fixed-size type, whose length it checks, or a byte string), so that it may read in place
     * from a message holding more after the value, rather than from a slice bounded to it.
     */
    static boolean readsExactly(int oid) {
        switch (oid) {
            case BOOL, INT2, INT4, INT8, OID, FLOAT4, FLOAT8, UUID_OID, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BYTEA,
                    TEXT, VARCHAR, BPCHAR, NAME, JSON, UNKNOWN:
                return true;
            default:
                return false;
        }
    }

    /** The value of {@code len} bytes at {@code b}'s position, in {@code oid}'s binary format. */
    static Object decode(int oid, ByteBuffer b, int len) {
        switch (oid) {
            case BOOL:
                size(oid, len, 1);
                return b.get() != 0;
            case INT2:
                size(oid, len, 2);
                return b.getShort();
            case INT4:
                size(oid, len, 4);
                return b.getInt();
            case INT8:
                size(oid, len, 8);
                return b.getLong();
            case OID:
                size(oid, len, 4);
                return b.getInt() & 0xFFFFFFFFL;
            case FLOAT4:
                size(oid, len, 4);
                return b.getFloat();
            case FLOAT8:
                size(oid, len, 8);
                return b.getDouble();
            case BYTEA: {
                byte[] v = new byte[len];
                b.get(v);
                return v;
            }
            case JSONB: {
                int version = b.get();
                if (version != 1) {
                    throw new IllegalStateException("jsonb version " + version + " (this client knows version 1)");
                }
                return text(b, len - 1);
            }
            case UUID_OID:
                size(oid, len, 16);
                return new UUID(b.getLong(), b.getLong());
            case DATE:
                size(oid, len, 4);
                return date(b.getInt());
            case TIME:
                size(oid, len, 8);
                return LocalTime.ofNanoOfDay(Math.min(b.getLong() * 1000, LocalTime.MAX.toNanoOfDay()));
            case TIMESTAMP:
                size(oid, len, 8);
                return timestamp(b.getLong());
            case TIMESTAMPTZ: {
                size(oid, len, 8);
                LocalDateTime t = timestamp(b.getLong());
                return t == LocalDateTime.MAX ? OffsetDateTime.MAX : t == LocalDateTime.MIN ? OffsetDateTime.MIN
                        : t.atOffset(ZoneOffset.UTC);
            }
            case NUMERIC:
                return numeric(b);
            case TEXT, VARCHAR, BPCHAR, NAME, JSON, UNKNOWN:
                return text(b, len);
            default:
                Integer element = ARRAYS.get(oid);
                if (element != null) {
                    return array(b, element);
                }
                return text(b, len); // a text-format column
        }
    }

    private static void size(int oid, int len, int expected) {
        if (len != expected) {
            throw new IllegalStateException("a value of " + len + " bytes for type OID " + oid + ", which has " + expected);
        }
    }

    static String text(ByteBuffer b, int len) {
        String s;
        if (b.hasArray()) {
            s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
        } else {
            byte[] v = new byte[len];
            b.get(v);
            s = new String(v, StandardCharsets.UTF_8);
        }
        return s;
    }

    private static LocalDate date(int days) {
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;   // 'infinity'
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;   // '-infinity'
        }
        return LocalDate.ofEpochDay(days + (long) PG_EPOCH_DAYS);
    }

    private static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds + PG_EPOCH_SECONDS, nanos, ZoneOffset.UTC);
    }

    /** numeric: BigDecimal, or Double.NaN / ±Infinity for the values a BigDecimal cannot hold. */
    private static Object numeric(ByteBuffer b) {
        int ndigits = b.getShort();
        int weight = b.getShort();
        short sign = b.getShort();
        int dscale = b.getShort() & 0x3FFF;
        if (sign == NUMERIC_NAN) {
            return Double.NaN;
        }
        if (sign == NUMERIC_PINF) {
            return Double.POSITIVE_INFINITY;
        }
        if (sign == NUMERIC_NINF) {
            return Double.NEGATIVE_INFINITY;
        }
        if (ndigits < 0 || (sign != NUMERIC_POS && sign != NUMERIC_NEG)) {
            throw new IllegalStateException("malformed numeric: " + ndigits + " digits, sign 0x" + Integer.toHexString(sign));
        }
        BigInteger unscaled = BigInteger.ZERO;
        long small = 0;
        boolean big = ndigits > 4;
        for (int i = 0; i < ndigits; i++) {
            int d = b.getShort();
            if (big) {
                unscaled = unscaled.multiply(TEN_THOUSAND).add(BigInteger.valueOf(d));
            } else {
                small = small * 10_000 + d;
            }
        }
        BigDecimal v = new BigDecimal(big ? unscaled : BigInteger.valueOf(small)).scaleByPowerOfTen(4 * (weight - ndigits + 1));
        if (v.scale() < dscale) {
            v = v.setScale(dscale, RoundingMode.UNNECESSARY);
        } else if (v.scale() > dscale) {
            v = v.setScale(dscale, RoundingMode.DOWN); // only the zero digits past the display scale go
        }
        return sign == NUMERIC_NEG ? v.negate() : v;
    }

    private static List<Object> array(ByteBuffer b, int elementOid) {
        int ndim = b.getInt();
        b.getInt(); // flags: has nulls
        b.getInt(); // the element type, known from the column's type
        if (ndim == 0) {
            return List.of();
        }
        if (ndim < 0 || ndim > 6) {
            throw new IllegalStateException("malformed array: " + ndim + " dimensions");
        }
        int[] sizes = new int[ndim];
        long total = 1;
        for (int i = 0; i < ndim; i++) {
            sizes[i] = b.getInt();
            b.getInt(); // lower bound
            total *= sizes[i];
            if (sizes[i] < 0 || total > b.remaining() / 4) {
                throw new IllegalStateException("malformed array: dimension of " + sizes[i] + " elements in "
                        + b.remaining() + " bytes");
            }
        }
        return dimension(b, elementOid, sizes, 0);
    }

    private static List<Object> dimension(ByteBuffer b, int elementOid, int[] sizes, int dim) {
        Object[] items = new Object[sizes[dim]];
        for (int i = 0; i < items.length; i++) {
            if (dim + 1 < sizes.length) {
                items[i] = dimension(b, elementOid, sizes, dim + 1);
            } else {
                int len = b.getInt();
                if (len >= 0) {
                    int end = b.position() + len;
                    items[i] = decode(elementOid, b, len);
                    b.position(end);
                }
            }
        }
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Writes {@code value} as a Bind parameter of type {@code oid}: its length, then its bytes (in
     * the binary format when {@link #binary(int)}, else its text).
     *
     * @throws IllegalArgumentException naming the argument, the value and the type, when the value
     *     does not fit the type
     */
    static void encode(int oid, Object value, MessageWriter out, String what) {
        if (value == null) {
            out.int32(-1);
            return;
        }
        int at = out.reserveInt();
        int start = out.size();
        if (binary(oid)) {
            encodeBinary(oid, value, out, what);
        } else {
            out.bytes(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        }
        out.putIntAt(at, out.size() - start);
    }

    private static void encodeBinary(int oid, Object v, MessageWriter out, String what) {
        switch (oid) {
            case BOOL -> out.int8(as(Boolean.class, v, oid, what) ? 1 : 0);
            case INT2 -> out.int16((int) integral(v, Short.MIN_VALUE, Short.MAX_VALUE, oid, what));
            case INT4 -> out.int32((int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE, oid, what));
            case INT8 -> out.int64(integral(v, Long.MIN_VALUE, Long.MAX_VALUE, oid, what));
            case OID -> out.int32((int) integral(v, 0, 0xFFFFFFFFL, oid, what));
            case FLOAT4 -> out.int32(Float.floatToIntBits(as(Number.class, v, oid, what).floatValue()));
            case FLOAT8 -> out.int64(Double.doubleToLongBits(as(Number.class, v, oid, what).doubleValue()));
            case BYTEA -> {
                if (v instanceof ByteBuffer bb) {
                    ByteBuffer d = bb.duplicate();
                    byte[] copy = new byte[d.remaining()];
                    d.get(copy);
                    out.bytes(copy);
                } else {
                    out.bytes(as(byte[].class, v, oid, what));
                }
            }
            case JSONB -> {
                out.int8(1);
                out.bytes(textOf(v, oid, what));
            }
            case TEXT, VARCHAR, BPCHAR, NAME, JSON, UNKNOWN -> out.bytes(textOf(v, oid, what));
            case UUID_OID -> {
                UUID u = v instanceof String s ? parseUuid(s, what) : as(UUID.class, v, oid, what);
                out.int64(u.getMostSignificantBits());
                out.int64(u.getLeastSignificantBits());
            }
            case DATE -> {
                LocalDate d = as(LocalDate.class, v, oid, what);
                out.int32(d.equals(LocalDate.MAX) ? Integer.MAX_VALUE : d.equals(LocalDate.MIN) ? Integer.MIN_VALUE
                        : Math.toIntExact(d.toEpochDay() - PG_EPOCH_DAYS));
            }
            case TIME -> out.int64(as(LocalTime.class, v, oid, what).toNanoOfDay() / 1000);
            case TIMESTAMP -> out.int64(micros(as(LocalDateTime.class, v, oid, what)));
            case TIMESTAMPTZ -> {
                LocalDateTime utc;
                if (v instanceof OffsetDateTime o) {
                    utc = o.equals(OffsetDateTime.MAX) ? LocalDateTime.MAX : o.equals(OffsetDateTime.MIN) ? LocalDateTime.MIN
                            : o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                } else if (v instanceof ZonedDateTime z) {
                    utc = z.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
                } else if (v instanceof Instant i) {
                    utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                } else {
                    throw mismatch(v, oid, what, "OffsetDateTime, ZonedDateTime or Instant");
                }
                out.int64(micros(utc));
            }
            case NUMERIC -> numeric(v, out, what);
            default -> array(oid, v, out, what);
        }
    }

    private static long micros(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return Long.MAX_VALUE;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return Long.MIN_VALUE;
        }
        long seconds = t.toEpochSecond(ZoneOffset.UTC) - PG_EPOCH_SECONDS;
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1000);
    }

    private static void numeric(Object v, MessageWriter out, String what) {
        BigDecimal d;
        if (v instanceof BigDecimal bd) {
            d = bd;
        } else if (v instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                out.int16(0);
                out.int16(0);
                out.int16(Double.isNaN(x) ? NUMERIC_NAN : x > 0 ? NUMERIC_PINF : NUMERIC_NINF);
                out.int16(0);
                return;
            }
            d = BigDecimal.valueOf(x);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            d = BigDecimal.valueOf(((Number) v).longValue());
        } else {
            throw mismatch(v, NUMERIC, what, "BigDecimal, BigInteger, Long, Integer, Short, Byte, Double or Float");
        }
        int scale = Math.max(0, d.scale());
        String digits = d.abs().setScale(scale).unscaledValue().toString();
        if (digits.length() <= scale) {
            digits = "0".repeat(scale - digits.length() + 1) + digits;
        }
        String ip = digits.substring(0, digits.length() - scale);
        String fp = digits.substring(digits.length() - scale);
        ip = "0".repeat((4 - ip.length() % 4) % 4) + ip;
        fp = fp + "0".repeat((4 - fp.length() % 4) % 4);
        String all = ip + fp;
        int n = all.length() / 4;
        int weight = ip.length() / 4 - 1;
        int first = 0;
        while (first < n && all.startsWith("0000", first * 4)) {
            first++;
            weight--;
        }
        int last = n;
        while (last > first && all.startsWith("0000", (last - 1) * 4)) {
            last--;
        }
        if (first == last) {
            weight = 0;
        }
        if (last - first > Short.MAX_VALUE || weight > Short.MAX_VALUE || weight < Short.MIN_VALUE || scale > 0x3FFF) {
            throw new IllegalArgumentException(what + ": " + MessageWriter.abbreviate(d.toString())
                    + " is out of numeric's range");
        }
        out.int16(last - first);
        out.int16(weight);
        out.int16(d.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS);
        out.int16(scale);
        for (int i = first; i < last; i++) {
            out.int16(Integer.parseInt(all, i * 4, i * 4 + 4, 10));
        }
    }

    private static void array(int oid, Object v, MessageWriter out, String what) {
        Integer element = ARRAYS.get(oid);
        if (element == null) {
            throw new IllegalStateException("no binary format for type " + oid); // binary() said there was
        }
        List<?> items = items(v, oid, what);
        boolean nulls = false;
        for (Object item : items) { // not contains(null): List.of(...) throws for it
            nulls |= item == null;
        }
        out.int32(items.isEmpty() ? 0 : 1);
        out.int32(nulls ? 1 : 0);
        out.int32(element);
        if (items.isEmpty()) {
            return;
        }
        out.int32(items.size());
        out.int32(1);
        for (int i = 0; i < items.size(); i++) {
            encode(element, items.get(i), out, what + "[" + i + "]");
        }
    }

    private static List<?> items(Object v, int oid, String what) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        List<Object> l = new ArrayList<>();
        if (v instanceof int[] a) {
            for (int x : a) {
                l.add(x);
            }
        } else if (v instanceof long[] a) {
            for (long x : a) {
                l.add(x);
            }
        } else if (v instanceof short[] a) {
            for (short x : a) {
                l.add(x);
            }
        } else if (v instanceof double[] a) {
            for (double x : a) {
                l.add(x);
            }
        } else if (v instanceof float[] a) {
            for (float x : a) {
                l.add(x);
            }
        } else if (v instanceof boolean[] a) {
            for (boolean x : a) {
                l.add(x);
            }
        } else {
            throw mismatch(v, oid, what, "a List, an Object[] or an array of a primitive type");
        }
        return l;
    }

    private static long integral(Object v, long min, long max, int oid, String what) {
        long x;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            x = ((Number) v).longValue();
        } else if (v instanceof BigInteger bi && bi.bitLength() < 64) {
            x = bi.longValue();
        } else {
            throw mismatch(v, oid, what, "Long, Integer, Short or Byte");
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException(what + ": " + x + " is out of range for " + name(oid) + " (" + min + " to "
                    + max + ")");
        }
        return x;
    }

    private static byte[] textOf(Object v, int oid, String what) {
        if (v instanceof CharSequence || v instanceof Character) {
            return v.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw mismatch(v, oid, what, "a String");
    }

    private static UUID parseUuid(String s, String what) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": \"" + MessageWriter.abbreviate(s) + "\" is not a UUID", e);
        }
    }

    private static <T> T as(Class<T> type, Object v, int oid, String what) {
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw mismatch(v, oid, what, type.getSimpleName());
    }

    private static IllegalArgumentException mismatch(Object v, int oid, String what, String expected) {
        String shown = v instanceof CharSequence ? "\"" + MessageWriter.abbreviate(v.toString()) + "\""
                : v.getClass().isArray() ? v.getClass().getSimpleName() : MessageWriter.abbreviate(String.valueOf(v));
        return new IllegalArgumentException(what + " is sent as " + name(oid) + ", which takes " + expected + ", not "
                + v.getClass().getName() + " " + shown);
    }

    /** The type's name, for messages. */
    static String name(int oid) {
        return switch (oid) {
            case BOOL -> "bool";
            case BYTEA -> "bytea";
            case NAME -> "name";
            case INT8 -> "int8";
            case INT2 -> "int2";
            case INT4 -> "int4";
            case TEXT -> "text";
            case OID -> "oid";
            case JSON -> "json";
            case FLOAT4 -> "float4";
            case FLOAT8 -> "float8";
            case UNKNOWN -> "unknown";
            case BPCHAR -> "bpchar";
            case VARCHAR -> "varchar";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case NUMERIC -> "numeric";
            case UUID_OID -> "uuid";
            case JSONB -> "jsonb";
            default -> ARRAYS.containsKey(oid) ? name(ARRAYS.get(oid)) + "[]" : "type " + oid;
        };
    }
}
