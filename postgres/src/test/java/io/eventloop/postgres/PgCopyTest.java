package io.eventloop.postgres;

import static io.eventloop.postgres.PgExecuteManyTest.awaitTrue;
import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.AsyncFiles;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY against a real server: records in the binary format (every type, quoted names, schemas),
 * raw data in and out (CSV round trip, files), the failures (a missing table, a bad value before
 * and after the first chunk, a unique violation, a failing source, a cancellation: nothing
 * applied and the connection usable), a large asynchronous source with back-pressure, and a slow
 * sink holding the server back.
 */
@EventLoopTest
class PgCopyTest extends PgServerCase {
    private PgConnection conn;

    @BeforeEach
    void connect(EventLoop loop) {
        conn = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.execute("DROP TABLE IF EXISTS items, copied, every, big; DROP SCHEMA IF EXISTS \"Odd Schema\" CASCADE;"
                + " CREATE TABLE items (id int PRIMARY KEY, name text, price numeric);"
                + " CREATE TABLE copied (id int PRIMARY KEY, name text, price numeric);"
                + " CREATE TABLE big (id int PRIMARY KEY, name text); " + BulkData.EVERY_TYPE));
    }

    @AfterEach
    void close() {
        assertCompletes(conn.closeAsync());
    }

    private long count(String table) {
        return (Long) assertCompletes(conn.fetchVal("SELECT count(*) FROM " + table));
    }

    /** An asynchronous source of {@code n} records made as they are asked for, each ready at once. */
    private static AsyncIterator<Object[]> records(int n, java.util.function.IntFunction<Object[]> record) {
        int[] i = {0};
        return () -> Async.completed(i[0] < n ? Optional.of(record.apply(i[0]++)) : Optional.empty());
    }

    /** A sink collecting what it is given. */
    private static Function<ByteBuffer, Future<?>> collect(ByteArrayOutputStream into) {
        return PgCopy.toChannel(Channels.newChannel(into));
    }

    @Test
    void copiesRecordsAndReturnsTheTag() {
        Future<String> tag = conn.copyRecordsToTable("items",
                List.of(new Object[] {1, "tea"}, List.of(2, "coffee")),
                CopyOptions.defaults().columns("id", "name"));
        assertEquals("COPY 2", assertCompletes(tag));
        assertEquals("COPY 1", assertCompletes(conn.copyRecordsToTable("items",
                List.of(List.of(3, "cocoa", new java.math.BigDecimal("4.50"))))));
        List<Row> rows = assertCompletes(conn.fetch("SELECT id, name, price FROM items ORDER BY id"));
        assertEquals(List.of("tea", "coffee", "cocoa"), rows.stream().map(r -> r.getString("name")).toList());
        assertEquals(new java.math.BigDecimal("4.50"), rows.get(2).get("price"));
    }

    @Test
    void roundTripsEveryTypeWithNullsArraysAndExtremes() {
        List<Object[]> rows = BulkData.everyType();
        assertEquals("COPY 4", assertCompletes(conn.copyRecordsToTable("every", rows)));
        BulkData.assertSame(rows, assertCompletes(conn.fetch("SELECT * FROM every ORDER BY id")));
    }

    @Test
    void namesAreQuotedIdentifiersWithASchema() {
        assertCompletes(conn.execute("CREATE SCHEMA \"Odd Schema\"; CREATE TABLE \"Odd Schema\".\"It's \"\"a.b\"\"\""
                + " (\"Id\" int, \"na me\" text)"));
        CopyOptions options = CopyOptions.defaults().schema("Odd Schema").columns("na me", "Id");
        assertEquals("COPY 1", assertCompletes(conn.copyRecordsToTable("It's \"a.b\"", List.of(List.of("x", 1)), options)));
        assertEquals("x", assertCompletes(conn.fetchVal("SELECT \"na me\" FROM \"Odd Schema\".\"It's \"\"a.b\"\"\"")));
        PgException e = assertFails(PgException.class, conn.copyRecordsToTable("items; DROP TABLE items", List.of()));
        assertEquals("42P01", e.sqlState(), "the name is one identifier, never SQL");
        assertEquals(0L, count("items"));
    }

    @Test
    void runsInItsPlaceAmongPipelinedQueries() {
        Future<String> before = conn.execute("INSERT INTO big VALUES ($1, $2)", -1, "before");
        Future<String> copy = conn.copyRecordsToTable("big", BulkData.generated(30_000,
                i -> new Object[] {i, BulkData.filler(i)}));
        Future<Object> after = conn.fetchVal("SELECT count(*) FROM big");
        Future<String> out = conn.copyFromQuery("SELECT count(*) FROM big", PgCopy.toChannel(Channels.newChannel(
                new ByteArrayOutputStream())));
        Future<Object> last = conn.fetchVal("SELECT max(id) FROM big");
        assertEquals("COPY 30000", assertCompletes(copy));
        assertTrue(before.isDone(), "the query issued before it was answered before it");
        assertEquals(30_001L, assertCompletes(after), "the query issued after it saw every record");
        assertEquals("COPY 1", assertCompletes(out));
        assertEquals(29_999, assertCompletes(last));
    }

    @Test
    void aMissingTableFailsClearlyAndTheConnectionGoesOn() {
        Future<String> records = conn.copyRecordsToTable("nope", List.of(List.of(1)));
        Future<String> raw = conn.copyToTable("nope", List.of("1\n".getBytes(UTF_8)), CopyOptions.defaults());
        Future<Object> after = conn.fetchVal("SELECT 1");
        assertEquals("42P01", assertFails(PgException.class, records).sqlState());
        assertEquals("42P01", assertFails(PgException.class, raw).sqlState());
        assertEquals(1, assertCompletes(after));
    }

    @Test
    void aBadValueFoundBeforeTheFirstChunkSendsNothing() {
        assertCompletes(conn.copyRecordsToTable("items", List.of())); // described
        long writes = conn.protocol().writes;
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, conn.copyRecordsToTable("items",
                List.of(List.of(1, "a", 1), List.of("two", "b", 2))));
        assertTrue(e.getMessage().startsWith("record 1 for COPY \"items\" FROM STDIN: column \"id\""), e.getMessage());
        assertEquals(writes, conn.protocol().writes, "nothing was written");
        e = assertFails(IllegalArgumentException.class, conn.copyRecordsToTable("items", List.of(List.of(1, "a"))));
        assertTrue(e.getMessage().contains("record 0") && e.getMessage().contains("2 values for 3 columns"), e.getMessage());
        assertEquals(0L, count("items"));
    }

    @Test
    void aBadValueFoundAfterChunksWereWrittenEndsTheCopyWithCopyFail() {
        int bad = 150_000;
        Future<String> copy = conn.copyRecordsToTable("big", BulkData.generated(bad + 10,
                i -> new Object[] {i == bad ? "NaN" : (Object) i, BulkData.filler(i)}));
        IllegalArgumentException e = assertFails(IllegalArgumentException.class, copy);
        assertTrue(e.getMessage().startsWith("record 150000 for COPY \"big\" FROM STDIN: column \"id\""), e.getMessage());
        assertEquals(0L, count("big"));
        assertEquals('I', conn.transactionStatus());
    }

    @Test
    void aUniqueViolationAppliesNothing() {
        PgException e = assertFails(PgException.class, conn.copyRecordsToTable("items",
                List.of(List.of(1, "a", 1), List.of(2, "b", 2), List.of(1, "again", 3))));
        assertEquals("23505", e.sqlState());
        assertTrue(e.fields().get('W').contains("COPY items, line 3"), e.fields().toString());
        assertEquals(0L, count("items"));
        PgException text = assertFails(PgException.class, conn.copyToTable("items",
                List.of("1\ta\t1\n2\tb\tnot a number\n".getBytes(UTF_8)), CopyOptions.defaults()));
        assertEquals("22P02", text.sqlState());
        assertTrue(text.fields().get('W').contains("line 2"), text.fields().toString());
        assertEquals(0L, count("items"));
    }

    @Test
    void twoHundredThousandRecordsStreamFromAnAsyncSourceInBoundedMemory() {
        assertCompletes(conn.copyRecordsToTable("big", List.of())); // described before the table is locked
        PgConnection locker = assertCompletes(PgConnection.connect(server.uri()));
        try {
            assertCompletes(locker.execute("BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"));
            AsyncIterator<Object[]> source = records(200_000, i -> new Object[] {i, BulkData.filler(i)});
            Future<String> copy = conn.copyRecordsToTable("big", source, CopyOptions.defaults());
            BulkWriter writer = conn.protocol().bulk;
            awaitTrue(() -> writer.pauses > 0); // the server waits for the lock: its socket is full
            assertFalse(copy.isDone());
            assertCompletes(locker.execute("COMMIT"));
            assertEquals("COPY 200000", assertCompletes(copy));
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
    void aFailingSourceEndsTheCopyWithCopyFail() {
        int[] i = {0};
        AsyncIterator<Object[]> failing = () -> i[0] < 50_000 ? Async.completed(Optional.of(new Object[] {i[0]++, "x"}))
                : Async.failed(new IllegalStateException("the source broke"));
        boolean[] closed = {false};
        AsyncIterator<Object[]> source = new AsyncIterator<>() {
            @Override
            public Future<Optional<Object[]>> next() {
                return failing.next();
            }

            @Override
            public Future<Void> closeAsync() {
                closed[0] = true;
                return Async.completed(null);
            }
        };
        IllegalStateException e = assertFails(IllegalStateException.class, conn.copyRecordsToTable("big", source,
                CopyOptions.defaults()));
        assertEquals("the source broke", e.getMessage());
        assertTrue(closed[0], "the source was closed");
        assertEquals(0L, count("big"));
    }

    @Test
    void cancellingWhileTheSourceWaitsEndsTheCopyWithCopyFail(EventLoop loop) {
        Future<Optional<Object[]>> never = loop.createFuture();
        int[] i = {0};
        AsyncIterator<Object[]> source = () -> i[0] < 1000 ? Async.completed(Optional.of(new Object[] {i[0]++, "x"})) : never;
        Future<String> copy = conn.copyRecordsToTable("big", source, CopyOptions.defaults());
        Future<Object> after = conn.fetchVal("SELECT count(*) FROM big");
        awaitTrue(() -> conn.protocol().bulk.streaming != null && conn.protocol().writes > 2);
        assertFalse(after.isDone(), "the query issued after the COPY waits for it");
        copy.cancel();
        assertFails(CancellationException.class, copy);
        assertTrue(never.isCancelled(), "the element it waited for was cancelled");
        assertEquals(0L, assertCompletes(after));
        assertEquals('I', conn.transactionStatus());
    }

    @Test
    void copiesInAndOutInCsv() {
        assertCompletes(conn.execute("INSERT INTO items SELECT g, 'item, \"' || g || '\"', g / 4.0 FROM generate_series(1, 1000) g;"
                + " INSERT INTO items VALUES (0, NULL, NULL)"));
        CopyOptions csv = CopyOptions.defaults().format(CopyOptions.Format.CSV).header(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Future<String> copiedOut = conn.copyFromTable("items", PgCopy.toChannel(Channels.newChannel(out)), csv);
        Future<String> copiedIn = copiedOut.then(tag ->
                conn.copyToTable("copied", List.of(out.toByteArray()), csv));
        assertEquals("COPY 1001", assertCompletes(copiedIn));
        assertTrue(out.toString(UTF_8).startsWith("id,name,price\n"), out.toString(UTF_8).substring(0, 40));
        assertEquals(0L, assertCompletes(conn.fetchVal("SELECT count(*) FROM (SELECT * FROM items EXCEPT SELECT * FROM copied"
                + " UNION ALL SELECT * FROM copied EXCEPT SELECT * FROM items) d")));
        assertEquals(1L, assertCompletes(conn.fetchVal("SELECT count(*) FROM copied WHERE name IS NULL")));
    }

    @Test
    void copiesRawDataSplitAnywhereAndThroughFiles(@TempDir Path dir) throws IOException {
        byte[] text = "1\tone\t1.5\n2\ttwo\t\\N\n".getBytes(UTF_8);
        List<ByteBuffer> pieces = new ArrayList<>();
        for (byte b : text) {
            pieces.add(ByteBuffer.wrap(new byte[] {b})); // a row spans many CopyData messages
        }
        assertEquals("COPY 2", assertCompletes(conn.copyToTable("items", pieces, CopyOptions.defaults())));
        Path file = dir.resolve("items.bin");
        CopyOptions binary = CopyOptions.defaults().format(CopyOptions.Format.BINARY);
        assertEquals("COPY 2", assertCompletes(Async.using(AsyncFiles.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), f -> conn.copyFromTable("items", PgCopy.toFile(f), binary))));
        assertTrue(Files.size(file) > 19);
        assertEquals("COPY 2", assertCompletes(Async.using(AsyncFiles.open(file), f ->
                conn.copyToTable("copied", PgCopy.fromFile(f), binary))));
        assertEquals(List.of("one", "two"), assertCompletes(conn.fetch("SELECT name FROM copied ORDER BY id")).stream()
                .map(r -> r.getString("name")).toList());
    }

    @Test
    void copyFromQueryTakesArgumentsAsLiteralsTheServerQuotes() {
        assertCompletes(conn.execute("INSERT INTO items VALUES (1, 'it''s', 1), (2, '$1', 2), (3, 'c', NULL)"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Future<String> tag = conn.copyFromQuery("SELECT id, name FROM items WHERE name <> $2 AND id >= $1 ORDER BY id",
                PgCopy.toChannel(Channels.newChannel(out)), 1, "it's");
        assertEquals("COPY 2", assertCompletes(tag));
        assertEquals("2\t$1\n3\tc\n", out.toString(UTF_8));
        assertEquals("SELECT '$1', 'x' /* $1 */, \"$1\", $q$ $1 $q$, E'\\' $1', 5 -- $1\n",
                CopyQuery.substitute("SELECT '$1', $1 /* $1 */, \"$1\", $q$ $1 $q$, E'\\' $1', $2 -- $1\n",
                        List.of("'x'", "5")));
        assertThrows(IllegalArgumentException.class, () -> CopyQuery.substitute("SELECT $3", List.of("1")));
        out.reset();
        assertEquals("COPY 1", assertCompletes(conn.copyFromQuery("SELECT $1::int, $2::text", PgCopy.toChannel(
                Channels.newChannel(out)), null, "a\tb")));
        assertEquals("\\N\ta\\tb\n", out.toString(UTF_8));
    }

    @Test
    void aSlowSinkStopsTheConnectionReading(EventLoop loop) {
        List<Future<Void>> pending = new ArrayList<>();
        boolean[] keepUp = {false};
        Function<ByteBuffer, Future<Void>> sink = chunk -> {
            if (keepUp[0]) {
                return Async.completed(null);
            }
            Future<Void> taken = loop.createFuture(); // completed when the consumer has taken the chunk
            pending.add(taken);
            return taken;
        };
        Future<String> copy = conn.copyFromQuery("SELECT g, repeat('x', 100) FROM generate_series(1, 100000) g", sink);
        awaitTrue(() -> pending.size() == 1);
        runIterations(loop, 20);
        assertEquals(1, pending.size(), "no more data while the sink is busy");
        assertFalse(conn.protocol().transport.isReading(), "the socket is not read");
        for (int n = 1; n <= 3; n++) {
            pending.get(n - 1).complete(null);
            int want = n + 1;
            awaitTrue(() -> pending.size() >= want);
            runIterations(loop, 5);
            assertEquals(want, pending.size(), "one chunk per completed write");
        }
        assertFalse(copy.isDone());
        keepUp[0] = true; // from here on the sink keeps up: the rest of the rows arrive
        pending.get(3).complete(null);
        assertEquals("COPY 100000", assertCompletes(copy));
        assertTrue(conn.protocol().transport.isReading());
    }

    @Test
    void aFailingSinkCancelsTheCopyAndTheConnectionGoesOn() {
        int[] calls = {0};
        Future<String> copy = conn.copyFromQuery("SELECT g FROM generate_series(1, 10000000) g", chunk -> {
            if (++calls[0] == 1000) {
                throw new IllegalStateException("disk full");
            }
            return Async.completed(null);
        });
        assertEquals("disk full", assertFails(IllegalStateException.class, copy).getMessage());
        assertEquals(1000, calls[0], "the sink is not called after it failed");
        assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1")));
        calls[0] = 0;
        Future<String> failed = conn.copyFromQuery("SELECT g FROM generate_series(1, 10000000) g", chunk ->
                ++calls[0] == 10 ? Async.failed(new IllegalStateException("refused")) : Async.completed(null));
        assertEquals("refused", assertFails(IllegalStateException.class, failed).getMessage());
        assertEquals(10, calls[0], "nor after its future failed");
        assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1")), "written once the CancelRequest is settled");
        assertEquals('I', conn.transactionStatus());
    }

    @Test
    void cancellingACopyOutWhileItsSinkIsBusyLeavesTheConnectionUsable(EventLoop loop) {
        Future<Void> busy = loop.createFuture(); // never completed
        int[] calls = {0};
        Future<String> copy = conn.copyFromQuery("SELECT g FROM generate_series(1, 10000000) g", chunk -> {
            calls[0]++;
            return busy;
        });
        awaitTrue(() -> calls[0] == 1);
        copy.cancel();
        assertFails(CancellationException.class, copy);
        assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1")), "the COPY was cancelled on the server");
        assertEquals(1, calls[0], "the sink is not called after the cancellation");
    }

    @Test
    void aTableChangedAfterItWasDescribedIsDescribedAgain() {
        assertCompletes(conn.copyRecordsToTable("copied", List.of(List.of(1, "a", 1))));
        assertCompletes(conn.execute("ALTER TABLE copied ADD COLUMN extra text"));
        PgException e = assertFails(PgException.class, conn.copyRecordsToTable("copied", List.of(List.of(2, "b", 2))));
        assertEquals("22P04", e.sqlState(), "three values for four columns: the old description");
        assertEquals("COPY 1", assertCompletes(conn.copyRecordsToTable("copied", List.of(List.of(2, "b", 2, "x")))));
    }

    @Test
    void bulkWritesAndASlowSinkWorkOverTls(EventLoop loop) throws IOException {
        try (PgServer tls = PgServer.start(true)) {
            PgConnection secure = assertCompletes(PgConnection.connect(tls.uri() + "?sslmode=require"));
            try {
                assertCompletes(secure.execute("CREATE TABLE big (id int PRIMARY KEY, name text)"));
                assertCompletes(secure.executeMany("INSERT INTO big VALUES ($1, $2)",
                        BulkData.generated(50_000, i -> new Object[] {i, BulkData.filler(i)})));
                assertEquals("COPY 50000", assertCompletes(secure.copyRecordsToTable("big",
                        records(50_000, i -> new Object[] {50_000 + i, BulkData.filler(i)}), CopyOptions.defaults())));
                List<Future<Void>> pending = new ArrayList<>();
                boolean[] keepUp = {false};
                Future<String> copy = secure.copyFromTable("big", chunk -> {
                    if (keepUp[0]) {
                        return Async.completed(null);
                    }
                    Future<Void> taken = loop.createFuture();
                    pending.add(taken);
                    return taken;
                }, CopyOptions.defaults());
                awaitTrue(() -> pending.size() == 1);
                runIterations(loop, 20);
                assertEquals(1, pending.size(), "no more data while the sink is busy, TLS records or not");
                assertFalse(secure.protocol().transport.isReading());
                keepUp[0] = true;
                pending.get(0).complete(null);
                assertEquals("COPY 100000", assertCompletes(copy));
            } finally {
                assertCompletes(secure.closeAsync());
            }
        }
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> conn.copyFromQuery("SELECT 1",
                CopyOptions.defaults().columns("a"), collect(new ByteArrayOutputStream())));
        assertThrows(IllegalArgumentException.class, () -> conn.copyToTable("items", List.of(),
                CopyOptions.defaults().forceQuote("id")));
        assertThrows(IllegalArgumentException.class, () -> CopyOptions.defaults().columns(""));
        assertEquals(" (FORMAT csv, DELIMITER ';', NULL E'\\\\N', QUOTE '''')",
                CopyOptions.defaults().format(CopyOptions.Format.CSV).delimiter(";").nullString("\\N").quote("'")
                        .toString().substring("CopyOptions".length()));
    }
}
