package io.eventloop.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class against one real cluster ({@link PgServer}): started before the class's first
 * test, and after its last checked for sockets the tests left open, then stopped and deleted.
 * Test classes run one after another, so the one static {@link #server} is the running class's.
 */
abstract class PgServerCase {
    static PgServer server;
    private static long socketsBefore;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start();
        socketsBefore = PgServer.openSockets();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            assertEquals(socketsBefore, PgServer.openSockets(), "every socket the tests opened is closed");
        } finally {
            server.close();
        }
    }
}
