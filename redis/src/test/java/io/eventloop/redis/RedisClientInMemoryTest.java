package io.eventloop.redis;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.MemoryConnection;
import io.eventloop.testing.TestClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted server over in-memory connections, on fake time: what a real
 * server cannot be made to do on cue (answer late, vanish, refuse connects for exactly so long).
 */
@EventLoopTest
class RedisClientInMemoryTest {
    private final List<FakeServer> servers = new ArrayList<>();

    private RedisClient connect(EventLoop loop, RedisOptions options) {
        return assertCompletes(RedisClient.connect(loop, "127.0.0.1", 6379, options, FakeServer.dialer(loop, servers)));
    }

    private static void close(RedisClient client) {
        assertCompletes(client.closeAsync());
    }

    @Test
    void aTimedOutCommandKeepsItsSlotSoTheNextCommandGetsItsOwnReply(EventLoop loop, TestClock clock) {
        RedisClient client = connect(loop, RedisOptions.defaults().commandTimeout(Duration.ofSeconds(1)));
        FakeServer server = servers.get(0);
        server.data.put("a", "reply of a");
        server.data.put("b", "reply of b");
        server.hold();
        Duration start = clock.elapsed();
        TimeoutException e = assertFails(TimeoutException.class, client.get("a"));
        assertEquals(Duration.ofSeconds(1), clock.elapsed().minus(start));
        assertEquals("GET: no reply from 127.0.0.1:6379 within 1000 ms (RedisOptions.commandTimeout); the connection"
                + " stays open and the late reply will be dropped", e.getMessage());
        server.release(); // the late reply of a arrives, before b's
        assertEquals("reply of b", assertCompletes(client.get("b")));
        assertEquals(1, client.connects(), "the connection stayed open");
        close(client);
    }

    @Test
    void aCancelledCommandsReplyIsDropped(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults());
        FakeServer server = servers.get(0);
        server.data.put("a", "A");
        server.data.put("b", "B");
        server.hold();
        Future<String> a = client.get("a");
        Future<String> b = client.get("b");
        runIterations(loop, 3);
        assertTrue(a.cancel());
        server.release();
        assertEquals("B", assertCompletes(b));
        assertFails(CancellationException.class, a);
        close(client);
    }

    @Test
    void oneTimerServesEveryCommandOfAPipeline(EventLoop loop, TestClock clock) {
        RedisClient client = connect(loop, RedisOptions.defaults().commandTimeout(Duration.ofSeconds(1)));
        servers.get(0).hold();
        List<Future<String>> gets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            gets.add(client.get("k" + i));
        }
        List<Object> outcomes = assertCompletes(Async.gatherSettled(gets)).stream().map(o -> (Object) o).toList();
        assertEquals(1000, outcomes.size());
        for (Future<String> g : gets) {
            assertInstanceOf(TimeoutException.class, g.exception());
        }
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
        close(client);
    }

    @Test
    void commandsOfOneIterationGoOutInOneWrite(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults());
        FakeServer server = servers.get(0);
        for (int i = 0; i < 100; i++) {
            server.data.put("k" + i, "v" + i);
        }
        long writes = client.writes();
        int chunks = server.chunks;
        List<Future<String>> gets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            gets.add(client.get("k" + i));
        }
        List<String> values = assertCompletes(Async.gather(gets));
        for (int i = 0; i < 100; i++) {
            assertEquals("v" + i, values.get(i));
        }
        assertEquals(writes + 1, client.writes());
        assertEquals(chunks + 1, server.chunks, "the server read the 100 commands in one piece");
        close(client);
    }

    @Test
    void losingTheConnectionFailsEveryWaitingCommandNamingTheServerThenReconnects(EventLoop loop, TestClock clock) {
        RedisClient client = connect(loop, RedisOptions.defaults().reconnectBackoff(Duration.ofMillis(50),
                Duration.ofSeconds(1)));
        FakeServer server = servers.get(0);
        server.hold();
        Future<String> a = client.get("a");
        Future<Long> b = client.incr("b");
        runIterations(loop, 3);
        MemoryConnection.of(server.transport()).reset();
        RedisConnectionException ea = assertFails(RedisConnectionException.class, a);
        assertEquals("GET got no reply: the connection to 127.0.0.1:6379 was lost: java.io.IOException: Connection"
                + " reset by peer", ea.getMessage());
        assertEquals("INCR got no reply: the connection to 127.0.0.1:6379 was lost: java.io.IOException: Connection"
                + " reset by peer", assertFails(RedisConnectionException.class, b).getMessage());
        assertFalse(client.isConnected());

        Duration lostAt = clock.elapsed();
        RedisConnectionException now = assertFails(RedisConnectionException.class, client.get("c"));
        assertEquals("GET: not connected to 127.0.0.1:6379, reconnecting (attempt 1 in 50 ms) after: the connection"
                + " to 127.0.0.1:6379 was lost: java.io.IOException: Connection reset by peer", now.getMessage());

        assertCompletes(Async.sleep(Duration.ofMillis(50)));
        runIterations(loop, 10); // the attempt, due with the sleep, connects in a few iterations
        assertTrue(client.isConnected());
        assertEquals(Duration.ofMillis(50), clock.elapsed().minus(lostAt));
        assertEquals(2, servers.size());
        servers.get(1).data.put("c", "C");
        assertEquals("C", assertCompletes(client.get("c")));
        close(client);
    }

    @Test
    void reconnectAttemptsBackOffExponentiallyUpToTheMaximum(EventLoop loop, TestClock clock) {
        List<Duration> attempts = new ArrayList<>();
        RedisClient.Dialer fake = FakeServer.dialer(loop, servers);
        RedisClient.Dialer downForFiveAttempts = p -> {
            if (!servers.isEmpty()) {
                attempts.add(clock.elapsed());
                if (attempts.size() <= 5) {
                    return Async.failed(new ConnectException("Connection refused"));
                }
            }
            return fake.dial(p);
        };
        RedisClient client = assertCompletes(RedisClient.connect(loop, "127.0.0.1", 6379, RedisOptions.defaults()
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), downForFiveAttempts));
        Duration lostAt = clock.elapsed();
        MemoryConnection.of(servers.get(0).transport()).reset();
        runIterations(loop, 1);
        assertFalse(client.isConnected());
        while (!client.isConnected()) {
            assertCompletes(Async.sleep(Duration.ofMillis(10)));
        }
        List<Duration> delays = new ArrayList<>();
        Duration previous = lostAt;
        for (Duration at : attempts) {
            delays.add(at.minus(previous));
            previous = at;
        }
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500)), delays);
        assertEquals(2, client.connects());
        close(client);
    }

    @Test
    void whileReconnectingTheErrorSaysWhyTheLastAttemptFailed(EventLoop loop) {
        boolean[] down = {false};
        RedisClient.Dialer fake = FakeServer.dialer(loop, servers);
        RedisClient client = assertCompletes(RedisClient.connect(loop, "127.0.0.1", 6379, RedisOptions.defaults(),
                p -> down[0] ? Async.failed(new ConnectException("Connection refused")) : fake.dial(p)));
        down[0] = true;
        MemoryConnection.of(servers.get(0).transport()).reset();
        assertCompletes(Async.sleep(Duration.ofMillis(60))); // the first attempt, at 50 ms, fails
        RedisConnectionException e = assertFails(RedisConnectionException.class, client.ping());
        assertEquals("PING: not connected to 127.0.0.1:6379, reconnecting (attempt 2 in 90 ms) after: cannot connect"
                + " to 127.0.0.1:6379: java.net.ConnectException: Connection refused", e.getMessage());
        close(client);
    }

    @Test
    void withoutReconnectTheClientStaysDisconnected(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().reconnect(false));
        servers.get(0).transport().close();
        assertCompletes(Async.sleep(Duration.ofSeconds(10)));
        RedisConnectionException e = assertFails(RedisConnectionException.class, client.get("a"));
        assertEquals("GET: not connected to 127.0.0.1:6379 (RedisOptions.reconnect is off) after: the connection to"
                + " 127.0.0.1:6379 was closed by the server", e.getMessage());
        assertEquals(1, servers.size());
        close(client);
    }

    @Test
    void tooManyWaitingCommandsAreRefusedAtOnce(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().maxPending(3));
        servers.get(0).hold();
        List<Future<String>> ok = List.of(client.get("a"), client.get("b"), client.get("c"));
        RejectedExecutionException e = assertFails(RejectedExecutionException.class, client.get("d"));
        assertEquals("GET refused: 3 commands are already waiting for 127.0.0.1:6379 (RedisOptions.maxPending); wait"
                + " for some replies before sending more", e.getMessage());
        servers.get(0).release();
        assertEquals(java.util.Arrays.asList(null, null, null), assertCompletes(Async.gather(ok)));
        assertNull(assertCompletes(client.get("d")), "room again once the replies came");
        close(client);
    }

    @Test
    void aProtocolErrorClosesTheConnectionAndFailsWhatWaits(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().reconnect(false).maxBulkLength(10));
        FakeServer server = servers.get(0);
        server.answer = cmd -> "$11\r\nhello world\r\n";
        RedisConnectionException e = assertFails(RedisConnectionException.class, client.get("a"));
        assertEquals("GET got no reply: protocol error from 127.0.0.1:6379: a bulk string of 11 bytes is over the"
                + " limit of 10 (RedisOptions.maxBulkLength)", e.getMessage());
        assertInstanceOf(RedisProtocolException.class, e.getCause());
        close(client);
    }

    @Test
    void aReplyNobodyAskedForClosesTheConnection(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().reconnect(false));
        servers.get(0).send("+OK\r\n");
        runIterations(loop, 3);
        assertFalse(client.isConnected());
        RedisConnectionException e = assertFails(RedisConnectionException.class, client.ping());
        assertEquals("PING: not connected to 127.0.0.1:6379 (RedisOptions.reconnect is off) after: protocol error from"
                + " 127.0.0.1:6379: a reply with no command waiting for it", e.getMessage());
        close(client);
    }

    @Test
    void theHandshakeSendsHelloWithCredentialsAndNameThenSelect(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().protocol(3).credentials("app", "secret")
                .clientName("worker-1").database(2));
        assertEquals(List.of(List.of("HELLO", "3", "AUTH", "app", "secret", "SETNAME", "worker-1"),
                List.of("SELECT", "2")), servers.get(0).received);
        close(client);
    }

    @Test
    void theResp2HandshakeSendsAuthAndClientSetname(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults().password("secret").clientName("w"));
        assertEquals(List.of(List.of("AUTH", "secret"), List.of("CLIENT", "SETNAME", "w")), servers.get(0).received);
        close(client);
    }

    @Test
    void aRefusedPasswordFailsTheConnect(EventLoop loop) {
        List<FakeServer> list = servers;
        RedisClient.Dialer refusing = p -> {
            Future<io.eventloop.net.Transport> t = FakeServer.dialer(loop, list).dial(p);
            list.get(list.size() - 1).answer = cmd -> "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
            return t;
        };
        RedisException e = assertFails(RedisException.class,
                RedisClient.connect(loop, "127.0.0.1", 6379, RedisOptions.defaults().password("nope"), refusing));
        assertEquals("WRONGPASS invalid username-password pair or user is disabled.", e.getMessage());
        assertEquals("AUTH", e.command());
        assertEquals("WRONGPASS", e.code());
        assertTrue(servers.get(0).transport().isClosing(), "the connection was closed");
    }

    @Test
    void closeLetsCommandsAlreadySentGetTheirReplies(EventLoop loop) {
        RedisClient client = connect(loop, RedisOptions.defaults());
        FakeServer server = servers.get(0);
        server.data.put("a", "A");
        server.hold();
        Future<String> a = client.get("a");
        Future<Void> closed = client.closeAsync();
        RedisConnectionException refused = assertFails(RedisConnectionException.class, client.get("b"));
        assertEquals("GET: the client of 127.0.0.1:6379 is closed", refused.getMessage());
        runIterations(loop, 3);
        assertFalse(closed.isDone());
        server.release();
        assertEquals("A", assertCompletes(a));
        assertCompletes(closed);
        assertSame(null, client.shared());
    }
}
