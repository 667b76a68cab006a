package io.eventloop.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link Row}: the decoded values, and the description shared by every row of a statement. */
final class PgRow implements Row {
    /** A statement's result columns: names, type OIDs and formats, shared by its rows. */
    static final class Columns {
        final String[] names;
        final int[] oids;
        final boolean[] binary;
        final List<String> nameList;
        private final Map<String, Integer> index = new HashMap<>();

        Columns(String[] names, int[] oids) {
            this.names = names;
            this.oids = oids;
            this.binary = new boolean[oids.length];
            for (int i = 0; i < oids.length; i++) {
                binary[i] = PgTypes.binary(oids[i]);
                index.putIfAbsent(names[i], i);
            }
            this.nameList = List.of(names);
        }

        int indexOf(String column) {
            Integer i = index.get(column);
            if (i == null) {
                throw new IllegalArgumentException("no column \"" + column + "\" in this row; its columns are " + nameList);
            }
            return i;
        }
    }

    private final Columns columns;
    private final Object[] values;

    PgRow(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    @Override
    public Object get(int index) {
        return values[index];
    }

    @Override
    public Object get(String column) {
        return values[columns.indexOf(column)];
    }

    @Override
    public <T> T get(String column, Class<T> type) {
        return get(columns.indexOf(column), type);
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        Object v = values[index];
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        Object converted = widen(v, type);
        if (converted == null) {
            throw new ClassCastException("column \"" + columns.names[index] + "\" (" + PgTypes.name(columns.oids[index])
                    + ") holds " + v.getClass().getName() + " " + v + ", not " + type.getName());
        }
        return type.cast(converted);
    }

    /** The conversions that lose nothing; null when there is none. */
    private static Object widen(Object v, Class<?> type) {
        if (type == Long.class && (v instanceof Integer || v instanceof Short)) {
            return ((Number) v).longValue();
        }
        if (type == Integer.class && v instanceof Short s) {
            return (int) s;
        }
        if (type == Double.class && (v instanceof Float || v instanceof Integer || v instanceof Short)) {
            return ((Number) v).doubleValue();
        }
        if (type == BigDecimal.class && (v instanceof Long || v instanceof Integer || v instanceof Short)) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (type == BigInteger.class && (v instanceof Long || v instanceof Integer || v instanceof Short)) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        return null;
    }

    @Override
    public List<String> columns() {
        return columns.nameList;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Row[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            Object v = values[i];
            b.append(columns.names[i]).append('=').append(v instanceof byte[] a ? Arrays.toString(a) : v);
        }
        return b.append(']').toString();
    }
}
