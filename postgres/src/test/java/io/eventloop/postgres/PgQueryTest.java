package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries against a real server: the four ways to run one, command tags, the simple protocol,
 * errors and recovery, pipelining and its order, the statement cache, the limits, cancellation
 * and the command timeout.
 */
@EventLoopTest
class PgQueryTest extends PgServerCase {
    private PgConnection conn;

    @BeforeEach
    void connect(EventLoop loop) {
        conn = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.execute("DROP TABLE IF EXISTS items; CREATE TABLE items (id int PRIMARY KEY, name text)"));
    }

    @AfterEach
    void close() {
        assertCompletes(conn.closeAsync());
    }

    private PgConnection connect(PgOptions options) {
        return assertCompletes(PgConnection.connect(server.uri(), options));
    }

    /** Waits, through another connection, until the backend {@code pid} is inside pg_sleep. */
    private void awaitRunning(int pid) {
        PgServer.awaitSleeping(conn, pid);
    }

    @Test
    void fetchFetchRowFetchValAndExecute() {
        assertEquals("INSERT 0 1", assertCompletes(conn.execute("INSERT INTO items VALUES ($1, $2)", 1, "one")));
        assertEquals("INSERT 0 2", assertCompletes(conn.execute("INSERT INTO items VALUES (2, 'two'), (3, 'three')")));
        List<Row> rows = assertCompletes(conn.fetch("SELECT id, name FROM items ORDER BY id"));
        assertEquals(3, rows.size());
        assertEquals("two", rows.get(1).get("name"));
        assertEquals(3, rows.get(2).get(0));
        Row row = assertCompletes(conn.fetchRow("SELECT * FROM items WHERE id = $1", 3));
        assertEquals("three", row.getString("name"));
        assertNull(assertCompletes(conn.fetchRow("SELECT * FROM items WHERE id = $1", 99)));
        assertNull(assertCompletes(conn.fetchVal("SELECT name FROM items WHERE id = $1", 99)));
        assertEquals(3L, assertCompletes(conn.fetchVal("SELECT count(*) FROM items")));
        assertEquals(List.of(), assertCompletes(conn.fetch("SELECT * FROM items WHERE false")));
        assertEquals("UPDATE 2", assertCompletes(conn.execute("UPDATE items SET name = upper(name) WHERE id > $1", 1)));
        assertEquals("DELETE 1", assertCompletes(conn.execute("DELETE FROM items WHERE id = $1", 1)));
        assertEquals("SELECT 2", assertCompletes(conn.execute("SELECT * FROM items")));
        assertEquals(List.of(), assertCompletes(conn.fetch("UPDATE items SET name = 'x' WHERE id = -1")), "no rows");
    }

    @Test
    void executeWithoutArgumentsRunsSeveralStatementsAndReturnsTheLastTag() {
        assertEquals("INSERT 0 1", assertCompletes(conn.execute(
                "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")));
        assertEquals(2L, assertCompletes(conn.fetchVal("SELECT count(*) FROM t")));
        assertEquals("", assertCompletes(conn.execute("")), "an empty query");
    }

    @Test
    void transactionsAreStatementsAndTheStatusIsKept() {
        assertCompletes(conn.execute("BEGIN"));
        assertEquals('T', conn.transactionStatus());
        assertCompletes(conn.execute("INSERT INTO items VALUES ($1, $2)", 1, "one"));
        assertFails(PgException.class, conn.execute("INSERT INTO items VALUES ($1, $2)", 1, "again"));
        assertEquals('E', conn.transactionStatus());
        PgException e = assertFails(PgException.class, conn.fetchVal("SELECT 1"));
        assertEquals("25P02", e.sqlState(), "in a failed transaction");
        assertCompletes(conn.execute("ROLLBACK"));
        assertEquals('I', conn.transactionStatus());
        assertEquals(0L, assertCompletes(conn.fetchVal("SELECT count(*) FROM items")));
    }

    @Test
    void aServerErrorCarriesItsFieldsAndTheConnectionGoesOn() {
        PgException missing = assertFails(PgException.class, conn.fetch("SELECT * FROM nope WHERE id = $1", 1));
        assertEquals("42P01", missing.sqlState());
        assertEquals(15, missing.position());
        assertEquals("ERROR", missing.severity());
        assertTrue(missing.getMessage().contains("relation \"nope\" does not exist"), missing.getMessage());
        assertTrue(missing.getMessage().contains("SELECT * FROM nope"), "names the query: " + missing.getMessage());

        assertCompletes(conn.execute("INSERT INTO items VALUES (1, 'one')"));
        PgException duplicate = assertFails(PgException.class, conn.execute("INSERT INTO items VALUES ($1, $2)", 1, "x"));
        assertEquals("23505", duplicate.sqlState());
        assertEquals("Key (id)=(1) already exists.", duplicate.detail());
        assertEquals("items", duplicate.fields().get('t'));

        PgException raised = assertFails(PgException.class, conn.execute(
                "DO $$BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'try again'; END$$"));
        assertEquals("P0001", raised.sqlState());
        assertEquals("boom", raised.serverMessage());
        assertEquals("the detail", raised.detail());
        assertEquals("try again", raised.hint());
        assertEquals(0, raised.position());

        PgException runtime = assertFails(PgException.class, conn.fetchVal("SELECT 1 / $1", 0));
        assertEquals("22012", runtime.sqlState(), "an error at execution, after the statement was prepared");
        assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1 / $1", 1)), "the statement is still usable");
        assertEquals(1L, assertCompletes(conn.fetchVal("SELECT count(*) FROM items")));
    }

    @Test
    void anErrorInThePipelineFailsOnlyItsQuery() {
        Future<Object> before = conn.fetchVal("SELECT 1");
        Future<Object> failing = conn.fetchVal("SELECT 1 / 0");
        Future<Object> bad = conn.fetchVal("SELEC 2");
        Future<Object> after = conn.fetchVal("SELECT 3");
        assertEquals(1, assertCompletes(before));
        assertEquals("22012", assertFails(PgException.class, failing).sqlState());
        assertEquals("42601", assertFails(PgException.class, bad).sqlState());
        assertEquals(3, assertCompletes(after));
    }

    @Test
    void theWrongNumberOfArgumentsIsRefusedBeforeSending() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.fetchVal("SELECT $1::int + $2", 1));
        assertTrue(e.getMessage().contains("has 2 parameters and was given 1 argument"), e.getMessage());
        assertEquals(2, assertCompletes(conn.fetchVal("SELECT $1::int + $2", 1, 1)));
    }

    @Test
    void aThousandQueriesInFlightComeBackInOrderInFewWrites() {
        assertCompletes(conn.fetchVal("SELECT $1::int", 0)); // prepared: the thousand need no round trip first
        long writesBefore = conn.protocol().writes;
        List<Future<Object>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(conn.fetchVal("SELECT $1::int", i));
        }
        List<Object> values = assertCompletes(Async.gather(all));
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, values.get(i));
        }
        assertEquals(1, conn.protocol().writes - writesBefore, "one write for the thousand");
    }

    @Test
    void queriesRunInTheOrderTheyWereIssuedEvenWhenOneNeedsPreparing() {
        assertCompletes(conn.fetchVal("SELECT count(*) FROM items")); // prepared
        Future<String> insert = conn.execute("INSERT INTO items VALUES ($1, 'new')", 7); // not prepared yet
        Future<Object> count = conn.fetchVal("SELECT count(*) FROM items");             // prepared
        assertEquals("INSERT 0 1", assertCompletes(insert));
        assertEquals(1L, assertCompletes(count), "the count ran after the insert");
    }

    @Test
    void theStatementCacheKeepsItsSizeAndEvictsTheLeastRecentlyUsed() {
        PgConnection small = connect(PgOptions.defaults().statementCacheSize(2));
        try {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(i + round, assertCompletes(small.fetchVal("SELECT $1::int + " + i, round)));
                }
            }
            assertEquals(2, small.protocol().cachedStatements());
            assertEquals(2L, assertCompletes(small.fetchVal(
                    "SELECT count(*) FROM pg_prepared_statements")), "the evicted ones are closed on the server");
        } finally {
            assertCompletes(small.closeAsync());
        }
    }

    @Test
    void aStatementInvalidatedBySchemaChangeIsPreparedAgainAndRunOnceMore() {
        assertCompletes(conn.execute("INSERT INTO items VALUES (1, 'one')"));
        assertEquals(2, assertCompletes(conn.fetch("SELECT * FROM items")).get(0).size());
        assertCompletes(conn.execute("ALTER TABLE items ADD COLUMN extra int DEFAULT 5"));
        assertEquals(5, assertCompletes(conn.fetch("SELECT * FROM items")).get(0).get("extra"), "prepared again");
    }

    @Test
    void insideATransactionAnInvalidatedStatementFailsAndIsPreparedAgainNextTime() {
        assertCompletes(conn.fetch("SELECT * FROM items"));
        assertCompletes(conn.execute("BEGIN"));
        assertCompletes(conn.execute("ALTER TABLE items ADD COLUMN extra int DEFAULT 5"));
        PgException e = assertFails(PgException.class, conn.fetch("SELECT * FROM items"));
        assertEquals("0A000", e.sqlState(), "cached plan must not change result type");
        assertCompletes(conn.execute("ROLLBACK"));
        assertEquals(List.of(), assertCompletes(conn.fetch("SELECT * FROM items")), "prepared again");
    }

    @Test
    void tooManyWaitingQueriesAreRefusedAtOnce() {
        PgConnection limited = connect(PgOptions.defaults().maxPending(3));
        try {
            List<Future<Object>> ok = List.of(limited.fetchVal("SELECT 1"), limited.fetchVal("SELECT 2"),
                    limited.fetchVal("SELECT 3"));
            RejectedExecutionException e = assertFails(RejectedExecutionException.class, limited.fetchVal("SELECT 4"));
            assertTrue(e.getMessage().contains("PgOptions.maxPending"), e.getMessage());
            assertEquals(List.of(1, 2, 3), assertCompletes(Async.gather(ok)));
            assertEquals(4, assertCompletes(limited.fetchVal("SELECT 4")));
        } finally {
            assertCompletes(limited.closeAsync());
        }
    }

    @Test
    void aQueryLargerThanTheMessageLimitIsRefusedAndTheConnectionGoesOn() {
        PgConnection limited = connect(PgOptions.defaults().maxMessageSize(4096));
        try {
            IllegalArgumentException e = assertFails(IllegalArgumentException.class,
                    limited.fetchVal("SELECT length($1)", "x".repeat(10_000)));
            assertTrue(e.getMessage().contains("over the limit of 4096"), e.getMessage());
            assertEquals(100, assertCompletes(limited.fetchVal("SELECT length($1)", "x".repeat(100))));
        } finally {
            assertCompletes(limited.closeAsync());
        }
    }

    @Test
    void aRowLargerThanTheMessageLimitClosesTheConnectionNamingTheLimit() {
        PgConnection limited = connect(PgOptions.defaults().maxMessageSize(4096));
        PgConnectionException e = assertFails(PgConnectionException.class,
                limited.fetchVal("SELECT repeat('x', 10000)"));
        assertTrue(e.getMessage().contains("over the limit of 4096 (PgOptions.maxMessageSize)"), e.getMessage());
        assertTrue(limited.isClosed());
        assertCompletes(limited.closeAsync());
    }

    @Test
    void cancellingARunningQuerySendsACancelRequestAndTheConnectionGoesOn(EventLoop loop) {
        PgConnection sleeper = connect(PgOptions.defaults());
        OffsetDateTime start = (OffsetDateTime) assertCompletes(sleeper.fetchVal("SELECT clock_timestamp()"));
        Future<Object> sleep = sleeper.fetchVal("SELECT pg_sleep(60)");
        awaitRunning(sleeper.serverPid());
        assertTrue(sleep.cancel());
        assertTrue(sleep.isCancelled());
        assertFails(CancellationException.class, sleep);
        Future<Object> next = sleeper.fetchVal("SELECT clock_timestamp()");
        OffsetDateTime end = (OffsetDateTime) assertCompletes(Async.waitFor(next, Duration.ofSeconds(50)));
        assertTrue(Duration.between(start, end).toSeconds() < 50, "the sleep was cancelled on the server: " + start
                + " to " + end);
        assertEquals(1, assertCompletes(sleeper.fetchVal("SELECT 1")));
        assertFalse(sleeper.isClosed());
        assertCompletes(sleeper.closeAsync());
    }

    @Test
    void cancellingAQueryNotYetWrittenNeverSendsIt() {
        Future<String> insert = conn.execute("INSERT INTO items VALUES ($1, 'never')", 1);
        Future<Object> count = conn.fetchVal("SELECT count(*) FROM items");
        assertTrue(insert.cancel());
        assertEquals(0L, assertCompletes(count));
        assertTrue(insert.isCancelled());
    }

    @Test
    void theCommandTimeoutFailsTheQueryCancelsItAndKeepsTheConnection() {
        PgConnection timed = connect(PgOptions.defaults().commandTimeout(Duration.ofMillis(300)));
        try {
            TimeoutException e = assertFails(TimeoutException.class, timed.fetchVal("SELECT pg_sleep(60)"));
            assertTrue(e.getMessage().contains("PgOptions.commandTimeout"), e.getMessage());
            assertEquals(1, assertCompletes(Async.waitFor(timed.fetchVal("SELECT 1"), Duration.ofSeconds(50))));
            assertFalse(timed.isClosed());
        } finally {
            assertCompletes(timed.closeAsync());
        }
    }

    @Test
    void closeWaitsForTheQueriesAlreadyIssued() {
        Future<Object> issued = conn.fetchVal("SELECT 42");
        Future<Void> closing = conn.closeAsync();
        assertEquals(42, assertCompletes(issued));
        assertCompletes(closing);
        assertTrue(conn.isClosed());
    }

    @Test
    void terminateFailsWhatIsWaitingNamingTheServer() {
        PgConnection other = connect(PgOptions.defaults());
        Future<Object> waiting = other.fetchVal("SELECT pg_sleep(60)");
        other.terminate();
        PgConnectionException e = assertFails(PgConnectionException.class, waiting);
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port), e.getMessage());
    }

    @Test
    void aBackendKilledByTheServerFailsItsQueryWithTheServersReason() {
        PgConnection victim = connect(PgOptions.defaults());
        Future<Object> running = victim.fetchVal("SELECT pg_sleep(60)");
        Future<Object> behind = victim.fetchVal("SELECT 1");
        awaitRunning(victim.serverPid());
        assertEquals(true, assertCompletes(conn.fetchVal("SELECT pg_terminate_backend($1)", victim.serverPid())));
        PgException e = assertFails(PgException.class, running);
        assertEquals("57P01", e.sqlState());
        PgConnectionException lost = assertFails(PgConnectionException.class, behind);
        assertTrue(lost.getMessage().contains("closed by the server"), lost.getMessage());
        assertTrue(victim.isClosed());
        assertFails(PgConnectionException.class, victim.fetchVal("SELECT 1"));
    }
}
