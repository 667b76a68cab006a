package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.assertPendingAfter;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against a real server: opening, waiting in order, cancelled waiters, what a release
 * does with the connection's state, connections the server kills, replacement after maxQueries
 * and after expireConnections, closing, and a thousand shortcut queries on ten connections. The
 * tests on fake time (acquire timeout, idle lifetime, health check) are in {@link PgPoolTimeTest}.
 */
@EventLoopTest
class PgPoolTest extends PgServerCase {
    private final List<PgPool> pools = new ArrayList<>();
    /** A connection of its own, to watch and kill the pool's backends. */
    private PgConnection admin;

    @BeforeEach
    void connect() {
        admin = assertCompletes(PgConnection.connect(server.uri()));
    }

    @AfterEach
    void closeEverything() {
        for (PgPool pool : pools) {
            pool.terminate();
            assertCompletes(pool.closeAsync());
        }
        assertCompletes(admin.closeAsync());
    }

    private PgPool pool(PgPoolOptions options) {
        return pool(server.uri(), options);
    }

    private PgPool pool(String uri, PgPoolOptions options) {
        PgPool pool = assertCompletes(PgPool.create(uri, options));
        pools.add(pool);
        return pool;
    }

    private static PgPoolOptions sized(int min, int max) {
        return PgPoolOptions.defaults().minSize(min).maxSize(max);
    }

    /** Runs the loop (sleeping 10 ms between looks) until {@code condition}, which must not wait, holds. */
    private static void await(BooleanSupplier condition) {
        assertCompletes(Async.waitFor(Async.repeat(() -> condition.getAsBoolean() ? Async.completed(false)
                : Async.sleep(Duration.ofMillis(10), true)), PgServer.HANG_GUARD));
    }

    /** Waits, through the admin connection, until the backend {@code pid} is inside pg_sleep. */
    private void awaitRunning(int pid) {
        PgServer.awaitSleeping(admin, pid);
    }

    private long backendsOf(String application) {
        return (Long) assertCompletes(admin.fetchVal(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", application));
    }

    private void kill(int pid) {
        assertEquals(true, assertCompletes(admin.fetchVal("SELECT pg_terminate_backend($1)", pid)));
    }

    @Test
    void createOpensMinSizeConnectionsBeforeItCompletes() {
        PgPool pool = assertCompletes(PgPool.create(server.uri() + "?application_name=opened",
                sized(3, 5)));
        pools.add(pool);
        assertEquals(3, pool.size());
        assertEquals(3, pool.idleSize());
        assertEquals(3, pool.minSize());
        assertEquals(5, pool.maxSize());
        assertEquals(3L, backendsOf("opened"), "three backends on the server");
    }

    @Test
    void createFailsNamingTheServerWhenItCannotConnectAndLeavesNoSocket() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PgConnectionException e = assertFails(PgConnectionException.class,
                PgPool.create("postgresql://tester@127.0.0.1:" + port + "/postgres", sized(2, 2)));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("minSize"), e.getMessage());
        PgException refused = assertFails(PgException.class,
                PgPool.create(server.uri(PgServer.USER, "wrong"), sized(2, 2)));
        assertEquals("28P01", refused.sqlState());
    }

    @Test
    void anAcquireThatMustOpenAConnectionFailsWithItsErrorAndTheNextOneTriesAgain() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PgPool pool = pool("postgresql://tester@127.0.0.1:" + port + "/postgres", sized(0, 2));
        assertEquals(0, pool.size());
        for (int i = 0; i < 2; i++) {
            PgConnectionException e = assertFails(PgConnectionException.class, pool.fetchVal("SELECT 1"));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertEquals(0, pool.size());
            assertEquals(0, pool.waiting());
        }
    }

    @Test
    void optionsRefuseBadValuesNamingThem() {
        PgPoolOptions d = PgPoolOptions.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.minSize(-1)).getMessage().contains("minSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.maxSize(0)).getMessage().contains("maxSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.maxQueries(0)).getMessage().contains("maxQueries"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.acquireTimeout(Duration.ZERO))
                .getMessage().contains("acquireTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.maxInactiveConnectionLifetime(
                Duration.ofSeconds(-1))).getMessage().contains("maxInactiveConnectionLifetime"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.healthCheckAfter(Duration.ZERO))
                .getMessage().contains("healthCheckAfter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.resetQuery("RESET ALL\0"))
                .getMessage().contains("resetQuery"));
        assertThrows(NullPointerException.class, () -> d.connectionOptions(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgPool.create(server.uri(), d.minSize(11)));
        assertEquals("minSize 11 is above maxSize 10", e.getMessage());
        assertEquals(10, d.minSize());
        assertEquals(10, d.maxSize());
        assertEquals(50_000, d.maxQueries());
        assertEquals(Duration.ofSeconds(300), d.maxInactiveConnectionLifetime());
    }

    @Test
    void waitingCallersAreServedInTheOrderTheyAsked() {
        PgPool pool = pool(sized(1, 1));
        PgConnection first = assertCompletes(pool.acquire());
        List<String> order = new ArrayList<>();
        List<Future<PgConnection>> waiting = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            Future<PgConnection> w = pool.acquire();
            w.onDone(f -> order.add(name));
            waiting.add(w);
        }
        runIterations(EventLoop.current(), 3);
        assertEquals(3, pool.waiting());
        assertEquals(1, pool.size(), "no connection beyond maxSize");
        PgConnection holder = first;
        for (Future<PgConnection> w : waiting) {
            assertCompletes(pool.release(holder));
            holder = assertCompletes(w);
            assertEquals(first.serverPid(), holder.serverPid(), "the same connection, passed on");
        }
        runIterations(EventLoop.current(), 2); // the callbacks of futures that were done at once
        assertEquals(List.of("a", "b", "c"), order);
        assertCompletes(pool.release(holder));
        assertEquals(1, pool.idleSize());
    }

    @Test
    void cancellingAWaitingAcquireTakesItOutOfTheQueue() {
        PgPool pool = pool(sized(1, 1));
        PgConnection held = assertCompletes(pool.acquire());
        Future<PgConnection> cancelled = pool.acquire();
        Future<Object> next = pool.fetchVal("SELECT 'next'");
        assertEquals(2, pool.waiting());
        assertTrue(cancelled.cancel());
        assertEquals(1, pool.waiting(), "gone from the queue at once");
        assertCompletes(pool.release(held));
        assertEquals("next", assertCompletes(next));
        assertEquals(1, pool.idleSize(), "the connection is back, not held by the cancelled acquire");
    }

    @Test
    void cancellingAWaitingWithConnectionNeverRunsItsBody() {
        PgPool pool = pool(sized(1, 1));
        PgConnection held = assertCompletes(pool.acquire());
        boolean[] ran = {false};
        Future<Object> waiting = pool.withConnection(c -> {
            ran[0] = true;
            return c.fetchVal("SELECT 1");
        });
        assertTrue(waiting.cancel());
        assertFails(CancellationException.class, waiting);
        assertEquals(0, pool.waiting());
        assertCompletes(pool.release(held));
        assertFalse(ran[0]);
        assertEquals(1, pool.idleSize());
    }

    @Test
    void aConnectionHandedToAnAcquireCancelledBeforeItResumedGoesBackToThePool() {
        PgPool pool = pool(sized(1, 1).resetQuery(""));
        PgConnection held = assertCompletes(pool.acquire());
        boolean[] ran = {false};
        Future<Object> chain = pool.acquire().then(conn -> {
            ran[0] = true;
            return conn.fetchVal("SELECT 1");
        });
        assertCompletes(pool.release(held)); // no reset: handed to the waiter at once
        assertEquals(0, pool.idleSize(), "handed over");
        assertTrue(chain.cancel(), "cancelled before the continuation ran");
        assertFails(CancellationException.class, chain);
        assertFalse(ran[0]);
        assertEquals(1, pool.idleSize(), "taken back into the pool");
        assertEquals(1L, assertCompletes(pool.fetchVal("SELECT count(*) FROM pg_class WHERE relname = 'pg_class'")));
    }

    @Test
    void withConnectionReleasesAfterAFailedQueryAndAfterAThrowingBody() {
        PgPool pool = pool(sized(1, 1));
        int pid = (Integer) assertCompletes(pool.fetchVal("SELECT pg_backend_pid()"));
        PgException e = assertFails(PgException.class, pool.withConnection(c -> c.fetch("SELECT * FROM nope")));
        assertEquals("42P01", e.sqlState());
        assertEquals(1, pool.idleSize());
        IOException thrown = assertFails(IOException.class, pool.withConnection(c -> {
            throw new IOException("the body threw");
        }));
        assertEquals("the body threw", thrown.getMessage());
        assertEquals(1, pool.idleSize());
        assertEquals(pid, assertCompletes(pool.fetchVal("SELECT pg_backend_pid()")), "the same connection, kept");
    }

    @Test
    void cancellingTheBodyWhileTheServerRunsAQueryClosesThatConnectionAndReplacesIt() {
        PgPool pool = pool(sized(1, 1));
        int pid = (Integer) assertCompletes(pool.fetchVal("SELECT pg_backend_pid()"));
        Future<Object> slow = pool.withConnection(c -> c.fetchVal("SELECT pg_sleep(60)"));
        awaitRunning(pid);
        assertTrue(slow.cancel());
        assertFails(CancellationException.class, slow);
        int next = (Integer) assertCompletes(pool.fetchVal("SELECT pg_backend_pid()"));
        assertNotEquals(pid, next, "a connection whose state was unknown is never handed out again");
        assertEquals(1, pool.size());
    }

    @Test
    void aConnectionReleasedWithQueriesInFlightIsClosedNotReturned() {
        PgPool pool = pool(sized(1, 1));
        PgConnection conn = assertCompletes(pool.acquire());
        int pid = conn.serverPid();
        Future<Object> unanswered = conn.fetchVal("SELECT 1");
        assertCompletes(pool.release(conn));
        assertFails(PgConnectionException.class, unanswered);
        assertNotEquals(pid, assertCompletes(pool.fetchVal("SELECT pg_backend_pid()")));
    }

    @Test
    void aConnectionTheServerKillsWhileIdleIsReplacedUpToTheMinimum() {
        PgPool pool = pool(sized(2, 2));
        List<Integer> before = pool.backendPids();
        kill(before.get(0));
        await(() -> !pool.backendPids().contains(before.get(0)) && pool.idleSize() == 2);
        assertEquals(2, pool.size());
        List<Object> pids = assertCompletes(Async.gather(
                pool.fetchVal("SELECT pg_backend_pid(), pg_sleep(0.01)"), pool.fetchVal("SELECT pg_backend_pid()")));
        assertFalse(pids.contains(before.get(0)), "the killed backend is never handed out");
    }

    @Test
    void aConnectionTheServerKillsWhileAcquiredFailsItsQueriesAndIsDroppedOnRelease() {
        PgPool pool = pool(sized(1, 1));
        PgConnection conn = assertCompletes(pool.acquire());
        kill(conn.serverPid());
        await(conn::isClosed);
        PgConnectionException e = assertFails(PgConnectionException.class, conn.fetchVal("SELECT 1"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port), e.getMessage());
        assertCompletes(pool.release(conn));
        Object pid = assertCompletes(pool.fetchVal("SELECT pg_backend_pid()"));
        assertNotEquals(conn.serverPid(), pid);
        assertEquals(1, pool.size());
    }

    @Test
    void aConnectionReleasedInATransactionIsRolledBackAndKept() {
        PgPool pool = pool(sized(1, 1));
        assertCompletes(pool.execute("CREATE TABLE IF NOT EXISTS kept (x int)"));
        int pid = (Integer) assertCompletes(pool.fetchVal("SELECT pg_backend_pid()"));
        assertCompletes(pool.withConnection(c -> c.execute("BEGIN")
                .then(t -> c.execute("INSERT INTO kept VALUES (1)"))));  // released without COMMIT
        assertCompletes(pool.withConnection(c -> c.execute("BEGIN")
                .then(t -> c.execute("SELECT 1 / 0"))
                .recover(PgException.class, x -> Async.completed("failed"))));  // in a failed transaction
        assertEquals(0L, assertCompletes(pool.fetchVal("SELECT count(*) FROM kept")), "rolled back");
        assertEquals(pid, assertCompletes(pool.fetchVal("SELECT pg_backend_pid()")), "the connection was kept");
        assertCompletes(pool.execute("DROP TABLE kept"));
    }

    @Test
    void noSessionStateLeaksToTheNextCaller() {
        PgPool pool = pool(sized(1, 1));
        assertCompletes(pool.withConnection(c -> c.execute("SET search_path = nowhere")
                .then(t -> c.execute("LISTEN news"))
                .then(t -> c.fetchVal("SELECT pg_advisory_lock(42)"))));
        assertEquals("\"$user\", public", assertCompletes(pool.fetchVal("SHOW search_path")));
        assertEquals(0L, assertCompletes(pool.fetchVal("SELECT count(*) FROM pg_listening_channels()")));
        assertEquals(0L, assertCompletes(admin.fetchVal("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")));
    }

    @Test
    void anIteratorLeftListeningByACallerEndsWhenItsConnectionIsReleased() {
        PgPool pool = pool(sized(1, 1));
        Notifications news = assertCompletes(pool.withConnection(c -> c.listen("news")));
        assertEquals(java.util.Optional.empty(), assertCompletes(news.next()), "ended with the release");
        assertEquals(0L, assertCompletes(pool.fetchVal("SELECT count(*) FROM pg_listening_channels()")));
        assertEquals(1, pool.idleSize());
    }

    @Test
    void releasingTwiceOrAConnectionFromElsewhereFailsAndAReleasedHandleRunsNothing() {
        PgPool pool = pool(sized(1, 1));
        PgPool other = pool(sized(1, 1));
        PgConnection conn = assertCompletes(pool.acquire());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> other.release(conn));
        assertTrue(foreign.getMessage().contains("was not acquired from this pool"), foreign.getMessage());
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> pool.release(admin));
        assertTrue(own.getMessage().contains("PgConnection.connect"), own.getMessage());
        assertCompletes(pool.release(conn));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> pool.release(conn));
        assertTrue(twice.getMessage().contains("already released"), twice.getMessage());
        IllegalStateException used = assertThrows(IllegalStateException.class, () -> conn.fetchVal("SELECT 1"));
        assertTrue(used.getMessage().contains("released to its pool"), used.getMessage());
        assertThrows(IllegalStateException.class, conn::terminate);
        assertEquals(1, pool.idleSize(), "the connection itself is fine");
        assertEquals(1, assertCompletes(pool.fetchVal("SELECT 1")));
    }

    @Test
    void aConnectionIsReplacedAfterMaxQueries() {
        PgPool pool = pool(sized(1, 1).maxQueries(3).resetQuery(""));
        List<Object> pids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pids.add(assertCompletes(pool.fetchVal("SELECT pg_backend_pid()")));
        }
        assertEquals(pids.get(0), pids.get(1));
        assertEquals(pids.get(0), pids.get(2));
        assertNotEquals(pids.get(0), pids.get(3), "replaced after its third query");
        assertEquals(1, pool.size());
    }

    @Test
    void expireConnectionsReplacesIdleConnectionsNowAndAcquiredOnesOnRelease() {
        PgPool pool = pool(sized(2, 2));
        PgConnection held = assertCompletes(pool.acquire());
        List<Integer> old = pool.backendPids();
        pool.expireConnections();
        await(() -> pool.idleSize() == 1 && pool.size() == 2);
        assertTrue(pool.backendPids().contains(held.serverPid()), "the acquired one stays until released");
        assertCompletes(pool.release(held));
        assertEquals(2, pool.size());
        for (int pid : pool.backendPids()) {
            assertFalse(old.contains(pid), "every connection is new");
        }
    }

    @Test
    void closeWaitsForAcquiredConnectionsAndRefusesNewAcquires() {
        PgPool pool = pool(sized(2, 2));
        PgConnection held = assertCompletes(pool.acquire());
        Future<Void> closing = pool.closeAsync();
        assertSame(closing, pool.closeAsync());
        IllegalStateException refused = assertFails(IllegalStateException.class, pool.acquire());
        assertTrue(refused.getMessage().contains("is closing"), refused.getMessage());
        await(() -> pool.size() == 1);
        assertPendingAfter(5, closing);
        assertEquals(1, assertCompletes(held.fetchVal("SELECT 1")), "an acquired connection works until released");
        assertCompletes(pool.release(held));
        assertCompletes(closing);
        assertEquals(0, pool.size());
        assertTrue(assertFails(IllegalStateException.class, pool.fetchVal("SELECT 1")).getMessage().contains("closed"));
    }

    @Test
    void closingWhileAReleasedConnectionIsBeingResetWaitsForTheResetThenClosesIt() {
        PgPool pool = pool(sized(1, 1));
        PgConnection held = assertCompletes(pool.acquire());
        PgProtocol protocol = held.protocol();
        Future<Void> released = pool.release(held);
        assertTrue(released.isDone(), "idle at once: the reset is pipelined");
        assertEquals(1, protocol.waiting(), "the reset is on its way");
        Future<Void> closing = pool.closeAsync();
        assertCompletes(closing);
        assertEquals(0, protocol.waiting(), "the reset was answered before the Terminate");
        assertEquals(0, pool.size());
    }

    @Test
    void aReleasedConnectionIsHandedOnWithItsResetPipelinedAheadOfTheNextCallersQuery() {
        PgPool pool = pool(sized(1, 1));
        PgConnection held = assertCompletes(pool.acquire());
        PgProtocol protocol = held.protocol();
        Object before = assertCompletes(held.fetchVal("SELECT current_setting('search_path')"));
        assertCompletes(held.execute("SET search_path = left_behind"));
        Future<Object> next = pool.fetchVal("SELECT current_setting('search_path')");
        assertEquals(1, pool.waiting());
        assertTrue(pool.release(held).isDone(), "idle at once");
        assertEquals(1, protocol.waiting(), "the reset is on its way");
        assertEquals(before, assertCompletes(next), "the reset ran before the next caller's query");
        assertEquals(1, pool.idleSize());
        assertEquals(protocol, assertCompletes(pool.acquire()).protocol(), "the same connection throughout");
    }

    @Test
    void closingFailsTheCallersStillWaiting() {
        PgPool pool = pool(sized(1, 1));
        PgConnection held = assertCompletes(pool.acquire());
        Future<Object> waiting = pool.fetchVal("SELECT 1");
        Future<Void> closing = pool.closeAsync();
        assertFails(IllegalStateException.class, waiting);
        assertCompletes(pool.release(held));
        assertCompletes(closing);
    }

    @Test
    void terminateClosesAcquiredConnectionsToo() {
        PgPool pool = pool(sized(2, 2));
        PgConnection held = assertCompletes(pool.acquire());
        Future<Object> running = held.fetchVal("SELECT pg_sleep(60)");
        pool.terminate();
        assertFails(PgConnectionException.class, running);
        assertCompletes(pool.closeAsync());
        assertEquals(0, pool.size());
        assertCompletes(pool.release(held)); // nothing left to give back, and no error
        assertFails(IllegalStateException.class, pool.acquire());
    }

    @Test
    void theInitHookRunsOnEveryNewConnectionAndItsFailureIsTheAcquiresFailure() {
        int[] inits = {0};
        PgPool pool = pool(sized(2, 3).init(c -> {
            inits[0]++;
            return c.execute("CREATE TEMP TABLE IF NOT EXISTS hooked (x int)");
        }));
        assertEquals(2, inits[0]);
        assertEquals(0L, assertCompletes(pool.fetchVal("SELECT count(*) FROM hooked")));
        IllegalStateException e = assertFails(IllegalStateException.class, PgPool.create(server.uri(),
                sized(2, 2).init(c -> Async.failed(new IllegalStateException("init refused")))));
        assertEquals("init refused", e.getMessage());
    }

    @Test
    void aPoolOfTenServesAThousandConcurrentShortcutQueriesWithEveryAnswerRight() {
        PgPool pool = pool(sized(10, 10));
        List<Future<Object>> answers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            answers.add(pool.fetchVal("SELECT $1::int * 2", i));
        }
        assertEquals(10, pool.size());
        List<Object> values = assertCompletes(Async.gather(answers));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i * 2, values.get(i));
        }
        assertEquals(10, pool.size(), "never more than maxSize");
        assertEquals(10, pool.idleSize());
        assertEquals(0, pool.waiting());
    }

    @Test
    void theGuidesExamplesRun() {
        String uri = server.uri();
        assertCompletes(admin.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text)"));
        PgPoolOptions options = PgPoolOptions.defaults()
                .minSize(2)                                  // asyncpg: min_size=2
                .maxSize(10)                                 // max_size=10
                .acquireTimeout(Duration.ofSeconds(5));      // acquire(timeout=5), for every acquire
        Future<Object> count = PgPool.create(uri, options).then(pool ->
                pool.withConnection(conn -> conn.execute("BEGIN")          // async with pool.acquire() as conn:
                                .then(tag -> conn.execute("INSERT INTO orders (item) VALUES ($1)", "tea"))
                                .then(tag -> conn.execute("COMMIT")))      // released here, on every path
                        .then(tag -> pool.fetchVal("SELECT count(*) FROM orders"))  // acquire, run, release
                        .ensure(pool::closeAsync));
        assertEquals(1L, assertCompletes(count));

        PgPool pool = pool(sized(1, 1));
        Future<Object> pid = pool.acquire().then(conn ->
                conn.fetchVal("SELECT pg_backend_pid()")
                        .ensure(() -> pool.release(conn)));                // finally: await pool.release(conn)
        assertEquals(pool.backendPids().get(0), assertCompletes(pid));
        assertEquals(1, pool.idleSize());
        assertCompletes(admin.execute("DROP TABLE orders"));
    }
}
