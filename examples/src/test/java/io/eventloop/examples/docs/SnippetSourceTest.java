package io.eventloop.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convention of {@link SnippetSource}, on small pages written here. */
class SnippetSourceTest {
    @TempDir
    Path dir;

    private CodeBlock.Page page(String markdown) throws IOException {
        Path file = dir.resolve("page.md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        return CodeBlock.read(file, "page.md");
    }

    private CodeBlock only(String markdown) throws IOException {
        CodeBlock.Page page = page(markdown);
        assertEquals(List.of(), page.problems());
        assertEquals(1, page.blocks().size());
        return page.blocks().get(0);
    }

    private Map<SnippetSource.Unit, List<Diagnostic<? extends JavaFileObject>>> compile(CodeBlock block)
            throws IOException {
        return DocSnippetsTest.compile(List.of(SnippetSource.of(block)));
    }

    @Test
    void methodsAndTypesBecomeMembersAndTheRestTheBodyOfAMethod() throws IOException {
        CodeBlock block = only("""
                Text.

                ```java
                static Future<String> job(int i) {
                    return Async.sleep(Duration.ofSeconds(1)).map(v -> "async " + i);
                }

                record Pair(String a, String b) {}

                List<String> results = EventLoop.run(() -> job(1).map(a -> List.of(a)));
                System.out.println(new Pair(results.get(0), "b"));
                ```
                """);
        assertEquals(3, block.fenceLine());
        assertEquals(Map.of(), compile(block));
        String source = SnippetSource.of(block).source();
        assertTrue(source.indexOf("record Pair") < source.indexOf("void statementsOfTheBlock()"), source);
        assertTrue(source.indexOf("List<String> results") > source.indexOf("void statementsOfTheBlock()"), source);
    }

    @Test
    void aVariableWithAModifierIsAFieldAndWithoutOneALocal() {
        assertTrue(SnippetSource.isMember("private final AsyncLock lock = new AsyncLock();"));
        assertFalse(SnippetSource.isMember("AsyncLock lock = new AsyncLock();"));
        assertFalse(SnippetSource.isMember("final AsyncLock lock = new AsyncLock();"));
        assertTrue(SnippetSource.isMember("final class Echo implements Protocol { }"));
        assertTrue(SnippetSource.isMember("Future<List<String>> fetch(String sql) { return null; }"));
        assertTrue(SnippetSource.isMember("@Test void timesOut(EventLoop loop) { }"));
        assertFalse(SnippetSource.isMember("for (int i = 0; i < 5; i++) { jobs.add(i); }"));
        assertFalse(SnippetSource.isMember("else if (x) { y(); }"));
        assertFalse(SnippetSource.isMember("try (EventLoop loop = new EventLoop()) { }"));
        assertFalse(SnippetSource.isMember("synchronized (this) { }"));
    }

    @Test
    void aReturnOutsideBracesMakesTheBodyReturnAValue() throws IOException {
        CodeBlock block = only("""
                ```java
                Future<Void> sleep = Async.sleep(Duration.ofSeconds(1));
                return sleep.map(v -> { return "done"; });
                ```
                """);
        assertTrue(SnippetSource.of(block).source().contains("Object statementsOfTheBlock()"));
        assertEquals(Map.of(), compile(block));
    }

    @Test
    void aBlockThatStartsWithImportOrPackageIsCompiledAsItIs() throws IOException {
        CodeBlock block = only("""
                ```java
                package com.example;

                import io.eventloop.EventLoop;

                public class Main {
                    public static void main(String[] args) {
                        EventLoop.run(() -> io.eventloop.Async.completed(1));
                    }
                }
                ```
                """);
        SnippetSource.Unit unit = SnippetSource.of(block);
        assertFalse(unit.isFragment());
        assertEquals("com/example/Main.java", unit.path());
        assertEquals(Map.of(), compile(block));
    }

    @Test
    void givenDeclarationsAreStaticAndAMethodWithoutBodyGetsOne() throws IOException {
        CodeBlock block = only("""
                <!-- given: import static io.eventloop.examples.SyncVsAsync.asyncJob;
                     Duration length; Future<String> fetch(String url);
                     interface Account { Future<Void> deposit(long amount); } -->
                ```java
                static Future<Void> both(Account account) {
                    return fetch("a").then(page -> asyncJob(1, length)).then(v -> account.deposit(1));
                }
                ```
                """);
        assertEquals(Map.of(), compile(block));
        String source = SnippetSource.of(block).source();
        assertTrue(source.contains("static Duration length;"), source);
        assertTrue(source.contains("static Future<String> fetch(String url) { throw new UnsupportedOperationException"), source);
    }

    @Test
    void aFailureNamesThePageLineAndJavacsMessage() throws IOException {
        CodeBlock block = only("""
                # Title

                ```java
                Future<String> ok = Async.completed("fine");
                Future<String> bad = Async.completed(42);
                ```
                """);
        SnippetSource.Unit unit = SnippetSource.of(block);
        var errors = DocSnippetsTest.compile(List.of(unit)).get(unit);
        String report = DocSnippetsTest.report(unit, errors);
        assertTrue(report.startsWith("page.md:3: the ```java block does not compile"), report);
        assertTrue(report.contains("page.md:5: incompatible types"), report);
        assertTrue(report.contains("| Future<String> bad = Async.completed(42);"), report);
    }

    @Test
    void aMarkerMustSitRightAboveAJavaFenceAndSayWhy() throws IOException {
        CodeBlock.Page page = page("""
                <!-- not compiled: pseudo-code -->

                ```java
                x = ?
                ```

                <!-- not compiled: -->
                ```java
                y = ?
                ```

                <!-- given Scale scale; -->
                ```java
                z();
                ```
                """);
        assertEquals(List.of(
                "page.md:1: a \"not compiled:\" marker must be on the lines right above a ```java fence",
                "page.md:7: a \"not compiled:\" marker with nothing after it (say why the block cannot compile)",
                "page.md:12: a marker must read <!-- given: ... -->, <!-- not compiled: ... --> or"
                        + " <!-- excerpt: ... -->, alone on its lines"), page.problems());
        assertEquals(3, page.blocks().size());
        assertEquals(null, page.blocks().get(0).marker());
    }

    @Test
    void fencesOfOtherLanguagesAndLongerFencesAreSkipped() throws IOException {
        CodeBlock.Page page = page("""
                ````md
                ```java
                not a block of this page
                ```
                ````

                ```python
                print("no")
                ```
                """);
        assertEquals(List.of(), page.problems());
        assertEquals(List.of(), page.blocks());
    }

    @Test
    void anExcerptsLinesMustAppearInTheFileInOrder() throws IOException {
        Files.writeString(dir.resolve("Source.java"), """
                class Source {
                    /** Javadoc the excerpt leaves out. */
                    void a() {
                        first();
                        second();
                    }
                }
                """);
        DocSnippetsTest.checkExcerpt(dir, only("""
                <!-- excerpt: Source.java -->
                ```java
                void a() {
                    first();

                    second();
                }
                ```
                """));
        AssertionError error = assertThrows(AssertionError.class, () -> DocSnippetsTest.checkExcerpt(dir, only("""
                <!-- excerpt: Source.java -->
                ```java
                second();
                first();
                ```
                """)));
        assertEquals("page.md:4: the block is marked as an excerpt of Source.java, but this line is not in it"
                + " after line 5: first();", error.getMessage());
    }
}
