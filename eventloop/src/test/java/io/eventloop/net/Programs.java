package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs outside the JVM that tests drive (openssl, curl, python3). A missing one fails the
 * test and names the Debian package that has it, rather than skipping: a skipped test reads as a
 * passed one in a build summary, and {@code .ci/run} installs these packages.
 */
final class Programs {
    private Programs() {}

    /** The absolute path of {@code name} on the PATH; fails the test if there is none. */
    static String require(String name, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath().toString();
                }
            }
        }
        return fail("this test needs " + name + " on the PATH: install the Debian package " + debianPackage
                + " (.ci/run does when it is missing)");
    }
}
