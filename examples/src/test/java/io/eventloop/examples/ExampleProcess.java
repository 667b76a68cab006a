package io.eventloop.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An example run as a child JVM on the test's class path, as {@code ./run NAME} would run it: for
 * a server, the port it says it listens on, SIGTERM, its exit and what it printed; for a program
 * that ends by itself, {@link #run} its exit status and output. Closing kills it if it is still
 * running.
 */
public final class ExampleProcess implements AutoCloseable {
    /** How long a test waits for the child at most: a hang guard, not a timing assertion. */
    public static final long HANG_GUARD_SECONDS = 30;

    private final Process process;
    private final BufferedReader out;
    private final StringBuilder seen = new StringBuilder();

    private ExampleProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code Examples} with {@code args} (the example's name first) in a JVM given
     * {@code jvmOptions}; its output and errors are one stream, logged at INFO.
     */
    public static ExampleProcess start(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Examples.class.getName());
        command.addAll(List.of(args));
        return new ExampleProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** How a program that ends by itself ended: its exit status, and its output and errors as one text. */
    public record Finished(int exitValue, String output) {
    }

    /**
     * Runs {@code Examples} with {@code args} (the example's name first) to its end and returns
     * how it ended. A child still running after {@link #HANG_GUARD_SECONDS} is killed and fails
     * the test with what it printed so far.
     */
    public static Finished run(String... args) throws IOException, InterruptedException {
        // A short run: the JIT's first tier and the serial collector start faster than the defaults.
        try (ExampleProcess p = start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), args)) {
            StringBuilder text = new StringBuilder();
            Thread reader = new Thread(() -> p.out.lines().forEach(line -> {
                synchronized (text) {
                    text.append(line).append('\n');
                }
            }), "child-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.awaitExit()) {
                p.close();
                synchronized (text) {
                    throw new AssertionError(String.join(" ", args) + " still running after "
                            + HANG_GUARD_SECONDS + " s; it printed:\n" + text);
                }
            }
            reader.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS)); // the pipe ends with the process
            synchronized (text) {
                return new Finished(p.exitValue(), text.toString());
            }
        }
    }

    /** Reads the output up to the {@code listening on HOST:PORT} line and returns the port. */
    public int port() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening on ")) {
                return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the server exited without saying where it listens:\n" + seen);
    }

    /**
     * Reads the output up to the {@code listening on WHERE} line and returns {@code WHERE}: a
     * socket file's path for a server given {@code --unix}.
     */
    public String listeningOn() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening on ")) {
                return line.substring("listening on ".length());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the server exited without saying where it listens:\n" + seen);
    }

    /** What the server printed before its {@code listening on} line: call after {@link #port()}. */
    public String printedBefore() {
        return seen.toString();
    }

    /**
     * The certificate named by the {@code TLS certificate (self-signed for this run): FILE ...}
     * line that {@code --tls} prints before {@code listening on}: call after {@link #port()}.
     */
    public Path selfSignedCertificate() {
        String prefix = "TLS certificate (self-signed for this run): ";
        for (String line : seen.toString().split("\n")) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length());
                return Path.of(rest.contains("  (") ? rest.substring(0, rest.indexOf("  (")) : rest);
            }
        }
        throw new AssertionError("no '" + prefix + "' line before 'listening on':\n" + seen);
    }

    /**
     * Keeps reading the output on a daemon thread, so a child that logs a lot never blocks on a
     * full pipe; {@link #rest()} is then not available.
     */
    public void discardOutput() {
        Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "child-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Sends SIGTERM (what {@code kill} and {@code docker stop} send). */
    public void terminate() {
        process.toHandle().destroy(); // Process.destroy would also close our end of the pipes
    }

    /** Waits for the exit (at most {@link #HANG_GUARD_SECONDS}); true if it exited. */
    public boolean awaitExit() throws InterruptedException {
        return process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The output after the {@code listening on} line, up to the end: call after the exit. */
    public String rest() throws IOException {
        StringBuilder rest = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            rest.append(line).append('\n');
        }
        return rest.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    }
}
