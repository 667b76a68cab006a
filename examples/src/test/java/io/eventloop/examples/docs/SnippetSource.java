package io.eventloop.examples.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a {@code ```java} block of the documentation becomes a compilation unit: the convention
 * {@link DocSnippetsTest} holds every block of {@code README.md} and {@code docs/*.md} to.
 *
 * <ul>
 *   <li><b>A source file.</b> A block whose code starts with {@code package} or {@code import} is
 *       compiled as it is, as one file: what a reader copies into a project.</li>
 *   <li><b>A fragment.</b> Any other block is what you would write inside a class, declarations
 *       and statements mixed as in jshell. It is cut after each {@code ;} and {@code }} that stand
 *       outside brackets. The pieces that are members become members of a class in package
 *       {@code io.eventloop.examples}, in their order; the others, in their order, the body of one
 *       method of that class, which may throw anything and returns {@code Object} if a
 *       {@code return} stands outside braces (else {@code void}). A piece is a member when it starts
 *       with an annotation or a modifier other than {@code final} ({@code private}, {@code static},
 *       ...), declares a type ({@code class}, {@code record}, {@code interface}, {@code enum}), or is
 *       a method (a header {@code Type name(...)} and a body). So
 *       {@code AsyncLock lock = new AsyncLock();} is a local variable and
 *       {@code private final AsyncLock lock = new AsyncLock();} a field. The class imports
 *       {@link #IMPORTS}: the library's three packages, the test kit, the examples' HTTP package
 *       and the JDK packages the pages use.</li>
 *   <li><b>Names the page introduced elsewhere.</b> A fragment may use the names of
 *       {@link #COMMON_GIVENS} without declaring them. Others are declared, for one block, in a
 *       comment on the lines right above its fence: {@code <!-- given: Duration length;
 *       Future<String> fetch(String url); -->}. The text is class members, and import lines
 *       ({@code import static io.eventloop.examples.SyncVsAsync.*;} ties a block to the example
 *       program it quotes). Each member is made {@code static}; a method written with {@code ;}
 *       instead of a body gets one that throws. They live in a superclass, so the block may
 *       declare the same names again.</li>
 *   <li><b>No compiling.</b> {@code <!-- not compiled: the reason -->} right above the fence exempts a
 *       block: pseudo-code, a mistake shown on purpose. Keep these few. {@code <!-- excerpt:
 *       path/to/File.java -->} (from the repository root) checks instead that every non-blank line
 *       of the block appears in that file, in order: for an excerpt of the library's internals.</li>
 *   <li>Leave code out with a comment ({@code // the rest as above}), not with {@code ...}, which
 *       is not Java.</li>
 * </ul>
 */
final class SnippetSource {
    /** The package of every fragment's class: the examples' package-private types (Scale) are in reach. */
    static final String PACKAGE = "io.eventloop.examples";

    /** What a fragment's class imports. {@code Future} by name: java.util.concurrent has one too. */
    static final List<String> IMPORTS = List.of(
            "io.eventloop.*",
            "io.eventloop.Future",
            "io.eventloop.net.*",
            "io.eventloop.sync.*",
            "io.eventloop.testing.*",
            "io.eventloop.examples.http.*",
            "java.io.IOException",
            "java.nio.*",
            "java.nio.channels.*",
            "java.nio.charset.StandardCharsets",
            "java.nio.file.*",
            "java.time.*",
            "java.util.*",
            "java.util.concurrent.*",
            "java.util.function.*",
            "org.junit.jupiter.api.AfterEach",
            "org.junit.jupiter.api.BeforeEach",
            "org.junit.jupiter.api.Test",
            "static io.eventloop.testing.LoopAssertions.*",
            "static org.junit.jupiter.api.Assertions.*");

    /**
     * Names any fragment may use without declaring them, as the pages use them throughout. A name
     * only one block needs belongs in that block's {@code given} comment instead.
     */
    static final String COMMON_GIVENS = """
            EventLoop loop;          // the loop the code runs on (inside it: EventLoop.current())
            Scale scale;             // the tutorial programs' time knob, --scale F
            StreamReader reader;     // the two halves of a stream connection,
            StreamWriter writer;     // as a startServer handler receives them
            """;

    private static final Set<String> MEMBER_MODIFIERS = Set.of("public", "protected", "private", "static",
            "abstract", "default", "native", "transient", "volatile", "strictfp", "sealed");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:(?:final|abstract|static|strictfp)\\s+)*(?:class|interface|enum|record)\\s+[\\w$]+.*", Pattern.DOTALL);
    private static final Pattern METHOD_HEAD = Pattern.compile(
            "^(?:final\\s+)?(?:<[^{};=]*>\\s*)?([\\w$.]+)\\s*(?:<[^{};=]*>)?\\s*(?:\\[\\s*]\\s*)*\\s([\\w$]+)\\s*"
                    + "\\([^{};=]*\\)\\s*(?:throws\\s+[\\w$.,\\s<>]+)?$", Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("if", "else", "for", "while", "do", "switch", "case", "try",
            "catch", "finally", "synchronized", "return", "throw", "new", "assert", "yield");
    private static final Pattern FIRST_WORD = Pattern.compile("^[\\w$]+");
    private static final Pattern MODIFIERS = Pattern.compile(
            "^(?:(?:public|protected|private|static|final|abstract|synchronized)\\s+)*");
    private static final Pattern STATIC_MODIFIER = Pattern.compile(
            "^(?:@[\\w$.]+(?:\\([^)]*\\))?\\s*|(?:public|protected|private|final|abstract)\\s+)*static\\s");

    /** A compilation unit made from a block, and the Markdown line of each of its lines. */
    record Unit(CodeBlock block, boolean isFragment, String path, String source, int[] markdownLines) {
        /** The Markdown line of line {@code line} (1-based) of {@link #source}, or 0 for a line of the wrapper. */
        int markdownLine(long line) {
            return line >= 1 && line <= markdownLines.length ? markdownLines[(int) line - 1] : 0;
        }
    }

    private SnippetSource() {
    }

    /** The compilation unit for {@code block}, which must not be marked "not compiled" or "excerpt". */
    static Unit of(CodeBlock block) {
        String code = block.code();
        String masked = JavaText.mask(code);
        String start = masked.strip();
        if (start.startsWith("package ") || start.startsWith("import ")) {
            return file(block, code, masked);
        }
        return fragment(block, code, masked);
    }

    private static Unit file(CodeBlock block, String code, String masked) {
        Matcher pkg = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;").matcher(masked);
        Matcher type = Pattern.compile("\\bpublic\\s+(?:(?:final|abstract|sealed|strictfp)\\s+)*"
                + "(?:class|interface|enum|record)\\s+([\\w$]+)").matcher(masked);
        String name = type.find() ? type.group(1) : className(block);
        String dir = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
        Lines out = new Lines();
        out.add(code, block.firstCodeLine());
        return new Unit(block, false, dir + name + ".java", out.text(), out.map());
    }

    private static Unit fragment(CodeBlock block, String code, String masked) {
        String name = className(block);
        List<JavaText.Chunk> members = new ArrayList<>();
        List<JavaText.Chunk> statements = new ArrayList<>();
        boolean returns = false;
        for (JavaText.Chunk chunk : JavaText.topLevel(masked)) {
            String piece = chunk.of(masked);
            if (isMember(piece)) {
                members.add(chunk);
            } else {
                statements.add(chunk);
                returns |= JavaText.hasOutsideBraces(piece, "return");
            }
        }
        Given given = block.marker() != null && block.marker().kind() == CodeBlock.Kind.GIVEN
                ? Given.parse(block.marker().text())
                : new Given(List.of(), List.of());

        Lines out = new Lines();
        out.wrapper("package " + PACKAGE + ";");
        for (String imported : IMPORTS) {
            out.wrapper("import " + imported + ";");
        }
        for (String imported : given.imports()) {
            out.wrapper(imported);
        }
        out.wrapper("class " + name + " extends " + name + "_Given {");
        for (JavaText.Chunk chunk : members) {
            out.add(code, chunk, block.firstCodeLine());
        }
        out.wrapper((returns ? "Object" : "void") + " statementsOfTheBlock() throws Exception {");
        for (JavaText.Chunk chunk : statements) {
            out.add(code, chunk, block.firstCodeLine());
        }
        out.wrapper("}}");
        out.wrapper("class " + name + "_Given {");
        for (String member : Given.parse(COMMON_GIVENS).members()) {
            out.wrapper(member);
        }
        for (String member : given.members()) {
            out.wrapper(member);   // javac's errors here are reported at the fence's line
        }
        out.wrapper("}");
        return new Unit(block, true, PACKAGE.replace('.', '/') + "/" + name + ".java", out.text(), out.map());
    }

    /** Whether a top-level piece of a fragment (masked) is a class member rather than a statement. */
    static boolean isMember(String masked) {
        String piece = masked.strip();
        if (piece.startsWith("@")) {
            return true;
        }
        Matcher first = FIRST_WORD.matcher(piece);
        if (first.find() && MEMBER_MODIFIERS.contains(first.group()) || piece.startsWith("non-sealed")) {
            return true;
        }
        if (TYPE_DECLARATION.matcher(piece).matches()) {
            return true;
        }
        String head = JavaText.head(piece);
        if (head == null) {
            return false;
        }
        Matcher method = METHOD_HEAD.matcher(head.strip());
        return method.matches() && !KEYWORDS.contains(method.group(1)) && !KEYWORDS.contains(method.group(2));
    }

    /** {@code Snippet_guide_143}: a class name that says where the block is. */
    private static String className(CodeBlock block) {
        String doc = block.doc().replaceAll(".*/", "").replaceAll("\\.md$", "").toLowerCase(Locale.ROOT);
        return "Snippet_" + doc.replaceAll("[^a-z0-9]", "_") + "_" + block.fenceLine();
    }

    /** The declarations of a {@code given} marker: import lines, and members made static. */
    record Given(List<String> imports, List<String> members) {
        static Given parse(String text) {
            String masked = JavaText.mask(text);
            List<String> imports = new ArrayList<>();
            List<String> members = new ArrayList<>();
            for (JavaText.Chunk chunk : JavaText.topLevel(masked)) {
                int from = JavaText.skipSpace(masked, chunk.start());   // after leading comments
                String piece = masked.substring(from, chunk.end()).strip();
                String source = text.substring(from, chunk.end()).strip();
                if (piece.isEmpty() || piece.equals(";")) {
                    continue;
                }
                if (piece.startsWith("import ")) {
                    imports.add(source);
                    continue;
                }
                String declaration = MODIFIERS.matcher(piece).replaceFirst("");
                if (declaration.endsWith(";") && JavaText.head(declaration) == null && declaration.indexOf('=') < 0
                        && METHOD_HEAD.matcher(declaration.substring(0, declaration.length() - 1).strip()).matches()) {
                    source = source.substring(0, source.length() - 1)
                            + " { throw new UnsupportedOperationException(\"given\"); }";
                }
                members.add(STATIC_MODIFIER.matcher(piece).find() ? source : "static " + source);
            }
            return new Given(imports, members);
        }
    }

    /** The unit's text, built line by line with the Markdown line each line came from. */
    private static final class Lines {
        private final StringBuilder text = new StringBuilder();
        private final List<Integer> map = new ArrayList<>();

        void wrapper(String lines) {
            for (String line : lines.split("\n", -1)) {
                text.append(line).append('\n');
                map.add(0);
            }
        }

        void add(String code, int firstLine) {
            add(code, new JavaText.Chunk(0, code.length()), firstLine);
        }

        /** The chunk from its first character that is not white space, on lines of its own. */
        void add(String code, JavaText.Chunk chunk, int firstLine) {
            int from = JavaText.skipSpace(code, chunk.start());
            if (from >= chunk.end()) {
                return;
            }
            int line = firstLine + (int) code.substring(0, from).chars().filter(c -> c == '\n').count();
            for (String piece : code.substring(from, chunk.end()).split("\n", -1)) {
                text.append(piece).append('\n');
                map.add(line++);
            }
        }

        String text() {
            return text.toString();
        }

        int[] map() {
            return map.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
