package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code openssl s_client -quiet} process talking to a TLS server on loopback, as a user of
 * {@code ./run chat --tls} would run it: it trusts only {@code caFile} and refuses the server
 * unless its certificate verifies and is for 127.0.0.1. Its output lines are read on a thread
 * into a queue; stderr (the verification trace) is kept for failure messages. Closing ends it.
 */
public final class SClient implements AutoCloseable {
    /** A hang guard for each line awaited, not a timing assertion. */
    private static final long LINE_WAIT_SECONDS = 60;

    private final Process process;
    private final OutputStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer err = new StringBuffer();

    private SClient(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        daemon("s_client-out", () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            }
        });
        daemon("s_client-err", () -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    err.append(line).append('\n');
                }
            }
        });
    }

    private interface Reading {
        void run() throws IOException;
    }

    private static void daemon(String name, Reading body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException ignored) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Connects to 127.0.0.1:{@code port}, trusting exactly the certificates in {@code caFile}. */
    public static SClient connect(Path caFile, int port) throws IOException {
        return new SClient(Tool.start(List.of("openssl", "s_client", "-quiet", "-verify_return_error",
                "-CAfile", caFile.toString(), "-verify_ip", "127.0.0.1", "-connect", "127.0.0.1:" + port)));
    }

    /** Sends {@code line} and a newline. */
    public void type(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next line s_client printed (what the server sent). */
    public String next() throws InterruptedException {
        String line = lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("s_client printed nothing for " + LINE_WAIT_SECONDS + " s; alive: "
                    + process.isAlive() + "; stderr:\n" + err);
        }
        return line;
    }

    public void expect(String line) throws InterruptedException {
        assertEquals(line, next(), () -> "stderr:\n" + err);
    }

    /** Waits (at most 30 s) for s_client to end on its own, as it does when the server closes; true if it did. */
    public boolean ends() throws InterruptedException {
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The lines printed and not yet taken. */
    public List<String> unread() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // -quiet ignores the end of its input: it ends on a signal or when the server closes
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
