package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * executeMany against a real server: every type, atomicity (a failing row, a bad argument before
 * and after the first chunk, a cancellation: nothing applied), its place in the pipeline, and a
 * large input written with back-pressure in bounded memory.
 */
@EventLoopTest
class PgExecuteManyTest extends PgServerCase {
    private PgConnection conn;

    @BeforeEach
    void connect(EventLoop loop) {
        conn = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.execute("DROP TABLE IF EXISTS items, every, big;"
                + " CREATE TABLE items (id int PRIMARY KEY, name text);"
                + " CREATE TABLE big (id int PRIMARY KEY, name text); " + BulkData.EVERY_TYPE));
    }

    @AfterEach
    void close() {
        assertCompletes(conn.closeAsync());
    }

    private long count(String table) {
        return (Long) assertCompletes(conn.fetchVal("SELECT count(*) FROM " + table));
    }

    /** Runs the loop (sleeping 10 ms between checks, at most 50 s) until {@code condition} holds. */
    static void awaitTrue(BooleanSupplier condition) {
        assertCompletes(Async.waitFor(Async.repeat(() -> condition.getAsBoolean() ? Async.completed(false)
                : Async.sleep(Duration.ofMillis(10), true)), Duration.ofSeconds(50)));
    }

    @Test
    void insertsEveryRowAndCompletesWithNull() {
        Future<Void> done = conn.executeMany("INSERT INTO items (id, name) VALUES ($1, $2)",
                List.of(new Object[] {1, "tea"}, new Object[] {2, "coffee"}, List.of(3, "cocoa")));
        assertNull(assertCompletes(done));
        List<Row> rows = assertCompletes(conn.fetch("SELECT id, name FROM items ORDER BY id"));
        assertEquals(List.of("tea", "coffee", "cocoa"), rows.stream().map(r -> r.getString("name")).toList());
    }

    @Test
    void roundTripsEveryTypeWithNullsArraysAndExtremes() {
        List<Object[]> rows = BulkData.everyType();
        String placeholders = String.join(", ", java.util.stream.IntStream.rangeClosed(1, rows.get(0).length)
                .mapToObj(i -> "$" + i).toList());
        assertCompletes(conn.executeMany("INSERT INTO every VALUES (" + placeholders + ")", rows));
        BulkData.assertSame(rows, assertCompletes(conn.fetch("SELECT * FROM every ORDER BY id")));
    }

    @Test
    void aFailingRowAppliesNoneAndNamesTheRow() {
        assertCompletes(conn.execute("INSERT INTO items VALUES (5, 'five')"));
        PgException e = assertFails(PgException.class, conn.executeMany("INSERT INTO items VALUES ($1, $2)",
                List.of(new Object[] {1, "a"}, new Object[] {2, "b"}, new Object[] {5, "again"}, new Object[] {6, "c"})));
        assertEquals("23505", e.sqlState());
        assertTrue(e.getMessage().contains("row 2 of executeMany INSERT INTO items"), e.getMessage());
        assertEquals(1L, count("items"), "rows 0 and 1 were rolled back with row 2");
        assertEquals('I', conn.transactionStatus());
    }

    @Test
    void aBadArgumentFoundBeforeTheFirstChunkSendsNothing() {
        assertCompletes(conn.executeMany("INSERT INTO items VALUES ($1, $2)", List.of())); // prepared
        long writes = conn.protocol().writes;
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.executeMany(
                "INSERT INTO items VALUES ($1, $2)", List.of(new Object[] {1, "a"}, new Object[] {"two", "b"})));
        assertTrue(e.getMessage().startsWith("row 1 of executeMany INSERT INTO items VALUES ($1, $2): argument $1"),
                e.getMessage());
        assertEquals(writes, conn.protocol().writes, "nothing was written");
        assertEquals(0L, count("items"));
    }

    @Test
    void aRowWithTheWrongNumberOfArgumentsIsNamed() {
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.executeMany(
                "INSERT INTO items VALUES ($1, $2)", List.of(new Object[] {1, "a"}, new Object[] {2})));
        assertTrue(e.getMessage().contains("row 1 of executeMany") && e.getMessage().contains("1 argument for 2 parameters"),
                e.getMessage());
        e = assertFails(IllegalArgumentException.class, conn.executeMany("INSERT INTO items VALUES ($1, $2)",
                Arrays.asList(new Object[] {1, "a"}, null)));
        assertTrue(e.getMessage().contains("row 1 of executeMany INSERT INTO items VALUES ($1, $2) is null"), e.getMessage());
        assertEquals(0L, count("items"));
    }

    @Test
    void aBadArgumentFoundAfterChunksWereWrittenRollsBackTheRowsSent() {
        int bad = 100_000;
        Future<Void> many = conn.executeMany("INSERT INTO big VALUES ($1, $2)", BulkData.generated(bad + 10,
                i -> new Object[] {i == bad ? "not a number" : (Object) i, BulkData.filler(i)}));
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, many);
        assertTrue(e.getMessage().startsWith("row 100000 of executeMany INSERT INTO big VALUES ($1, $2): argument $1"),
                e.getMessage());
        assertTrue(conn.protocol().writes > 2, "chunks were written before the bad row was found");
        assertEquals(0L, count("big"), "the rows written were rolled back");
        assertEquals('I', conn.transactionStatus());
    }

    @Test
    void aRowOverMaxMessageSizeIsNamedAndNothingIsApplied() {
        PgConnection small = assertCompletes(PgConnection.connect(server.uri(), PgOptions.defaults().maxMessageSize(1024)));
        try {
            IllegalArgumentException e = assertFails(IllegalArgumentException.class, small.executeMany(
                    "INSERT INTO items VALUES ($1, $2)", List.of(new Object[] {1, "a"}, new Object[] {2, "x".repeat(2000)})));
            assertTrue(e.getMessage().contains("row 1 of executeMany") && e.getMessage().contains("PgOptions.maxMessageSize"),
                    e.getMessage());
            assertEquals(0L, count("items"));
        } finally {
            assertCompletes(small.closeAsync());
        }
    }

    @Test
    void runsInItsPlaceAmongPipelinedQueries(EventLoop loop) {
        Future<String> before = conn.execute("INSERT INTO big VALUES ($1, $2)", -1, "before");
        Future<Void> many = conn.executeMany("INSERT INTO big VALUES ($1, $2)",
                BulkData.generated(20_000, i -> new Object[] {i, BulkData.filler(i)}));
        Future<Object> after = conn.fetchVal("SELECT count(*) FROM big");
        assertCompletes(many);
        assertEquals("INSERT 0 1", assertCompletes(before));
        assertEquals(20_001L, assertCompletes(after), "the count was written after the last row");
        // a query issued while the rows are being written waits for their Sync
        Future<Void> second = conn.executeMany("INSERT INTO big VALUES ($1, $2)",
                BulkData.generated(20_000, i -> new Object[] {100_000 + i, BulkData.filler(i)}));
        runIterations(loop, 1); // its first turn: a few chunks of its 2 MiB
        assertTrue(conn.protocol().bulk.streaming != null, "still being written");
        Future<Object> during = conn.fetchVal("SELECT count(*) FROM big");
        assertCompletes(second);
        assertEquals(40_001L, assertCompletes(during));
    }

    @Test
    void insideATransactionAFailingRowFailsTheTransaction() {
        assertCompletes(conn.execute("BEGIN"));
        assertCompletes(conn.execute("INSERT INTO items VALUES (1, 'one')"));
        assertFails(PgException.class, conn.executeMany("INSERT INTO items VALUES ($1, $2)",
                List.of(new Object[] {2, "two"}, new Object[] {1, "again"})));
        assertEquals('E', conn.transactionStatus());
        assertCompletes(conn.execute("ROLLBACK"));
        assertEquals(0L, count("items"));
    }

    @Test
    void twoHundredThousandRowsAreWrittenWithBackPressureInBoundedMemory() {
        String insert = "INSERT INTO big VALUES ($1, $2)";
        assertCompletes(conn.executeMany(insert, List.of())); // prepared before the table is locked
        PgConnection locker = assertCompletes(PgConnection.connect(server.uri()));
        try {
            assertCompletes(locker.execute("BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"));
            // the server waits for the lock and stops reading: the socket fills, then the transport's buffer
            Future<Void> many = conn.executeMany(insert, BulkData.generated(200_000, i -> new Object[] {i, BulkData.filler(i)}));
            BulkWriter writer = conn.protocol().bulk;
            awaitTrue(() -> writer.pauses > 0);
            long writtenWhilePaused = conn.protocol().writes;
            assertEquals(writtenWhilePaused, conn.protocol().writes);
            assertCompletes(locker.execute("COMMIT"));
            assertCompletes(many);
            int high = conn.protocol().transport.writeBufferHighWaterMark();
            assertTrue(writer.maxWriteBuffer <= high + 2L * BulkWriter.CHUNK,
                    "the transport buffered at most " + writer.maxWriteBuffer + " bytes");
            assertTrue(writer.maxBatch <= BulkWriter.CHUNK + 1024, "a chunk is about " + writer.maxBatch + " bytes");
            assertEquals(200_000L, count("big"));
        } finally {
            assertCompletes(locker.closeAsync());
        }
    }

    @Test
    void cancellingWhileRowsAreBeingWrittenAppliesNothing() {
        String insert = "INSERT INTO big VALUES ($1, $2)";
        assertCompletes(conn.executeMany(insert, List.of()));
        PgConnection locker = assertCompletes(PgConnection.connect(server.uri()));
        try {
            assertCompletes(locker.execute("BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"));
            Future<Void> many = conn.executeMany(insert, BulkData.generated(200_000, i -> new Object[] {i, BulkData.filler(i)}));
            awaitTrue(() -> conn.protocol().bulk.pauses > 0);
            Future<Object> after = conn.fetchVal("SELECT count(*) FROM big");
            many.cancel();
            assertFails(CancellationException.class, many);
            assertTrue(conn.protocol().bulk.streaming == null, "the exchange was ended at once");
            assertCompletes(locker.execute("COMMIT"));
            assertEquals(0L, assertCompletes(after), "nothing was applied, and the connection goes on");
            assertEquals('I', conn.transactionStatus());
        } finally {
            assertCompletes(locker.closeAsync());
        }
    }

    @Test
    void anEmptyInputCompletesInOrder() {
        Future<String> first = conn.execute("INSERT INTO items VALUES (1, 'one')");
        Future<Void> none = conn.executeMany("INSERT INTO items VALUES ($1, $2)", List.of());
        assertNull(assertCompletes(none));
        assertTrue(first.isDone(), "the query before it was answered first");
    }

    @Test
    void aStatementThatDoesNotPrepareFailsWithTheServersError() {
        PgException e = assertFails(PgException.class, conn.executeMany("INSERT INTO nope VALUES ($1)",
                List.of(new Object[] {1})));
        assertEquals("42P01", e.sqlState());
        assertEquals(0L, count("items"));
    }
}
