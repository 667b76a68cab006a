package io.eventloop.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The fixture itself: a cluster starts, answers, and leaves no process and no directory behind. */
class PgServerTest {
    @Test
    void theClusterAnswersAndIsGoneAfterClose() throws Exception {
        Path dir;
        long pid;
        try (PgServer server = PgServer.start()) {
            dir = server.socketDirectory();
            server.psql("SELECT 1");
            pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim());
            assertTrue(ProcessHandle.of(pid).isPresent(), "the postmaster runs");
        }
        assertFalse(Files.exists(dir), "the directory is deleted");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the postmaster is gone");
    }
}
