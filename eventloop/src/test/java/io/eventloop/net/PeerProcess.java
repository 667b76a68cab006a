package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program outside the JVM as a network peer: {@code openssl s_server}, {@code curl}, a Python
 * script. Its standard input is a file (or nothing), its standard error goes to a file, and its
 * standard output is read line by line on a plain thread until the program ends, so that a test
 * can wait on the loop for a line ({@code ACCEPT}) or for the exit, and no pipe is left open.
 * {@link #close()} ends a program still running, waits for it and for the reader thread (each
 * wait bounded by {@link NetTesting#HANG_GUARD}, a guard against hangs, never an assertion) and
 * deletes the file.
 */
final class PeerProcess implements AutoCloseable {
    private static final long GUARD_MILLIS = NetTesting.HANG_GUARD.toMillis();

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread reader;

    // Shared between the reader thread and the test's thread: guarded by this.
    private final List<String> lines = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    /** Standard output has ended and the program has exited (or the wait for it ran out). */
    private boolean ended;

    /** A line or the exit someone waits for on the loop; {@code text} null means the exit. */
    private record Watch(EventLoop loop, String text, Future<String> future) {}

    private PeerProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readOutput, "peer-" + name + "-stdout");
        reader.start();
    }

    /**
     * Starts {@code command} in {@code dir} with its input from {@code stdin} ({@code null}: none).
     * The first word is the program's absolute path ({@link Programs#require}).
     */
    static PeerProcess start(Path dir, Path stdin, List<String> command) throws IOException {
        String name = Path.of(command.get(0)).getFileName().toString();
        Path stderr = Files.createTempFile(dir, name, ".err");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin.toFile() : new File("/dev/null")))
                .redirectError(stderr.toFile())
                .start();
        return new PeerProcess(name, process, stderr);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<Watch> matched = new ArrayList<>(1);
                synchronized (this) {
                    lines.add(line);
                    for (Watch w : watches) {
                        if (w.text != null && line.contains(w.text)) {
                            matched.add(w);
                        }
                    }
                    watches.removeAll(matched);
                }
                for (Watch w : matched) {
                    String l = line;
                    w.loop.callSoonThreadsafe(() -> w.future.complete(l));
                }
            }
        } catch (IOException e) {
            // closed by close(): the program is being killed
        }
        try {
            process.waitFor(GUARD_MILLIS, TimeUnit.MILLISECONDS); // stdout ends as the program exits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Watch> left;
        synchronized (this) {
            ended = true;
            left = new ArrayList<>(watches);
            watches.clear();
        }
        for (Watch w : left) {
            w.loop.callSoonThreadsafe(() -> settle(w));
        }
    }

    /** On the loop, once the program has ended: its exit code, or the line it never printed. */
    private void settle(Watch w) {
        if (process.isAlive()) {
            w.future.fail(new AssertionError(name + " closed its output but did not exit within " + GUARD_MILLIS + " ms"));
        } else if (w.text == null) {
            w.future.complete(String.valueOf(process.exitValue()));
        } else {
            w.future.fail(new AssertionError(name + " exited (status " + process.exitValue() + ") without printing \""
                    + w.text + "\"; its output:\n" + output() + "\nits errors:\n" + errors()));
        }
    }

    /** Completes, on {@code loop}, with the first line of output that contains {@code text}. */
    Future<String> line(EventLoop loop, String text) {
        Future<String> f = loop.createFuture();
        synchronized (this) {
            for (String l : lines) {
                if (l.contains(text)) {
                    f.complete(l);
                    return f;
                }
            }
            if (!ended) {
                watches.add(new Watch(loop, text, f));
                return f;
            }
        }
        settle(new Watch(loop, text, f));
        return f;
    }

    /** Completes, on {@code loop}, with the exit status once the program has ended and all its output is read. */
    Future<Integer> exit(EventLoop loop) {
        Future<String> f = loop.createFuture();
        boolean now;
        synchronized (this) {
            now = ended;
            if (!now) {
                watches.add(new Watch(loop, null, f));
            }
        }
        if (now) {
            settle(new Watch(loop, null, f));
        }
        return f.map(Integer::valueOf);
    }

    /** What it has printed on standard output so far. */
    synchronized String output() {
        return String.join("\n", lines);
    }

    /** What it has printed on standard error so far. */
    String errors() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends it as {@code kill} would (SIGTERM): its sockets close without a word of TLS. */
    void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        synchronized (this) {
            watches.clear(); // nobody waits any more: the test is over
        }
        try {
            if (!process.waitFor(0, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GUARD_MILLIS, TimeUnit.MILLISECONDS);
            }
            reader.join(GUARD_MILLIS);
            assertFalse(process.isAlive(), name + " (pid " + process.pid() + ") is still running");
            assertFalse(reader.isAlive(), "the thread reading " + name + "'s output is still running");
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    @Override
    public String toString() {
        return "PeerProcess[" + name + ", pid " + process.pid() + "]";
    }
}
