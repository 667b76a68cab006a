package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openssl} command line, the reference that the PEM and DER of this package are checked
 * against. Its output goes to files, not pipes, so that a run leaves no descriptor behind.
 */
final class Openssl {
    private static final long TIMEOUT_SECONDS = 60; // a 2048-bit RSA key on a busy machine

    private Openssl() {}

    /**
     * Runs {@code openssl args} in {@code dir} and returns what it printed; fails the test with
     * openssl's error output if it exits with another status than 0.
     */
    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Programs.require("openssl", "openssl"));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("openssl", ".out");
        Path stderr = Files.createTempFile("openssl", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with status " + process.exitValue() + ":\n"
                        + Files.readString(stderr) + Files.readString(stdout));
            }
            return Files.readString(stdout);
        } finally {
            Files.delete(stdout);
            Files.delete(stderr);
        }
    }
}
