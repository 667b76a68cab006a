package io.eventloop.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code COPY} reads or writes: the table's schema, the columns, the data format and its
 * details (delimiter, NULL string, header, quoting), and for a copy into a table a {@code WHERE}
 * filter. Used by {@link PgConnection#copyRecordsToTable}, {@link PgConnection#copyToTable},
 * {@link PgConnection#copyFromTable} and {@link PgConnection#copyFromQuery}.
 *
 * <pre>{@code
 * CopyOptions csv = CopyOptions.defaults()
 *         .schema("shop")                     // asyncpg's schema_name='shop'
 *         .columns("id", "name")              // columns=['id', 'name']
 *         .format(CopyOptions.Format.CSV)     // format='csv'
 *         .header(true);                      // header=True
 * }</pre>
 *
 * <p>Names (schema, table, columns) are always sent as quoted identifiers, so {@code "Items"} is
 * the table {@code "Items"} with its capital letter and {@code "a.b"} is one table whose name has a
 * dot, never SQL pasted into the statement; the option values are sent as string literals. Only
 * {@link #where} is SQL, as its name says. Immutable: each setter returns a copy. Compared with
 * asyncpg: the keyword arguments of its {@code copy_*} methods ({@code schema_name=},
 * {@code columns=}, {@code format=}, {@code delimiter=}, {@code null=}, {@code header=},
 * {@code quote=}, {@code escape=}, {@code force_quote=}, {@code force_not_null=},
 * {@code force_null=}, {@code encoding=}, {@code where=}) gathered in one value.
 */
public final class CopyOptions {
    /** The data format of a {@code COPY}: PostgreSQL's {@code FORMAT} option. */
    public enum Format {
        /** Tab-separated lines, {@code \N} for NULL: the server's default. */
        TEXT,
        /** Comma-separated values. */
        CSV,
        /** PostgreSQL's binary copy format (what {@link PgConnection#copyRecordsToTable} sends). */
        BINARY
    }

    private static final CopyOptions DEFAULTS = new CopyOptions();

    private String schema;
    private List<String> columns = List.of();
    private Format format;
    private String delimiter;
    private String nullString;
    private Boolean header;
    private String quote;
    private String escape;
    private List<String> forceQuote = List.of();
    private List<String> forceNotNull = List.of();
    private List<String> forceNull = List.of();
    private String encoding;
    private String where;

    private CopyOptions() {
    }

    private CopyOptions copy() {
        CopyOptions c = new CopyOptions();
        c.schema = schema;
        c.columns = columns;
        c.format = format;
        c.delimiter = delimiter;
        c.nullString = nullString;
        c.header = header;
        c.quote = quote;
        c.escape = escape;
        c.forceQuote = forceQuote;
        c.forceNotNull = forceNotNull;
        c.forceNull = forceNull;
        c.encoding = encoding;
        c.where = where;
        return c;
    }

    /**
     * No schema (the search path finds the table), every column, the server's defaults for the
     * rest (the text format).
     *
     * @return the defaults
     */
    public static CopyOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The table's schema: asyncpg's {@code schema_name=}.
     *
     * @param schema the schema's name, as it is (quoted when sent)
     * @return a copy with this schema
     */
    public CopyOptions schema(String schema) {
        CopyOptions c = copy();
        c.schema = name(schema, "schema");
        return c;
    }

    /**
     * The columns to copy, in the order of the data: asyncpg's {@code columns=}.
     *
     * @param columns the columns' names, as they are (quoted when sent); none for every column
     * @return a copy with these columns
     */
    public CopyOptions columns(String... columns) {
        CopyOptions c = copy();
        c.columns = names(columns, "column");
        return c;
    }

    /**
     * The data format: asyncpg's {@code format=}.
     *
     * @param format text, csv or binary
     * @return a copy with this format
     */
    public CopyOptions format(Format format) {
        CopyOptions c = copy();
        c.format = Objects.requireNonNull(format, "format");
        return c;
    }

    /**
     * The character between columns: asyncpg's {@code delimiter=}.
     *
     * @param delimiter one character (the server checks)
     * @return a copy with this delimiter
     */
    public CopyOptions delimiter(String delimiter) {
        CopyOptions c = copy();
        c.delimiter = Objects.requireNonNull(delimiter, "delimiter");
        return c;
    }

    /**
     * The string that stands for NULL: asyncpg's {@code null=}.
     *
     * @param nullString such as {@code ""} for CSV's unquoted empty value
     * @return a copy with this NULL string
     */
    public CopyOptions nullString(String nullString) {
        CopyOptions c = copy();
        c.nullString = Objects.requireNonNull(nullString, "nullString");
        return c;
    }

    /**
     * Whether the first line names the columns (CSV only): asyncpg's {@code header=}.
     *
     * @param header true for a header line
     * @return a copy with this setting
     */
    public CopyOptions header(boolean header) {
        CopyOptions c = copy();
        c.header = header;
        return c;
    }

    /**
     * The CSV quote character: asyncpg's {@code quote=}.
     *
     * @param quote one character
     * @return a copy with this quote
     */
    public CopyOptions quote(String quote) {
        CopyOptions c = copy();
        c.quote = Objects.requireNonNull(quote, "quote");
        return c;
    }

    /**
     * The CSV escape character: asyncpg's {@code escape=}.
     *
     * @param escape one character
     * @return a copy with this escape
     */
    public CopyOptions escape(String escape) {
        CopyOptions c = copy();
        c.escape = Objects.requireNonNull(escape, "escape");
        return c;
    }

    /**
     * Columns whose non-NULL values are always quoted (CSV, copying out): asyncpg's
     * {@code force_quote=}.
     *
     * @param columns the columns' names
     * @return a copy with this setting
     */
    public CopyOptions forceQuote(String... columns) {
        CopyOptions c = copy();
        c.forceQuote = names(columns, "column");
        return c;
    }

    /**
     * Columns whose values are never taken as NULL (CSV, copying in): asyncpg's
     * {@code force_not_null=}.
     *
     * @param columns the columns' names
     * @return a copy with this setting
     */
    public CopyOptions forceNotNull(String... columns) {
        CopyOptions c = copy();
        c.forceNotNull = names(columns, "column");
        return c;
    }

    /**
     * Columns where a quoted value equal to the NULL string is NULL (CSV, copying in): asyncpg's
     * {@code force_null=}.
     *
     * @param columns the columns' names
     * @return a copy with this setting
     */
    public CopyOptions forceNull(String... columns) {
        CopyOptions c = copy();
        c.forceNull = names(columns, "column");
        return c;
    }

    /**
     * The encoding of the data, when not the connection's: asyncpg's {@code encoding=}.
     *
     * @param encoding such as {@code "LATIN1"}
     * @return a copy with this encoding
     */
    public CopyOptions encoding(String encoding) {
        CopyOptions c = copy();
        c.encoding = Objects.requireNonNull(encoding, "encoding");
        return c;
    }

    /**
     * A condition the rows copied into a table must meet: asyncpg's {@code where=}. This one is
     * SQL, pasted after {@code WHERE} as it is: never build it from untrusted input.
     *
     * @param condition a boolean SQL expression over the table's columns
     * @return a copy with this filter
     */
    public CopyOptions where(String condition) {
        CopyOptions c = copy();
        c.where = Objects.requireNonNull(condition, "condition");
        return c;
    }

    // ------------------------------------------------------------------ the statement

    /** The columns given, empty for every column. */
    List<String> columns() {
        return columns;
    }

    /** {@code "schema"."table"}, or {@code "table"} without a schema. */
    String table(String table) {
        name(table, "table");
        return (schema == null ? "" : ident(schema) + ".") + ident(table);
    }

    /** {@code SELECT cols FROM table}: its description gives the columns' types and order. */
    String describeSql(String table) {
        return "SELECT " + (columns.isEmpty() ? "*" : idents(columns)) + " FROM " + table(table);
    }

    /** {@code COPY table (cols) FROM STDIN (options) WHERE ...}, with {@code format} overriding this one's. */
    String copyIn(String table, Format format) {
        if (forceQuote.size() > 0) {
            throw new IllegalArgumentException("forceQuote is for copying out of a table, not into " + table);
        }
        return "COPY " + table(table) + (columns.isEmpty() ? "" : " (" + idents(columns) + ")") + " FROM STDIN"
                + options(format != null ? format : this.format) + (where == null ? "" : " WHERE " + where);
    }

    /** {@code COPY table (cols) TO STDOUT (options)}. */
    String copyOutOfTable(String table) {
        return "COPY " + table(table) + (columns.isEmpty() ? "" : " (" + idents(columns) + ")") + " TO STDOUT"
                + copyOutOptions(table);
    }

    /** {@code COPY (query) TO STDOUT (options)}. */
    String copyOutOfQuery(String query) {
        if (!columns.isEmpty() || schema != null) {
            throw new IllegalArgumentException("columns and schema are for copying a table; the query chooses them");
        }
        return "COPY (" + query + ") TO STDOUT" + copyOutOptions(query);
    }

    private String copyOutOptions(String what) {
        if (where != null || !forceNotNull.isEmpty() || !forceNull.isEmpty()) {
            throw new IllegalArgumentException("where, forceNotNull and forceNull are for copying into a table, not out of "
                    + MessageWriter.abbreviate(what));
        }
        return options(format);
    }

    private String options(Format format) {
        List<String> o = new ArrayList<>();
        if (format != null) {
            o.add("FORMAT " + format.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (delimiter != null) {
            o.add("DELIMITER " + literal(delimiter));
        }
        if (nullString != null) {
            o.add("NULL " + literal(nullString));
        }
        if (header != null) {
            o.add("HEADER " + header);
        }
        if (quote != null) {
            o.add("QUOTE " + literal(quote));
        }
        if (escape != null) {
            o.add("ESCAPE " + literal(escape));
        }
        if (!forceQuote.isEmpty()) {
            o.add("FORCE_QUOTE (" + idents(forceQuote) + ")");
        }
        if (!forceNotNull.isEmpty()) {
            o.add("FORCE_NOT_NULL (" + idents(forceNotNull) + ")");
        }
        if (!forceNull.isEmpty()) {
            o.add("FORCE_NULL (" + idents(forceNull) + ")");
        }
        if (encoding != null) {
            o.add("ENCODING " + literal(encoding));
        }
        return o.isEmpty() ? "" : " (" + String.join(", ", o) + ")";
    }

    /** A quoted identifier: {@code "a""b"} for {@code a"b}. */
    static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String idents(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : ", ").append(ident(n));
        }
        return b.toString();
    }

    /** A string literal; with a backslash in it, an escape string ({@code E'\\'}), whatever standard_conforming_strings says. */
    static String literal(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a COPY option contains a NUL character: " + MessageWriter.abbreviate(s));
        }
        String quoted = "'" + s.replace("'", "''") + "'";
        return s.indexOf('\\') >= 0 ? "E" + quoted.replace("\\", "\\\\") : quoted;
    }

    private static String name(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a " + what + " name must be non-empty and without NUL: \""
                    + MessageWriter.abbreviate(name) + "\"");
        }
        return name;
    }

    private static List<String> names(String[] names, String what) {
        Objects.requireNonNull(names, what + "s");
        List<String> l = new ArrayList<>();
        for (String n : names) {
            l.add(name(n, what));
        }
        return List.copyOf(l);
    }

    @Override
    public String toString() {
        return "CopyOptions" + (schema == null ? "" : "[schema " + schema + "]") + options(format);
    }
}
