package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.postgres.PgTransaction.Isolation;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions against a real server: commit, rollback on a failure and on a cancellation (of the
 * body's future and of the returned one: the running query is cancelled on the server first),
 * savepoints, failures at COMMIT (serialization, a deferred constraint, a block a statement had
 * aborted), the options, the manual form, and misuse. After each, the rows say what happened and
 * {@code transactionStatus()} is back to {@code 'I'}.
 */
@EventLoopTest
class PgTransactionTest extends PgServerCase {
    private PgConnection conn;
    private PgConnection other;

    @BeforeEach
    void connect() {
        conn = assertCompletes(PgConnection.connect(server.uri()));
        other = assertCompletes(PgConnection.connect(server.uri()));
        assertCompletes(conn.execute("DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id int PRIMARY KEY,"
                + " balance int NOT NULL); INSERT INTO accounts VALUES (1, 100), (2, 0)"));
    }

    @AfterEach
    void close() {
        assertCompletes(conn.closeAsync());
        assertCompletes(other.closeAsync());
    }

    /** The balances, read on the other connection: what was committed. */
    private List<Object> balances() {
        return assertCompletes(other.fetch("SELECT balance FROM accounts ORDER BY id")).stream()
                .map(r -> r.get(0)).toList();
    }

    /** The connection is out of any transaction block and runs queries. */
    private void assertIdleAndUsable(PgConnection c) {
        assertEquals('I', c.transactionStatus());
        assertEquals(1, assertCompletes(c.fetchVal("SELECT 1")));
        assertEquals('I', c.transactionStatus());
    }

    /** Waits, through the other connection, until the backend {@code pid} runs a query. */
    private void awaitRunning(int pid) {
        PgServer.awaitSleeping(other, pid);
    }

    @Test
    void aBodyThatSucceedsIsCommittedAndItsValueReturned() {
        int amount = 30;
        Future<String> moved = conn.transaction(c ->
                c.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, 1)
                        .then(tag -> c.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", amount, 2)));
        assertEquals("UPDATE 1", assertCompletes(moved));
        assertEquals(List.of(70, 30), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aBodyThatFailsIsRolledBackAndItsFailureIsWhatTheCallerSees() {
        Future<String> failed = conn.transaction(c ->
                c.execute("UPDATE accounts SET balance = balance - 30 WHERE id = 1")
                        .then(tag -> c.execute("UPDATE accounts SET balance = balance - 200 WHERE id = 1"))
                        .then(tag -> c.fetchVal("SELECT balance FROM accounts WHERE id = 1"))
                        .map(balance -> {
                            if ((Integer) balance < 0) {
                                throw new IllegalStateException("overdrawn: " + balance);
                            }
                            return "ok";
                        }));
        IllegalStateException e = assertFails(IllegalStateException.class, failed);
        assertEquals("overdrawn: -130", e.getMessage());
        assertEquals(0, e.getSuppressed().length, "the ROLLBACK succeeded");
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aFailingStatementRollsBackWithTheServersError() {
        Future<String> failed = conn.transaction(c ->
                c.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
                        .then(tag -> c.execute("INSERT INTO accounts VALUES (2, 5)")));
        assertEquals("23505", assertFails(PgException.class, failed).sqlState());
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aBodyThatThrowsBeforeReturningAFutureIsRolledBack() {
        Future<Object> failed = conn.transaction(c -> {
            c.execute("UPDATE accounts SET balance = 0 WHERE id = 1");
            throw new java.io.IOException("checked, thrown by the body itself");
        });
        assertEquals("checked, thrown by the body itself", assertFails(java.io.IOException.class, failed).getMessage());
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void cancellingTheBodysFutureCancelsTheRunningQueryOnTheServerThenRollsBack() {
        OffsetDateTime start = (OffsetDateTime) assertCompletes(conn.fetchVal("SELECT clock_timestamp()"));
        AtomicReference<Future<Object>> body = new AtomicReference<>();
        Future<Object> tx = conn.transaction(c -> {
            body.set(c.execute("UPDATE accounts SET balance = 0 WHERE id = 1").then(tag -> c.fetchVal("SELECT pg_sleep(60)")));
            return body.get();
        });
        awaitRunning(conn.serverPid());
        assertTrue(body.get().cancel());
        assertFails(CancellationException.class, tx);
        assertTrue(tx.isCancelled());
        assertEquals('I', conn.transactionStatus(), "rolled back before the returned future ended");
        OffsetDateTime end = (OffsetDateTime) assertCompletes(conn.fetchVal("SELECT clock_timestamp()"));
        assertTrue(Duration.between(start, end).toSeconds() < 50, "the sleep was cancelled on the server");
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void cancellingTheReturnedFutureCancelsTheRunningQueryRollsBackThenEndsCancelled() {
        Future<Object> tx = conn.transaction(c -> c.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
                .then(tag -> c.fetchVal("SELECT pg_sleep(60)")));
        awaitRunning(conn.serverPid());
        assertTrue(tx.cancel("enough"));
        assertFalse(tx.isDone(), "it ends once the ROLLBACK has run, not at once");
        CancellationException e = assertFails(CancellationException.class, tx);
        assertEquals("enough", e.getMessage());
        assertEquals('I', conn.transactionStatus());
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void cancellingBeforeTheBeginIsAnsweredNeverRunsTheBodyAndRollsBackBehindTheBegin() {
        List<String> ran = new java.util.ArrayList<>();
        Future<String> tx = conn.transaction(c -> {
            ran.add("body");
            return c.execute("UPDATE accounts SET balance = 0");
        });
        assertTrue(tx.cancel());
        assertFails(CancellationException.class, tx);
        assertEquals(List.of(), ran);
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aTimeoutAroundTheTransactionRollsItBack() {
        Future<Object> tx = conn.transaction(c -> c.execute("UPDATE accounts SET balance = 0")
                .then(tag -> c.fetchVal("SELECT pg_sleep(60)")));
        Future<Object> bounded = Async.waitFor(tx, Duration.ofMillis(200));
        // after 200 ms: the sleep is cancelled on the server, ROLLBACK runs, then
        // bounded fails with TimeoutException; conn is out of the transaction
        assertFails(java.util.concurrent.TimeoutException.class, bounded);
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aCancelOnceTheBodyIsDoneIsRefusedAndTheCommitStands(EventLoop loop) {
        Future<String> tx = conn.transaction(c -> c.execute("UPDATE accounts SET balance = 1 WHERE id = 1"));
        TransactionScope<?> scope = (TransactionScope<?>) tx;
        while (!scope.isEnding()) {
            runIterations(loop, 1);
        }
        assertFalse(tx.cancel(), "the COMMIT is on its way");
        assertEquals("UPDATE 1", assertCompletes(tx));
        assertEquals(List.of(1, 0), balances());
    }

    @Test
    void nestedTransactionsUseSavepointsAndAnInnerFailureCaughtByTheOuterBodyUndoesOnlyItsOwnWork() {
        Future<String> outer = conn.transaction(c ->
                c.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1")
                        .then(tag -> c.transaction(inner ->                        // SAVEPOINT
                                inner.execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2")
                                        .then(t -> inner.execute("UPDATE accounts SET balance = 1 / 0 WHERE id = 1"))))
                        // the inner block was rolled back to its savepoint; the outer one goes on
                        .recover(PgException.class, e -> Async.completed("inner failed: " + e.sqlState()))
                        .then(result -> c.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")
                                .map(tag -> result)));
        assertEquals("inner failed: 22012", assertCompletes(outer));
        assertEquals(List.of(90, 1), balances(), "the outer work committed, the inner work rolled back");
        assertIdleAndUsable(conn);
    }

    @Test
    void aNestedTransactionThatSucceedsCommitsWithTheOuterOneOrRollsBackWithIt() {
        Future<Object> committed = conn.transaction(c -> c.transaction(inner ->
                inner.execute("UPDATE accounts SET balance = 5 WHERE id = 2")
                        .then(tag -> inner.fetchVal("SELECT count(*) FROM pg_stat_activity"))));
        assertCompletes(committed);
        assertEquals(List.of(100, 5), balances());
        Future<Object> rolledBack = conn.transaction(c -> c.transaction(inner ->
                        inner.execute("UPDATE accounts SET balance = 6 WHERE id = 2"))
                .then(tag -> Async.failed(new IllegalStateException("the outer body fails after"))));
        assertFails(IllegalStateException.class, rolledBack);
        assertEquals(List.of(100, 5), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void aSerializationFailureAtCommitFailsWith40001() {
        PgTransaction.Options serializable = PgTransaction.Options.defaults().isolation(Isolation.SERIALIZABLE);
        assertCompletes(conn.execute("CREATE TABLE IF NOT EXISTS mytab (class int, value int); TRUNCATE mytab;"
                + " INSERT INTO mytab VALUES (1, 10), (1, 20), (2, 100), (2, 200)"));
        // PostgreSQL's write skew example: each sums one class and inserts the sum as the other's;
        // both read, then both write, then A commits, then B does
        EventLoop loop = conn.protocol().loop;
        Future<Void> aRead = loop.createFuture();
        Future<Void> bRead = loop.createFuture();
        Future<Void> aWrote = loop.createFuture();
        Future<Void> bWrote = loop.createFuture();
        Future<Void> aCommitted = loop.createFuture();
        Future<String> a = conn.transaction(serializable, c -> c.fetchVal("SELECT sum(value) FROM mytab WHERE class = 1")
                .then(sum -> {
                    aRead.complete(null);
                    return bRead.then(v -> c.execute("INSERT INTO mytab VALUES (2, $1)", ((Long) sum).intValue()));
                })
                .then(tag -> {
                    aWrote.complete(null);
                    return bWrote.map(v -> tag);
                }));
        Future<String> b = aRead.then(v -> other.transaction(serializable, c ->
                c.fetchVal("SELECT sum(value) FROM mytab WHERE class = 2").then(sum -> {
                    bRead.complete(null);
                    return aWrote.then(x -> c.execute("INSERT INTO mytab VALUES (1, $1)", ((Long) sum).intValue()));
                }).then(tag -> {
                    bWrote.complete(null);
                    return aCommitted.map(x -> tag);
                })));
        assertEquals("INSERT 0 1", assertCompletes(a));
        aCommitted.complete(null);
        PgException e = assertFails(PgException.class, b);
        assertEquals("40001", e.sqlState());
        assertTrue(e.getMessage().contains("COMMIT"), "it failed at the COMMIT: " + e.getMessage());
        assertIdleAndUsable(other);
        assertEquals(5L, assertCompletes(conn.fetchVal("SELECT count(*) FROM mytab")));
    }

    @Test
    void aDeferredConstraintFailsAtCommit() {
        assertCompletes(conn.execute("CREATE TEMP TABLE codes (code int UNIQUE DEFERRABLE INITIALLY DEFERRED)"));
        Future<String> tx = conn.transaction(c -> c.execute("INSERT INTO codes VALUES (1)")
                .then(tag -> c.execute("INSERT INTO codes VALUES (1)")));
        PgException e = assertFails(PgException.class, tx);
        assertEquals("23505", e.sqlState());
        assertEquals(0L, assertCompletes(conn.fetchVal("SELECT count(*) FROM codes")));
        assertIdleAndUsable(conn);
    }

    @Test
    void aBodyThatSwallowsAFailedStatementFailsAtCommitWith25P02AsNothingWasCommitted() {
        Future<String> tx = conn.transaction(c -> c.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
                .then(tag -> c.execute("SELECT * FROM nope"))
                .recover(PgException.class, e -> Async.completed("ignored")));
        PgException e = assertFails(PgException.class, tx);
        assertEquals("25P02", e.sqlState());
        assertTrue(e.getMessage().contains("rolled back, not committed"), e.getMessage());
        assertEquals(List.of(100, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void theIsolationLevelAndModesAreThoseAskedFor() {
        for (Isolation level : Isolation.values()) {
            Future<Object> shown = conn.transaction(PgTransaction.Options.defaults().isolation(level),
                    c -> c.fetchVal("SHOW transaction_isolation"));
            assertEquals(level.sql().toLowerCase(java.util.Locale.ROOT), assertCompletes(shown));
        }
        PgTransaction.Options report = PgTransaction.Options.defaults()
                .isolation(PgTransaction.Isolation.SERIALIZABLE)
                .readOnly(true)
                .deferrable(true);
        Future<Object> level = conn.transaction(report, c -> c.fetchVal("SHOW transaction_isolation"));  // "serializable"
        assertEquals("serializable", assertCompletes(level));
        Future<List<Row>> modes = conn.transaction(report, c -> c.fetch("SELECT current_setting('transaction_isolation'),"
                + " current_setting('transaction_read_only'), current_setting('transaction_deferrable')"));
        Row row = assertCompletes(modes).get(0);
        assertEquals(List.of("serializable", "on", "on"), List.of(row.get(0), row.get(1), row.get(2)));
        Future<String> write = conn.transaction(PgTransaction.Options.defaults().readOnly(true),
                c -> c.execute("UPDATE accounts SET balance = 0"));
        assertEquals("25006", assertFails(PgException.class, write).sqlState());
        assertEquals("read committed", assertCompletes(conn.fetchVal("SHOW transaction_isolation")),
                "the options last one transaction");
        assertIdleAndUsable(conn);
    }

    @Test
    void deferrableWithoutSerializableReadOnlyIsRefused() {
        PgTransaction.Options options = PgTransaction.Options.defaults().deferrable(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conn.transaction(options, c -> c.fetchVal("SELECT 1")));
        assertTrue(e.getMessage().contains("deferrable(true) has an effect only on a SERIALIZABLE READ ONLY"),
                e.getMessage());
        assertThrows(NullPointerException.class, () -> PgTransaction.Options.defaults().isolation(null));
        assertIdleAndUsable(conn);
    }

    @Test
    void aNestedTransactionCannotChangeTheCharacteristicsOfTheOuterOne() {
        PgTransaction.Options serializable = PgTransaction.Options.defaults().isolation(Isolation.SERIALIZABLE);
        Future<String> outcome = conn.transaction(c -> c.transaction(serializable, inner -> inner.fetchVal("SELECT 1"))
                .map(v -> "nested ran")
                .recover(IllegalArgumentException.class, e -> Async.completed(e.getMessage())));
        assertTrue(assertCompletes(outcome).contains("cannot change the isolation level of the transaction it is nested"
                + " in, which is read committed"), assertCompletes(outcome));
        Future<Object> same = conn.transaction(serializable, c -> c.transaction(serializable,
                inner -> inner.fetchVal("SHOW transaction_isolation")));
        assertEquals("serializable", assertCompletes(same));
        Future<Object> readCommitted = conn.transaction(c -> c.transaction(
                PgTransaction.Options.defaults().isolation(Isolation.READ_COMMITTED), inner -> inner.fetchVal("SELECT 2")));
        assertEquals(2, assertCompletes(readCommitted), "the level the outer one has by default");
        Future<Object> readOnly = conn.transaction(serializable, c -> c.transaction(serializable.readOnly(true),
                inner -> inner.fetchVal("SELECT 3")));
        assertTrue(assertFails(IllegalArgumentException.class, readOnly).getMessage()
                .contains("cannot change the characteristics"));
        assertIdleAndUsable(conn);
    }

    @Test
    void theManualFormStartsCommitsAndRollsBack() {
        PgTransaction tx = conn.transaction();                 // not started
        Future<Void> done = tx.start()                         // BEGIN
                .then(v -> conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1"))
                .then(tag -> tx.commit());                     // COMMIT; tx.rollback() for ROLLBACK
        assertCompletes(done);
        assertEquals(List.of(90, 0), balances());
        assertFalse(tx.isNested());
        assertEquals("PgTransaction[committed]", tx.toString());
        PgTransaction undone = conn.transaction();
        assertCompletes(undone.start().then(v -> conn.execute("UPDATE accounts SET balance = 0")).then(t -> undone.rollback()));
        assertEquals(List.of(90, 0), balances());
        assertIdleAndUsable(conn);
    }

    @Test
    void misusingTheManualFormIsRefusedAtTheCall() {
        PgTransaction tx = conn.transaction();
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, tx::commit);
        assertEquals("commit() of PgTransaction[new]: only a started transaction is committed", notStarted.getMessage());
        assertThrows(IllegalStateException.class, tx::rollback);
        assertCompletes(tx.start());
        assertThrows(IllegalStateException.class, tx::start);
        assertCompletes(tx.commit());
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, tx::rollback);
        assertIdleAndUsable(conn);
    }

    @Test
    void aTransactionInsideABlockOpenedWithBeginIsRefused() {
        assertCompletes(conn.execute("BEGIN"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> conn.transaction(c -> c.fetchVal("SELECT 1")));
        assertTrue(e.getMessage().contains("inside a transaction block opened with execute(\"BEGIN\")"), e.getMessage());
        assertCompletes(conn.execute("ROLLBACK"));
        assertIdleAndUsable(conn);
    }

    @Test
    void queriesAnotherCallerPipelinesDuringTheBodyLandInsideTheTransaction() {
        Future<Void> bodyStarted = conn.protocol().loop.createFuture();
        Future<Object> tx = conn.transaction(c -> {
            bodyStarted.complete(null);
            return c.fetchVal("SELECT pg_sleep(0.2)")
                    .then(v -> Async.failed(new IllegalStateException("rolled back")));
        });
        // someone else, sharing the connection meanwhile
        Future<String> bystander = bodyStarted.then(v -> conn.execute("UPDATE accounts SET balance = 7 WHERE id = 2"));
        assertEquals("UPDATE 1", assertCompletes(bystander));
        assertFails(IllegalStateException.class, tx);
        assertEquals(List.of(100, 0), balances(), "the bystander's update was rolled back with the body's");
        assertIdleAndUsable(conn);
    }

    @Test
    void aLostConnectionFailsTheTransactionWithTheLoss() {
        Future<Object> tx = conn.transaction(c -> c.execute("UPDATE accounts SET balance = 0")
                .then(tag -> c.fetchVal("SELECT pg_sleep(60)")));
        awaitRunning(conn.serverPid());
        assertEquals(true, assertCompletes(other.fetchVal("SELECT pg_terminate_backend($1)", conn.serverPid())));
        PgException e = assertFails(PgException.class, tx);
        assertEquals("57P01", e.sqlState(), "the server said why it closed");
        assertEquals(PgConnectionException.class, e.getSuppressed()[0].getClass(), "and the ROLLBACK could not run");
        assertEquals(List.of(100, 0), balances());
        conn = assertCompletes(PgConnection.connect(server.uri()));
    }

    @Test
    void theBodyGetsTheConnectionItself() {
        Future<PgConnection> given = conn.transaction(c -> Async.completed(c));
        assertSame(conn, assertCompletes(given));
    }
}
