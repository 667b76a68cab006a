package io.eventloop.examples.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the HTTP examples, through Jackson's databind, the JSON library most Java code
 * already depends on: the client's {@link HttpResponse#json()} parses with it and the httpbin
 * server writes its echo with it, so both sides read and write the format one way. Python's
 * {@code json.loads} and {@code json.dumps(indent=2)}. Jackson's mappers and writers are
 * thread-safe once configured, so one of each serves every loop.
 */
final class Json {
    /** Strict about what follows the value: {@code {"a": 1} junk} is not JSON, as for Python's json.loads. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * Python's {@code json.dumps(indent=2)} layout, which httpbin.org answers in: {@code "key": value},
     * two spaces per level, one entry per line, {@code {}} for an empty object. Jackson's default
     * writes {@code "key" : value}, {@code { }} and arrays on one line.
     */
    private static final ObjectWriter INDENTED = MAPPER.writer(indented());

    private Json() {
    }

    private static DefaultPrettyPrinter indented() {
        DefaultIndenter newlines = new DefaultIndenter("  ", "\n"); // not the platform's line separator
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(newlines)
                .withArrayIndenter(newlines);
    }

    /** A new empty object to fill in and {@link #write}. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code node} as indented JSON text ({@link #INDENTED}), with a final newline, as httpbin ends its answers. */
    static String write(JsonNode node) {
        try {
            return INDENTED.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always writes
        }
    }

    /**
     * {@code body} parsed as one JSON value: an object, array, string, number, boolean or null.
     *
     * @param contentType the body's {@code Content-Type} (or null), for the message of a failure
     * @throws IOException if the body is empty or not one JSON value; the message says where the
     *     text stops being JSON and what the {@code Content-Type} was
     */
    static JsonNode parse(byte[] body, String contentType) throws IOException {
        String type = contentType == null ? "no Content-Type" : "Content-Type " + contentType;
        if (body.length == 0) {
            throw new IOException("the body is empty, not JSON (" + type + ")");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IOException("the body is not JSON (" + type + "): " + e.getOriginalMessage() + where, e);
        }
    }
}
