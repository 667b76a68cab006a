package io.eventloop.examples.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced block of a Markdown page ({@code ```java}, {@code ```xml}, ...), with the marker
 * comment written right above it, if any ({@link SnippetSource} says what the markers mean; only
 * {@code java} blocks take one).
 *
 * @param doc       the page, as the failure messages name it ({@code docs/guide.md})
 * @param fenceLine the line of the opening fence, 1-based
 * @param code      the lines between the fences, the fence's indentation removed
 * @param marker    the marker above the fence, or null
 */
record CodeBlock(String doc, int fenceLine, String code, Marker marker) {

    /** {@code <!-- given: ... -->}, {@code <!-- not compiled: ... -->} or {@code <!-- excerpt: ... -->}. */
    record Marker(Kind kind, String text) {
    }

    enum Kind {
        GIVEN("given:"), NOT_COMPILED("not compiled:"), EXCERPT("excerpt:");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /** The line of the block's first line of code. */
    int firstCodeLine() {
        return fenceLine + 1;
    }

    /** {@code docs/guide.md:143}: where a reader finds the block. */
    String where() {
        return doc + ":" + fenceLine;
    }

    /** The blocks of one page, and what is wrong with its markers and fences. */
    record Page(List<CodeBlock> blocks, List<String> problems) {
    }

    // CommonMark: a fence is three or more backticks or tildes; it closes at a line of the same
    // character, at least as long, with nothing after it. Unlike CommonMark, any indentation is
    // taken (a fence in a nested list item), so that no block escapes the test.
    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^\\s`]*).*$");
    private static final Pattern MARKER = Pattern.compile(
            "^<!--\\s*(given:|not compiled:|excerpt:)(.*?)-->$", Pattern.DOTALL);
    private static final Pattern MARKER_LIKE = Pattern.compile("^<!--\\s*(given|not compiled|excerpt)\\b.*", Pattern.DOTALL);

    /** Reads every fenced block of {@code file} whose info string is {@code java}. */
    static Page read(Path file, String name) throws IOException {
        return read(file, name, "java");
    }

    /** Reads every fenced block of {@code file} whose info string is {@code language}. */
    static Page read(Path file, String name, String language) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<CodeBlock> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Marker pending = null;   // the marker that ended on the line before this one
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String indent = fence.group(1);
                String delimiter = fence.group(2);
                int close = closingFence(lines, i + 1, delimiter);
                if (close < 0) {
                    problems.add(name + ":" + (i + 1) + ": a fence that is never closed");
                    break;
                }
                boolean java = fence.group(3).equals("java");
                if (fence.group(3).equals(language)) {
                    StringBuilder code = new StringBuilder();
                    for (int j = i + 1; j < close; j++) {
                        String codeLine = lines.get(j);
                        code.append(codeLine.startsWith(indent) ? codeLine.substring(indent.length()) : codeLine.strip())
                                .append('\n');
                    }
                    blocks.add(new CodeBlock(name, i + 1, code.toString(), pending));
                }
                if (pending != null && !java) {
                    problems.add(name + ":" + pendingLine + ": a \"" + pending.kind().word
                            + "\" marker above a block that is not ```java");
                }
                pending = null;
                i = close;
                continue;
            }
            if (pending != null) {
                problems.add(name + ":" + pendingLine + ": a \"" + pending.kind().word
                        + "\" marker must be on the lines right above a ```java fence");
                pending = null;
            }
            if (line.strip().startsWith("<!--")) {
                int end = i;
                while (end < lines.size() && !lines.get(end).contains("-->")) {
                    end++;
                }
                String comment = String.join("\n", lines.subList(i, Math.min(end + 1, lines.size()))).strip();
                Matcher marker = MARKER.matcher(comment);
                if (marker.matches()) {
                    Kind kind = kindOf(marker.group(1));
                    String text = marker.group(2).strip();
                    if (text.isEmpty()) {
                        problems.add(name + ":" + (i + 1) + ": a \"" + kind.word + "\" marker with nothing after it"
                                + (kind == Kind.NOT_COMPILED ? " (say why the block cannot compile)" : ""));
                    }
                    pending = new Marker(kind, text);
                    pendingLine = i + 1;
                } else if (MARKER_LIKE.matcher(comment).matches()) {
                    problems.add(name + ":" + (i + 1) + ": a marker must read <!-- given: ... -->, "
                            + "<!-- not compiled: ... --> or <!-- excerpt: ... -->, alone on its lines");
                }
                i = end;
            }
        }
        if (pending != null) {
            problems.add(name + ":" + pendingLine + ": a \"" + pending.kind().word + "\" marker with no block after it");
        }
        return new Page(blocks, problems);
    }

    private static int closingFence(List<String> lines, int from, String delimiter) {
        for (int j = from; j < lines.size(); j++) {
            String stripped = lines.get(j).strip();
            if (!stripped.isEmpty() && stripped.chars().allMatch(c -> c == delimiter.charAt(0))
                    && stripped.length() >= delimiter.length()) {
                return j;
            }
        }
        return -1;
    }

    private static Kind kindOf(String word) {
        for (Kind kind : Kind.values()) {
            if (kind.word.equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(word);
    }
}
