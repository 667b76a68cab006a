package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The code of the guide's "PostgreSQL" chapter, run against a real server: each block there is
 * marked as an excerpt of this file, so the page cannot drift from code that compiles and passes.
 * Keep the quoted lines as they are, or change the page with them.
 */
@EventLoopTest
class PgGuideTest {
    private static PgServer server;
    private static String uri;

    @BeforeAll
    static void startServer() throws Exception {
        server = PgServer.start();
        uri = server.uri();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void connectAndQuery() {
        Future<List<String>> names = PgConnection.connect(uri).then(conn ->
                conn.execute("CREATE TEMP TABLE items (id int, name text, price numeric)")
                        .then(tag -> conn.execute("INSERT INTO items VALUES ($1, $2, $3)", 1, "tea", new BigDecimal("4.50")))
                        .then(tag -> conn.fetch("SELECT name FROM items WHERE price < $1", new BigDecimal("10")))
                        .map(rows -> rows.stream().map(r -> r.getString("name")).toList())
                        .ensure(conn::closeAsync));
        assertEquals(List.of("tea"), assertCompletes(names));
    }

    @Test
    void theFourWays() {
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        Future<List<Row>> rows = conn.fetch("SELECT relname FROM pg_class WHERE relkind = $1", "r");
        Future<Row> row = conn.fetchRow("SELECT 1 AS id, 'one' AS name");      // null when no row
        Future<Object> count = conn.fetchVal("SELECT count(*) FROM pg_class");  // a Long
        Future<String> tag = conn.execute("SET TimeZone = 'UTC'");              // "SET"
        assertTrue(assertCompletes(rows).size() > 10);
        assertEquals("one", assertCompletes(row).getString("name"));
        assertTrue((Long) assertCompletes(count) > 0);
        assertEquals("SET", assertCompletes(tag));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void pipelining() {
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        List<Future<Object>> squares = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            squares.add(conn.fetchVal("SELECT $1::int * $1", i));    // queued: nothing is written yet
        }
        Future<List<Object>> all = Async.gather(squares);            // one write, answers in order
        assertEquals(998_001, assertCompletes(all).get(999));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void errors() {
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        assertCompletes(conn.execute("CREATE TEMP TABLE users (email text PRIMARY KEY)"));
        assertCompletes(conn.execute("INSERT INTO users VALUES ('a@example.com')"));
        String email = "a@example.com";
        Future<String> added = conn.execute("INSERT INTO users (email) VALUES ($1)", email)
                .recover(PgException.class, e -> {
                    // e.sqlState(): "23505" (unique_violation)
                    // e.detail(): "Key (email)=(a@example.com) already exists."
                    return e.sqlState().equals("23505") ? Async.completed("duplicate") : Async.failed(e);
                })
                .recover(TimeoutException.class, e -> Async.completed("slow"))  // PgOptions.commandTimeout
                .recover(IOException.class, e -> Async.completed("lost"));     // PgConnectionException
        assertEquals("duplicate", assertCompletes(added));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void cancelling() {
        PgConnection conn = assertCompletes(PgConnection.connect(uri));
        Future<Object> slow = conn.fetchVal("SELECT pg_sleep(60)");
        Future<Object> bounded = Async.waitFor(slow, Duration.ofSeconds(1));
        // after 1 s: bounded fails with TimeoutException, slow is cancelled, and a
        // CancelRequest stops the query on the server; conn stays usable
        assertCompletes(bounded.recover(TimeoutException.class, e -> Async.completed(null)));
        assertEquals(1, assertCompletes(Async.waitFor(conn.fetchVal("SELECT 1"), Duration.ofSeconds(30))));
        assertCompletes(conn.closeAsync());
    }

    @Test
    void options() {
        PgOptions options = PgOptions.defaults()
                .commandTimeout(Duration.ofSeconds(5))      // asyncpg: command_timeout=5
                .statementCacheSize(500);                   // statement_cache_size=500
        Future<PgConnection> conn = PgConnection.connect(uri + "?application_name=shop", options);
        assertCompletes(assertCompletes(conn).closeAsync());
    }
}
