package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool this project did not write (curl, openssl), run to its end. A tool that is
 * not installed aborts the test as skipped (.ci/run installs them).
 */
public final class Tool {
    /** How long a tool may run at most: a hang guard, not a timing assertion. */
    private static final long HANG_GUARD_SECONDS = 120;

    /** Its exit status, and what it wrote to stdout and stderr. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Tool() {
    }

    /** Runs {@code command} with no input until it exits. */
    public static Result run(String... command) throws Exception {
        Process p = start(List.of(command));
        try {
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            assertTrue(p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS), command[0] + " did not finish");
            return new Result(p.exitValue(), out, err.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code command}, or aborts the test if its program is not installed. */
    public static Process start(List<String> command) throws IOException {
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException missing) {
            Assumptions.abort(command.get(0) + " is not installed: " + missing.getMessage());
            throw missing;
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
