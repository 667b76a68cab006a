package io.eventloop.examples.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The header fields of a request or response, in the order they came, names compared without
 * case. A repeated field keeps every value ({@link #all(String)}).
 *
 * <p>Compared with aiohttp's {@code CIMultiDict} and the JDK's {@code java.net.http.HttpHeaders}:
 * the same case-insensitive multi-map, kept as two parallel arrays because most messages carry a
 * handful of fields and a linear scan beats hashing at that size. Not thread-safe: a message
 * belongs to the loop thread that parsed or built it.
 */
public final class HttpHeaders {
    private String[] names;
    private String[] values;
    private int size;

    /** An empty set of fields. */
    public HttpHeaders() {
        names = new String[8];
        values = new String[8];
    }

    /** Fields from name, value, name, value... */
    public static HttpHeaders of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("HttpHeaders.of needs name, value pairs, got " + nameValues.length + " strings");
        }
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    /** Appends a field (another value if the name is already there). Returns this. */
    public HttpHeaders add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} with one field. Returns this. */
    public HttpHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field named {@code name}; returns how many there were. */
    public int remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        int removed = size - kept;
        for (int i = kept; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = kept;
        return removed;
    }

    /** The first value of {@code name}, or {@code null}. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value of {@code name}, in order (empty if none). */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                out.add(values[i]);
            }
        }
        return out;
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Whether the comma-separated list in the fields named {@code name} holds {@code token}
     * (case-insensitive), as {@code Connection: keep-alive, Upgrade} holds {@code upgrade}.
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                for (String part : values[i].split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The number of fields. */
    public int size() {
        return size;
    }

    /** The name of field {@code i}, as it was sent. */
    public String name(int i) {
        return names[i];
    }

    /** The value of field {@code i}. */
    public String value(int i) {
        return values[i];
    }

    /** Calls {@code action(name, value)} for each field, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The field names in lower case, for diagnostics. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i].toLowerCase(Locale.ROOT)).append(": ").append(values[i]);
        }
        return sb.append('}').toString();
    }
}
