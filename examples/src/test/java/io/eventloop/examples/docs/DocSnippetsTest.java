package io.eventloop.examples.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} compiles against the
 * library, the test kit and the examples, so that what a reader copies works and an API change
 * that leaves a page behind fails here. How a block that is only a fragment is made compilable,
 * and how a block is exempted, is written in {@link SnippetSource}. To run only this test:
 * {@code mvn -pl examples -am test -Dtest=DocSnippetsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DocSnippetsTest {
    /** The pages, from the repository root: the README and every page of docs/. */
    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
    }

    static List<CodeBlock.Page> read(Path root) throws IOException {
        List<CodeBlock.Page> read = new ArrayList<>();
        for (Path page : pages(root)) {
            read.add(CodeBlock.read(page, root.relativize(page).toString().replace('\\', '/')));
        }
        return read;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
        Path root = root();
        List<CodeBlock> blocks = read(root).stream().flatMap(page -> page.blocks().stream()).toList();
        List<SnippetSource.Unit> units = new ArrayList<>();
        for (CodeBlock block : blocks) {
            if (block.marker() == null || block.marker().kind() == CodeBlock.Kind.GIVEN) {
                units.add(SnippetSource.of(block));
            }
        }
        // One javac run for all: a few seconds. Only if it fails is each block compiled alone, so
        // that each failure names its own block and no block's errors hide another's.
        boolean allCompile = compile(units).isEmpty();
        return blocks.stream().map(block -> dynamicTest(block.where(), () -> {
            CodeBlock.Marker marker = block.marker();
            if (marker != null && marker.kind() == CodeBlock.Kind.NOT_COMPILED) {
                Assumptions.abort("not compiled: " + marker.text());
            } else if (marker != null && marker.kind() == CodeBlock.Kind.EXCERPT) {
                checkExcerpt(root, block);
            } else if (!allCompile) {
                SnippetSource.Unit unit = SnippetSource.of(block);
                List<Diagnostic<? extends JavaFileObject>> errors = compile(List.of(unit)).get(unit);
                if (errors != null) {
                    fail(report(unit, errors));
                }
            }
        }));
    }

    @Test
    void markersAndFencesAreWellFormed() throws IOException {
        List<String> problems = read(root()).stream().flatMap(page -> page.problems().stream()).toList();
        assertEquals(List.of(), problems, "see SnippetSource for the markers");
    }

    @Test
    void theReadmeAndTheGuideHaveJavaBlocks() throws IOException {
        Path root = root();
        // Guards the test itself: a moved page or a changed fence must not leave nothing to check.
        assertTrue(CodeBlock.read(root.resolve("README.md"), "README.md").blocks().size() >= 1);
        assertTrue(CodeBlock.read(root.resolve("docs/guide.md"), "docs/guide.md").blocks().size() >= 40);
    }

    /** The error diagnostics of each unit that does not compile. */
    static Map<SnippetSource.Unit, List<Diagnostic<? extends JavaFileObject>>> compile(List<SnippetSource.Unit> units)
            throws IOException {
        if (units.isEmpty()) {
            return Map.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Source> sources = units.stream().map(Source::new).toList();
        List<String> options = List.of(
                "--release", "17",        // the project's baseline, whichever JDK runs the tests
                "-proc:none", "-implicit:none", "-nowarn", "-Xmaxerrs", "100000",
                "-classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8);
                JavaFileManager discarding = new Discarding(files)) {
            javac.getTask(null, discarding, diagnostics, options, null, sources).call();
        }
        Map<SnippetSource.Unit, List<Diagnostic<? extends JavaFileObject>>> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            SnippetSource.Unit unit = d.getSource() instanceof Source s ? s.unit : null;
            if (unit == null) {
                // not in a block: the class path or the options; fail every block with it
                units.forEach(u -> errors.computeIfAbsent(u, k -> new ArrayList<>()).add(d));
            } else {
                errors.computeIfAbsent(unit, k -> new ArrayList<>()).add(d);
            }
        }
        return errors;
    }

    /** What a doc writer needs: the page's line, javac's message, the line itself, what to do. */
    static String report(SnippetSource.Unit unit, List<Diagnostic<? extends JavaFileObject>> errors) {
        CodeBlock block = unit.block();
        String[] lines = unit.source().split("\n", -1);
        StringBuilder out = new StringBuilder(block.where()).append(": the ```java block does not compile\n");
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            int line = unit.markdownLine(d.getLineNumber());
            out.append("  ").append(block.doc()).append(':').append(line == 0 ? block.fenceLine() : line)
                    .append(line == 0 ? " (in the class around the block, or a given)" : "")
                    .append(": ").append(d.getMessage(Locale.ROOT).replace("\n", "\n      ")).append('\n');
            if (d.getLineNumber() >= 1 && d.getLineNumber() <= lines.length) {
                out.append("    | ").append(lines[(int) d.getLineNumber() - 1].strip()).append('\n');
            }
        }
        out.append(unit.isFragment()
                ? "  It is a fragment: names it uses without declaring them go in a <!-- given: ... --> comment right"
                        + " above the fence; see SnippetSource for the convention. It was compiled as:\n"
                : "  It is a whole source file (it starts with package or import). It was compiled as:\n");
        boolean importsShown = false;
        for (int i = 0; i < lines.length - 1; i++) {
            int line = unit.markdownLine(i + 1);
            if (unit.isFragment() && line == 0 && lines[i].startsWith("import ")) {
                if (!importsShown) {
                    out.append("        (the imports: SnippetSource.IMPORTS, and those of the given comment)\n");
                    importsShown = true;
                }
                continue;
            }
            out.append(String.format(Locale.ROOT, "%6s  %s%n", line == 0 ? "" : line, lines[i]));
        }
        return out.toString();
    }

    /** Every non-blank line of the block is a line of the file (white space aside), in the same order. */
    static void checkExcerpt(Path root, CodeBlock block) throws IOException {
        String path = block.marker().text();
        Path file = root.resolve(path);
        assertTrue(Files.isRegularFile(file), block.where() + ": an excerpt of " + path + ", which does not exist");
        List<String> have = Files.readAllLines(file, UTF_8).stream().map(String::strip).toList();
        String[] want = block.code().split("\n");
        int at = 0;
        for (int i = 0; i < want.length; i++) {
            String line = want[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int found = have.subList(at, have.size()).indexOf(line);
            if (found < 0) {
                fail(block.doc() + ":" + (block.firstCodeLine() + i) + ": the block is marked as an excerpt of " + path
                        + ", but this line is not in it" + (at > 0 ? " after line " + at : "") + ": " + line);
            }
            at += found + 1;
        }
    }

    /** A unit as javac reads it. */
    private static final class Source extends SimpleJavaFileObject {
        final SnippetSource.Unit unit;

        Source(SnippetSource.Unit unit) {
            super(URI.create("string:///" + unit.path()), Kind.SOURCE);
            this.unit = unit;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return unit.source();
        }
    }

    /** Class files go nowhere: only the diagnostics count. */
    private static final class Discarding extends ForwardingJavaFileManager<JavaFileManager> {
        Discarding(JavaFileManager files) {
            super(files);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return OutputStream.nullOutputStream();
                }
            };
        }
    }
}
