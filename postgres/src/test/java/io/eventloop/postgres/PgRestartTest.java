package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server stops under a running query and starts again: the queries fail clearly, a new connection works. */
@EventLoopTest
class PgRestartTest {
    private static PgServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aServerRestartMidQueryFailsEveryWaitingQueryNamingTheServer(EventLoop loop) throws IOException {
        PgConnection conn = assertCompletes(PgConnection.connect(server.uri()));
        PgConnection watcher = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.fetchVal("SELECT pg_sleep($1)", 0)); // prepared, so the next one runs at once
        Future<Object> running = conn.fetchVal("SELECT pg_sleep($1)", 60);
        Future<Object> behind = conn.fetchVal("SELECT 1");
        PgServer.awaitSleeping(watcher, conn.serverPid());

        server.stopImmediately();

        Throwable first = assertFails(Exception.class, running);
        assertTrue(first instanceof PgException || first instanceof PgConnectionException, first.toString());
        assertTrue(first.getMessage().contains("127.0.0.1:" + server.port)
                || first instanceof PgException p && p.sqlState().startsWith("57"), first.getMessage());
        PgConnectionException second = assertFails(PgConnectionException.class, behind);
        assertTrue(second.getMessage().startsWith("SELECT 1 ")
                && second.getMessage().contains("the connection to 127.0.0.1:" + server.port + " was closed by the server"),
                second.getMessage());
        assertTrue(conn.isClosed());
        assertFails(PgConnectionException.class, watcher.fetchVal("SELECT 1"));

        server.startAgain();
        PgConnection again = assertCompletes(PgConnection.connect(server.uri()));
        assertEquals(1, assertCompletes(again.fetchVal("SELECT 1")));
        assertCompletes(again.closeAsync());
        assertCompletes(conn.closeAsync());
        assertCompletes(watcher.closeAsync());
    }
}
