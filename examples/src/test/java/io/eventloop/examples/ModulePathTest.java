package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eventloop.EventLoop;
import io.eventloop.testing.TestClock;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

/**
 * An application on the module path: a module {@code app} that requires {@code io.eventloop} is
 * compiled here and run with {@code java --module-path ... -m app/app.Main} in a child JVM, against
 * the library as this build produced it (its jar, or its classes directory when the build stopped
 * before packaging) and the jars of its dependencies. Before the library had a module descriptor,
 * such a program failed with {@code NoClassDefFoundError} three times over: JCTools, SLF4J and
 * {@code jdk.unsupported} are modules that nothing required, so none of them was resolved.
 */
class ModulePathTest {
    /** How long a child JVM may take at most: a hang guard, not a timing assertion. */
    private static final long HANG_GUARD_SECONDS = 60;

    private static final String APP_MODULE = """
            module app {
                requires io.eventloop;
            }
            """;

    /**
     * A sleep, a task, a loopback echo over streams, a child process's output, a callback that throws (its report goes
     * through SLF4J to slf4j-simple, found as a service), and a reflective reach into the
     * library's internal package.
     */
    private static final String APP_MAIN = """
            package app;

            import io.eventloop.Async;
            import io.eventloop.EventLoop;
            import io.eventloop.Future;
            import io.eventloop.Task;
            import io.eventloop.net.Server;
            import io.eventloop.net.StreamReader;
            import io.eventloop.net.StreamWriter;
            import io.eventloop.process.Stdio;
            import io.eventloop.process.Subprocess;
            import io.eventloop.process.SubprocessOptions;
            import java.time.Duration;
            import java.util.List;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    System.out.println("modules: " + Main.class.getModule().getName()
                            + " uses " + EventLoop.class.getModule().getName());
                    String echoed = EventLoop.run(() -> {
                        EventLoop loop = EventLoop.current();
                        loop.callSoon(() -> {
                            throw new IllegalStateException("a callback that throws");
                        });
                        Task<String> task = loop.createTask("sleeper", () -> Async.sleep(Duration.ofMillis(20), "slept"));
                        return task.then(value -> {
                            System.out.println("task " + task.name() + ": " + value);
                            return loop.startServer(Main::echo, "127.0.0.1", 0);
                        }).then(server -> roundTrip(loop, server));
                    });
                    System.out.println("echo: " + echoed);
                    String child = EventLoop.run(() -> Subprocess.createSubprocessExec(List.of("echo", "from a child"),
                            SubprocessOptions.defaults().stdout(Stdio.PIPE)).then(Subprocess::communicate)
                            .map(done -> done.stdoutText().trim() + ", returncode " + done.returnCode()));
                    System.out.println("child: " + child);
                    try {
                        Class.forName("io.eventloop.internal.LoopAccess").getMethod("bridge").invoke(null);
                        System.out.println("internal: reachable");
                    } catch (IllegalAccessException e) {
                        System.out.println("internal: not exported");
                    }
                }

                static Future<Void> echo(StreamReader reader, StreamWriter writer) {
                    return reader.readLine().then(line -> {
                        writer.write(line + "\\n");
                        return writer.drain();
                    });
                }

                static Future<String> roundTrip(EventLoop loop, Server server) {
                    return loop.openConnection("127.0.0.1", server.port()).then(connection -> {
                        connection.writer().write("hello over the module path\\n");
                        return connection.reader().readLine().ensure(() -> {
                            connection.writer().close();
                            return connection.writer().waitClosed();
                        });
                    }).ensure(() -> {
                        server.close();
                        return server.waitClosed();
                    });
                }
            }
            """;

    @Test
    void anApplicationOnTheModulePathRunsALoopATaskAndAnEcho(@TempDir Path dir) throws Exception {
        List<Path> libraries = List.of(home(EventLoop.class), home(MessagePassingQueue.class),
                home(LoggerFactory.class), home(SimpleLogger.class));
        assertTrue(ModuleFinder.of(home(EventLoop.class)).find("io.eventloop").isPresent(),
                "the library is not the io.eventloop module: " + home(EventLoop.class));
        Path classes = compile(dir, Map.of("module-info.java", APP_MODULE, "app/Main.java", APP_MAIN), libraries);

        String out = run(dir, libraries, classes, "app/app.Main");

        assertTrue(out.contains("modules: app uses io.eventloop\n"), out);
        assertTrue(out.contains("task sleeper: slept\n"), out);
        assertTrue(out.contains("echo: hello over the module path\n"), out);
        assertTrue(out.contains("child: from a child, returncode 0\n"), out);
        assertTrue(out.contains("internal: not exported\n"), out);
        // the default exception handler's report, through SLF4J: a provider was bound
        assertTrue(out.contains(" ERROR ") && out.contains("a callback that throws"), out);
        assertFalse(out.contains("no SLF4J provider found"), out);
        assertFalse(out.contains("NoClassDefFoundError") || out.contains("IllegalAccessError"), out);
    }

    @Test
    void anApplicationCannotCompileAgainstTheInternalPackage(@TempDir Path dir) throws Exception {
        String main = """
                package app;

                public final class Main {
                    public static void main(String[] args) {
                        System.out.println(io.eventloop.internal.LoopAccess.bridge());
                    }
                }
                """;
        List<Path> libraries = List.of(home(EventLoop.class), home(MessagePassingQueue.class), home(LoggerFactory.class));

        String errors = compileErrors(dir, Map.of("module-info.java", APP_MODULE, "app/Main.java", main), libraries);

        assertTrue(errors.contains("package io.eventloop.internal is not visible"), errors);
    }

    @Test
    void eventloopTestingReachesTheInternalPackageAsAModule(@TempDir Path dir) throws Exception {
        String module = """
                module app.tests {
                    requires io.eventloop.testing;
                }
                """;
        // TestClock implements an interface of io.eventloop.internal: loading it checks the export
        String main = """
                package app.tests;

                import io.eventloop.testing.TestClock;

                public final class Main {
                    public static void main(String[] args) {
                        TestClock clock = new TestClock(false);
                        System.out.println(TestClock.class.getModule().getName() + ": fake time " + clock.elapsed());
                    }
                }
                """;
        List<Path> libraries = List.of(home(TestClock.class), home(EventLoop.class), home(MessagePassingQueue.class),
                home(LoggerFactory.class), home(Test.class), home(AnnotationSupport.class), home(AssertionFailedError.class),
                home(API.class)); // JUnit requires it "static": javac needs it, the run does not
        assertTrue(ModuleFinder.of(home(TestClock.class)).find("io.eventloop.testing").isPresent(),
                "eventloop-testing is not the io.eventloop.testing module: " + home(TestClock.class));
        Path classes = compile(dir, Map.of("module-info.java", module, "app/tests/Main.java", main), libraries);

        String out = run(dir, libraries, classes, "app.tests/app.tests.Main");

        assertTrue(out.contains("io.eventloop.testing: fake time PT0S\n"), out);
    }

    /** The jar or classes directory {@code type} was loaded from. */
    private static Path home(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Compiles the module whose sources are {@code files} (path to text) and returns its classes directory. */
    private static Path compile(Path dir, Map<String, String> files, List<Path> modulePath) throws IOException {
        String errors = compileErrors(dir, files, modulePath);
        if (errors != null) {
            fail("the application did not compile:\n" + errors);
        }
        return dir.resolve("classes");
    }

    /** Compiles as {@link #compile} does; returns javac's output if it failed, else null. */
    private static String compileErrors(Path dir, Map<String, String> files, List<Path> modulePath) throws IOException {
        List<String> args = new ArrayList<>(List.of("--module-path", joined(modulePath),
                "-d", dir.resolve("classes").toString()));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path source = dir.resolve("src").resolve(file.getKey());
            Files.createDirectories(source.getParent());
            Files.writeString(source, file.getValue());
            args.add(source.toString());
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter out = new StringWriter();
        PrintWriter printer = new PrintWriter(out);
        int status = javac.run(printer, printer, args.toArray(String[]::new));
        printer.flush();
        return status == 0 ? null : out.toString();
    }

    /**
     * Runs {@code module/class} in a child JVM with {@code libraries} and {@code classes} as its
     * module path (and no class path), and returns what it printed once it has exited with 0.
     */
    private static String run(Path dir, List<Path> libraries, Path classes, String main)
            throws IOException, InterruptedException {
        List<Path> modulePath = Stream.concat(Stream.of(classes), libraries.stream()).collect(Collectors.toList());
        Path output = dir.resolve("output.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", joined(modulePath), "-m", main);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the application did not exit within " + HANG_GUARD_SECONDS + " s:\n" + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        return out;
    }

    private static String joined(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
