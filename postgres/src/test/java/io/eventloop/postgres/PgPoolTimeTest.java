package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.assertPendingAfter;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's timers on fake time that only {@link TestClock#advance} moves, with real sockets to
 * a real server (the loop still waits on those): the acquire timeout, the idle lifetime, and the
 * health check of a connection idle for long.
 */
@EventLoopTest(autoAdvance = false)
class PgPoolTimeTest extends PgServerCase {
    private final List<PgPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        for (PgPool pool : pools) {
            pool.terminate();
            assertCompletes(pool.closeAsync());
        }
    }

    private PgPool pool(PgPoolOptions options) {
        PgPool pool = assertCompletes(PgPool.create(server.uri(), options));
        pools.add(pool);
        return pool;
    }

    /** Sends {@code signal} to a backend (as root, or as the user the cluster runs as) with the kill program. */
    private static void signal(String signal, int pid) throws InterruptedException {
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        } catch (IOException e) {
            throw new AssertionError("this test needs the kill program: install the Debian package procps", e);
        }
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    @Test
    void anAcquireOfAnExhaustedPoolFailsAfterItsTimeoutNamingThePoolSizeAndTheWait(TestClock clock) {
        PgPool pool = pool(PgPoolOptions.defaults().minSize(1).maxSize(1).acquireTimeout(Duration.ofSeconds(5)));
        PgConnection held = assertCompletes(pool.acquire());
        Future<PgConnection> waiting = pool.acquire();
        Future<PgConnection> patient = pool.acquire(Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(4_999));
        assertPendingAfter(1, waiting);
        clock.advance(Duration.ofMillis(1));
        TimeoutException e = assertFails(TimeoutException.class, waiting);
        assertEquals("no connection to 127.0.0.1:" + server.port + " became free within 5000 ms"
                + " (PgPoolOptions.acquireTimeout): all 1 of the pool's connections (maxSize 1) are in use"
                + " and 1 other caller waits", e.getMessage());
        assertEquals(1, pool.waiting(), "the timed-out caller left the queue");
        assertCompletes(pool.release(held));
        assertCompletes(pool.release(assertCompletes(patient)));
    }

    @Test
    void idleConnectionsAboveTheMinimumAreClosedAfterTheirInactiveLifetime(TestClock clock) {
        PgPool pool = pool(PgPoolOptions.defaults().minSize(1).maxSize(3).healthCheckAfter(null)
                .maxInactiveConnectionLifetime(Duration.ofSeconds(300)));
        List<PgConnection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(assertCompletes(pool.acquire()));
        }
        for (PgConnection c : held) {
            assertCompletes(pool.release(c));
        }
        assertEquals(3, pool.idleSize());
        clock.advance(Duration.ofSeconds(299));
        assertEquals(3, pool.size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, pool.size(), "back to the minimum");
        assertEquals(1, pool.idleSize());
        clock.advance(Duration.ofSeconds(3_000));
        assertEquals(1, pool.size(), "the minimum is kept");
        assertEquals(1, assertCompletes(pool.fetchVal("SELECT 1")));
    }

    @Test
    void aConnectionIdlePastTheHealthCheckAgeIsCheckedBeforeItIsHandedOut(TestClock clock) {
        PgPool pool = pool(PgPoolOptions.defaults().minSize(1).maxSize(1).healthCheckAfter(Duration.ofSeconds(60)));
        PgConnection conn = assertCompletes(pool.acquire());
        PgProtocol protocol = conn.protocol();
        int pid = conn.serverPid();
        assertCompletes(pool.release(conn));
        long queries = protocol.queries;
        clock.advance(Duration.ofSeconds(59));
        PgConnection fresh = assertCompletes(pool.acquire());
        assertEquals(queries, protocol.queries, "idle 59 s: handed out as it is");
        assertCompletes(pool.release(fresh));
        queries = protocol.queries;
        clock.advance(Duration.ofSeconds(60));
        PgConnection checked = assertCompletes(pool.acquire());
        assertEquals(queries + 1, protocol.queries, "idle 60 s: one round trip first");
        assertEquals(pid, checked.serverPid(), "it answered, so it is handed out");
        assertCompletes(pool.release(checked));
    }

    @Test
    void aConnectionThatDoesNotAnswerItsHealthCheckIsReplacedTransparently(EventLoop loop, TestClock clock)
            throws Exception {
        PgPool pool = pool(PgPoolOptions.defaults().minSize(1).maxSize(1).healthCheckAfter(Duration.ofSeconds(60))
                .connectionOptions(PgOptions.defaults().connectTimeout(Duration.ofSeconds(10))));
        int pid = pool.backendPids().get(0);
        signal("STOP", pid); // the backend is there but answers nothing: a silently dead peer
        try {
            clock.advance(Duration.ofSeconds(60));
            Future<PgConnection> acquired = pool.acquire();
            runIterations(loop, 3);
            assertPendingAfter(3, acquired);
            clock.advance(Duration.ofSeconds(10)); // the check gets no answer within connectTimeout
            PgConnection conn = assertCompletes(acquired);
            assertNotEquals(pid, conn.serverPid(), "a new connection, opened in its place");
            assertEquals(1, assertCompletes(conn.fetchVal("SELECT 1")));
            assertCompletes(pool.release(conn));
            assertEquals(1, pool.size());
            assertTrue(!pool.backendPids().contains(pid));
        } finally {
            signal("CONT", pid);
        }
    }
}
