package io.eventloop.examples.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough lexing of Java to cut a fragment into its top-level declarations and statements:
 * where strings, characters, text blocks and comments are, and how deep in brackets a character
 * is. Not a parser; javac judges the result.
 */
final class JavaText {
    private JavaText() {
    }

    /**
     * {@code code} with the inside of every comment, string, character and text block replaced by
     * spaces (line breaks kept), so that what is left are the tokens that matter here, at the same
     * offsets.
     */
    static String mask(String code) {
        StringBuilder out = new StringBuilder(code);
        int n = code.length();
        int i = 0;
        while (i < n) {
            if (code.startsWith("//", i)) {
                int end = code.indexOf('\n', i);
                i = blank(out, i, end < 0 ? n : end);
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = blank(out, i, end < 0 ? n : end + 2);
            } else if (code.startsWith("\"\"\"", i)) {
                i = blank(out, i + 3, closing(code, i + 3, "\"\"\"")) + 3;
            } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
                String quote = String.valueOf(code.charAt(i));
                int end = closing(code, i + 1, quote);
                int lineEnd = code.indexOf('\n', i);
                if (lineEnd >= 0 && lineEnd < end) {
                    end = lineEnd;   // unterminated: javac will say so
                }
                i = blank(out, i + 1, end) + 1;
            } else {
                i++;
            }
        }
        return out.substring(0, n);
    }

    /** A top-level piece of a fragment: {@code [start, end)} in its text. */
    record Chunk(int start, int end) {
        String of(String text) {
            return text.substring(start, end);
        }
    }

    /**
     * Cuts {@code masked} (see {@link #mask}) after each {@code ;} and each {@code }} that are outside
     * any parentheses, brackets or braces: into declarations and statements. A {@code }} followed by
     * {@code ;}, {@code )}, {@code ,} or {@code .} does not end a piece ({@code int[] a = {1};},
     * {@code new T() {...}.m();}). What follows the last cut, if not blank, is a piece of its own.
     */
    static List<Chunk> topLevel(String masked) {
        List<Chunk> chunks = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (c == '}' && depth == 0 && ";),.".indexOf(nextToken(masked, i + 1)) < 0) {
                    chunks.add(new Chunk(start, i + 1));
                    start = i + 1;
                }
            } else if (c == ';' && depth == 0) {
                chunks.add(new Chunk(start, i + 1));
                start = i + 1;
            }
        }
        if (!masked.substring(start).isBlank()) {
            chunks.add(new Chunk(start, masked.length()));
        }
        return chunks;
    }

    /** The text of {@code masked} before its first {@code {} outside parentheses, or null if it has none. */
    static String head(String masked) {
        int depth = 0;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c == '{' && depth == 0) {
                return masked.substring(0, i);
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            }
        }
        return null;
    }

    /** Whether {@code masked} has the keyword {@code word} outside any braces. */
    static boolean hasOutsideBraces(String masked, String word) {
        int depth = 0;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0 && masked.startsWith(word, i)
                    && (i == 0 || !Character.isJavaIdentifierPart(masked.charAt(i - 1)))
                    && (i + word.length() == masked.length()
                        || !Character.isJavaIdentifierPart(masked.charAt(i + word.length())))) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first character of {@code text} that is not white space, or its length. */
    static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static char nextToken(String masked, int from) {
        int i = skipSpace(masked, from);
        return i < masked.length() ? masked.charAt(i) : '\n';
    }

    private static int closing(String code, int from, String quote) {
        int i = from;
        while (i < code.length()) {
            if (code.charAt(i) == '\\') {
                i += 2;
            } else if (code.startsWith(quote, i)) {
                return i;
            } else {
                i++;
            }
        }
        return code.length();
    }

    private static int blank(StringBuilder out, int from, int to) {
        int end = Math.min(to, out.length());
        for (int i = from; i < end; i++) {
            if (out.charAt(i) != '\n') {
                out.setCharAt(i, ' ');
            }
        }
        return end;
    }
}
