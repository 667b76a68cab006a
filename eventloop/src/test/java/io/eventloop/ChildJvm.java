package io.eventloop;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.LoggerFactory;

/**
 * Runs a test's {@code main} class in a child JVM whose class path is what a fresh project that
 * depends on the library has: the library's classes, slf4j-api and jctools-core, and no SLF4J
 * provider (this JVM's slf4j-simple is left out unless asked for). For what only a process of its
 * own shows: where reports go with no logging backend, and signals ignored from the start.
 */
final class ChildJvm {
    /** What the child printed, and how it ended. */
    record Output(int exitCode, String out, String err) {
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code args}. {@code shellSetup}, if not null, runs in {@code sh}
     * first, and the JVM is exec'd from that shell (so a {@code trap "" INT} there is the
     * disposition the JVM starts with). {@code alsoOnClassPath}: classes whose jars or
     * directories join the class path (a provider's, to compare).
     */
    static Output run(String shellSetup, Class<?> main, List<Class<?>> alsoOnClassPath, String... args)
            throws IOException, InterruptedException {
        List<Class<?>> sources = new ArrayList<>(List.of(EventLoop.class, LoggerFactory.class,
                MpscUnboundedArrayQueue.class, main));
        sources.addAll(alsoOnClassPath);
        List<String> path = new ArrayList<>();
        for (Class<?> c : sources) {
            String p = location(c);
            if (!path.contains(p)) {
                path.add(p);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (shellSetup != null) {
            command.addAll(List.of("sh", "-c", shellSetup + "; exec \"$0\" \"$@\""));
        }
        command.addAll(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, path),
                main.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("child-jvm", ".err");
        Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
        child.getOutputStream().close(); // no input: and no pipe left open in this JVM until the child is reaped
        try (InputStream in = child.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(60, TimeUnit.SECONDS)) { // a safety net: the child ends on its own
                throw new AssertionError("the child JVM did not exit; it printed: " + out);
            }
            return new Output(child.exitValue(), out, Files.readString(err));
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
