package io.eventloop.postgres;

import java.math.BigDecimal;
import java.util.List;

/**
 * One row of a result: asyncpg's {@code Record}. Values by position ({@link #get(int)}, from 0)
 * or by column name ({@link #get(String)}), as the Java type of the column's PostgreSQL type:
 *
 * <table>
 *   <caption>PostgreSQL types and the Java values a row holds</caption>
 *   <tr><th>PostgreSQL</th><th>Java</th></tr>
 *   <tr><td>{@code bool}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>{@code int2}, {@code int4}, {@code int8}, {@code oid}</td><td>{@code Short}, {@code Integer},
 *       {@code Long}, {@code Long}</td></tr>
 *   <tr><td>{@code float4}, {@code float8}</td><td>{@code Float}, {@code Double}</td></tr>
 *   <tr><td>{@code numeric}</td><td>{@code BigDecimal}; {@code NaN} and {@code ±Infinity} as the
 *       {@code Double} of that value</td></tr>
 *   <tr><td>{@code text}, {@code varchar}, {@code char(n)}, {@code name}, {@code json},
 *       {@code jsonb}</td><td>{@code String}</td></tr>
 *   <tr><td>{@code bytea}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code uuid}</td><td>{@code java.util.UUID}</td></tr>
 *   <tr><td>{@code date}, {@code time}, {@code timestamp}</td><td>{@code LocalDate}, {@code LocalTime},
 *       {@code LocalDateTime} ({@code ±infinity}: their {@code MAX} / {@code MIN})</td></tr>
 *   <tr><td>{@code timestamptz}</td><td>{@code OffsetDateTime} at UTC</td></tr>
 *   <tr><td>arrays of the above</td><td>an unmodifiable {@code List} (nested for more dimensions)</td></tr>
 *   <tr><td>any other type</td><td>its text, as a {@code String}</td></tr>
 * </table>
 * SQL {@code NULL} is {@code null}. The typed getters convert where nothing is lost
 * ({@code getLong} of an {@code int4}) and fail with a {@link ClassCastException} naming the
 * column and the value otherwise.
 *
 * <p>Compared with asyncpg's {@code Record}: {@code record[0]} and {@code record["name"]} are
 * {@link #get(int)} and {@link #get(String)}; Python needs no typed getters.
 */
public interface Row {
    /**
     * The value of the column at {@code index}.
     *
     * @param index 0 for the first column
     * @return the value, or null for SQL NULL
     * @throws IndexOutOfBoundsException if there is no such column
     */
    Object get(int index);

    /**
     * The value of the column named {@code column} (the first one of that name).
     *
     * @param column the column's name as the server gives it (lower case unless quoted)
     * @return the value, or null for SQL NULL
     * @throws IllegalArgumentException if there is no such column, naming those there are
     */
    Object get(String column);

    /**
     * The value of the column at {@code index}, as {@code type}.
     *
     * @param <T> the type asked for
     * @param index 0 for the first column
     * @param type the class of the value; a wider number type converts without loss
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the value is of another type, naming the column
     */
    <T> T get(int index, Class<T> type);

    /**
     * The value of the column named {@code column}, as {@code type}.
     *
     * @param <T> the type asked for
     * @param column the column's name
     * @param type the class of the value; a wider number type converts without loss
     * @return the value, or null for SQL NULL
     * @throws ClassCastException if the value is of another type, naming the column
     */
    <T> T get(String column, Class<T> type);

    /**
     * The column names, in order.
     *
     * @return the names, unmodifiable
     */
    List<String> columns();

    /**
     * The number of columns.
     *
     * @return the number of values in the row
     */
    int size();

    /**
     * An {@code int2} or {@code int4} column.
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default Integer getInt(String column) {
        return get(column, Integer.class);
    }

    /**
     * An integer column ({@code int2}, {@code int4}, {@code int8}).
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default Long getLong(String column) {
        return get(column, Long.class);
    }

    /**
     * A {@code float4} or {@code float8} column (or an integer one).
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default Double getDouble(String column) {
        return get(column, Double.class);
    }

    /**
     * A {@code numeric} column (or an integer one).
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default BigDecimal getBigDecimal(String column) {
        return get(column, BigDecimal.class);
    }

    /**
     * A {@code bool} column.
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default Boolean getBoolean(String column) {
        return get(column, Boolean.class);
    }

    /**
     * A text column ({@code text}, {@code varchar}, {@code json} ...), or one of a type this
     * client returns as text.
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default String getString(String column) {
        return get(column, String.class);
    }

    /**
     * A {@code bytea} column.
     *
     * @param column the column's name
     * @return the value, or null for SQL NULL
     */
    default byte[] getBytes(String column) {
        return get(column, byte[].class);
    }
}
