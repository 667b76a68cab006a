package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.examples.ExampleProcess.Finished;
import io.eventloop.postgres.PgServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run database}: on embedded H2 (the default), and with {@code --postgres URI} on a real
 * PostgreSQL cluster that this class creates with the PostgreSQL client's fixture
 * ({@link PgServer}: {@code initdb} and {@code pg_ctl}; a missing PostgreSQL fails naming the
 * Debian package). The failures (a refused URI, a wrong password, no server) run the program as a
 * child JVM, as {@code ./run} does, to see its exit status.
 */
class DatabaseTest {
    /** The line the PostgreSQL path ends with: its queries started no executor thread. */
    private static final String NO_EXECUTOR = "executor threads the queries started: 0";

    private static PgServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = PgServer.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    /**
     * Checks the lines both paths print, rows to tick count, and returns the lines after them.
     * A 1 s query and a 0.2 s ticker: about 5 ticks; a blocked loop would show 0.
     */
    private static List<String> assertRowsAndTicks(List<String> lines) {
        assertEquals(List.of("1 alice", "2 bob", "3 carol", "slow query started"), lines.subList(0, 4), lines::toString);
        int done = lines.indexOf("slow query done");
        assertTrue(done > 4, lines::toString);
        int ticks = done - 4;
        assertTrue(ticks >= 3, "the loop stayed free while the query ran: " + lines);
        assertEquals(List.of("tick"), lines.subList(4, done).stream().distinct().toList());
        assertEquals("ticks while the query ran: " + ticks, lines.get(done + 1), lines::toString);
        return lines.subList(done + 2, lines.size());
    }

    @Test
    void rowsComeBackAndTheTickerKeepsTickingWhileASlowQueryRuns() throws Exception {
        // at 0.3 the 1 s query takes 0.3 s: room for the ticker even on a busy machine
        List<String> lines = Outputs.runScaled(0.3, Database::main);
        assertEquals(List.of(), assertRowsAndTicks(lines));
    }

    @Test
    void onPostgresTheSameLinesComeBackAndNoExecutorThreadIsStarted() throws Exception {
        long sockets = PgServer.openSockets();
        List<String> lines = Outputs.runScaled(0.3, Database::main, "--postgres", server.uri());
        assertEquals(List.of(NO_EXECUTOR), assertRowsAndTicks(lines));
        assertEquals(sockets, PgServer.openSockets(), "the program closed its connection");
    }

    /** The count the PostgreSQL path prints would see a query handed to the executor, as H2's are. */
    @Test
    void theExecutorCountSeesAThreadStartedForBlockingWork() {
        String line = EventLoop.run(() -> {
            Set<Thread> before = DatabasePostgres.executorThreads();
            return Async.toThread(() -> null).map(v -> DatabasePostgres.executorsStarted(before));
        });
        assertEquals("executor threads the queries started: 1", line);
    }

    @Test
    void onPostgresTheTableIsTemporary() throws Exception {
        // a second run creates the table again: the first one's went with its connection
        Outputs.runScaled(0.3, Database::main, "--postgres", server.uri());
        List<String> lines = Outputs.runScaled(0.3, Database::main, "--postgres", server.uri());
        assertEquals(List.of(NO_EXECUTOR), assertRowsAndTicks(lines));
    }

    @Test
    void aUnixSocketDirectoryUriConnectsThroughTheSocketFile() throws Exception {
        String uri = "postgresql://" + PgServer.USER + "@/postgres?host=" + server.socketDirectory() + "&port=" + server.port;
        List<String> lines = Outputs.runScaled(0.3, Database::main, "--postgres", uri);
        assertEquals(List.of(NO_EXECUTOR), assertRowsAndTicks(lines));
    }

    @Test
    void aWrongPasswordEndsWithStatusOneAndSqlstate28P01OnOneLine() throws Exception {
        Finished f = ExampleProcess.run("database", "--postgres", server.uri(PgServer.USER, "wrong-pw"), "--scale", "0.1");
        assertEquals(1, f.exitValue(), f.output());
        assertEquals("error: FATAL 28P01: password authentication failed for user \"tester\" [connecting to 127.0.0.1:"
                + server.port + " as \"tester\", database \"postgres\"]\n", f.output());
    }

    @Test
    void aServerThatIsDownEndsWithStatusOneNamingItWithoutThePassword() throws Exception {
        int port = freePort();
        Finished f = ExampleProcess.run("database", "--postgres", "postgresql://app:s3cret@127.0.0.1:" + port + "/shop");
        assertEquals(1, f.exitValue(), f.output());
        assertTrue(f.output().startsWith("error: cannot connect to 127.0.0.1:" + port + ": "), f.output());
        assertTrue(f.output().contains("Connection refused"), f.output());
        assertOneLineWithoutPassword(f, "s3cret");
    }

    @Test
    void aUnixSocketDirectoryWithNoServerEndsWithStatusOneNamingTheSocket(@TempDir Path dir) throws Exception {
        Finished f = ExampleProcess.run("database", "--postgres", "postgresql://app:s3cret@/shop?host=" + dir);
        assertEquals(1, f.exitValue(), f.output());
        assertTrue(f.output().startsWith("error: cannot connect to " + dir + "/.s.PGSQL.5432: "), f.output());
        assertOneLineWithoutPassword(f, "s3cret");
    }

    @Test
    void aUriTheClientRefusesEndsWithStatusTwoNamingItWithoutThePassword() throws Exception {
        Finished f = ExampleProcess.run("database", "--postgres", "mysql://app:s3cret@127.0.0.1/shop");
        assertEquals(2, f.exitValue(), f.output());
        assertTrue(f.output().startsWith("--postgres: not a PostgreSQL URI (postgresql://user:password@host:port/database):"
                + " mysql://app:***@127.0.0.1/shop\nusage: ./run database"), f.output());
        assertFalse(f.output().contains("s3cret") || f.output().contains("\tat "), f.output());

        f = ExampleProcess.run("database", "--postgres", "postgresql://app:s3cret@127.0.0.1:99999/shop");
        assertEquals(2, f.exitValue(), f.output());
        assertTrue(f.output().startsWith("--postgres: port 99999 is out of range (1-65535) in"
                + " postgresql://app:***@127.0.0.1:99999/shop\n"), f.output());
        assertFalse(f.output().contains("s3cret") || f.output().contains("\tat "), f.output());
    }

    private static void assertOneLineWithoutPassword(Finished f, String password) {
        assertEquals(1, f.output().lines().count(), f.output());
        assertFalse(f.output().contains(password), f.output());
    }

    /** A loopback port nothing listens on: one just bound and released. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
