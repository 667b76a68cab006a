package io.eventloop.redis;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real {@code redis-server}, started for this class: commands and their
 * Java types, binary safety, errors, pipelining, transactions, publish/subscribe, the pool for
 * blocking commands, RESP3, and a connection killed under the client.
 */
@EventLoopTest
class RedisClientTest {
    private static RedisServer server;
    private static long socketsBefore;
    private RedisClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServer.start();
        socketsBefore = RedisServer.openSockets();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            assertEquals(socketsBefore, RedisServer.openSockets(), "every socket the tests opened is closed");
        } finally {
            server.close();
        }
    }

    @BeforeEach
    void connect(EventLoop loop) {
        client = assertCompletes(RedisClient.connect("127.0.0.1", server.port));
        assertCompletes(client.command("FLUSHALL"));
    }

    @AfterEach
    void close() {
        assertCompletes(client.closeAsync());
    }

    private RedisClient connect(RedisOptions options) {
        return assertCompletes(RedisClient.connect("127.0.0.1", server.port, options));
    }

    @Test
    void setGetIncrDel() {
        assertEquals("OK", assertCompletes(client.set("greeting", "héllo")));
        assertEquals("héllo", assertCompletes(client.get("greeting")));
        assertNull(assertCompletes(client.get("missing")));
        assertEquals(1L, assertCompletes(client.incr("counter")));
        assertEquals(2L, assertCompletes(client.incr("counter")));
        assertEquals(2L, assertCompletes(client.del("greeting", "counter", "missing")));
        assertEquals("PONG", assertCompletes(client.ping()));
    }

    @Test
    void commandMapsEachReplyTypeToItsJavaType() {
        assertEquals("OK", assertCompletes(client.command("SET", "s", "v")));
        assertEquals(1L, assertCompletes(client.command("INCR", "n")));
        assertEquals("v", assertCompletes(client.command("GET", "s")));
        assertNull(assertCompletes(client.command("GET", "nothing")));
        assertEquals(3L, assertCompletes(client.command("RPUSH", "list", "a", "b", "c")));
        assertEquals(List.of("a", "b", "c"), assertCompletes(client.command("LRANGE", "list", "0", "-1")));
        assertEquals(List.of(), assertCompletes(client.command("LRANGE", "nothing", "0", "-1")));
        assertEquals(Arrays.asList("v", null), assertCompletes(client.command("MGET", "s", "nothing")));
        assertArrayEquals("v".getBytes(UTF_8), (byte[]) assertCompletes(client.commandBytes("GET".getBytes(UTF_8),
                "s".getBytes(UTF_8))));
    }

    @Test
    void everyByteValueSurvivesInKeysAndValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] key = Arrays.copyOf(all, 256);
        key[0] = 'k';
        assertEquals("OK", assertCompletes(client.set(key, all)));
        assertArrayEquals(all, assertCompletes(client.get(key)));
        assertEquals(256L, assertCompletes(client.commandBytes("STRLEN".getBytes(UTF_8), key)));
        List<?> keys = (List<?>) assertCompletes(client.commandBytes("KEYS".getBytes(UTF_8), "*".getBytes(UTF_8)));
        assertEquals(1, keys.size());
        assertArrayEquals(key, (byte[]) keys.get(0));
    }

    @Test
    void anErrorReplyFailsWithTheServersTextAndTheCommand() {
        assertCompletes(client.command("RPUSH", "list", "a"));
        RedisException e = assertFails(RedisException.class, client.incr("list"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
        assertEquals("INCR", e.command());
        assertEquals("WRONGTYPE", e.code());
        RedisException unknown = assertFails(RedisException.class, client.command("NOSUCHCOMMAND", "x"));
        assertTrue(unknown.getMessage().startsWith("ERR unknown command 'NOSUCHCOMMAND'"), unknown.getMessage());
        assertEquals("ERR", unknown.code());
        assertEquals("PONG", assertCompletes(client.ping()), "the connection goes on after an error");
    }

    @Test
    void tenThousandCommandsIssuedTogetherGoOutInOneWrite() {
        int n = 10_000;
        long before = client.writes();
        List<Future<String>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sets.add(client.set("key:" + i, "value:" + i));
        }
        assertCompletes(Async.gather(sets));
        assertEquals(before + 1, client.writes(), "10,000 SETs: one write");
        List<Future<String>> gets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gets.add(client.get("key:" + i));
        }
        List<String> values = assertCompletes(Async.gather(gets));
        assertEquals(before + 2, client.writes(), "10,000 GETs: one more write");
        for (int i = 0; i < n; i++) {
            assertEquals("value:" + i, values.get(i));
        }
    }

    @Test
    void multiExecMapsEachElementToItsCommand() {
        assertCompletes(client.command("RPUSH", "list", "a"));
        Transaction tx = client.multi();
        Future<Long> counter = tx.incr("counter");
        Future<String> set = tx.set("x", "1");
        Future<String> get = tx.get("x");
        Future<Long> wrong = tx.incr("list");
        List<Object> all = assertCompletes(tx.exec());
        assertEquals(4, all.size());
        assertEquals(List.of(1L, "OK", "1"), all.subList(0, 3));
        assertInstanceOf(RedisException.class, all.get(3));
        assertEquals(1L, assertCompletes(counter));
        assertEquals("OK", assertCompletes(set));
        assertEquals("1", assertCompletes(get));
        assertEquals("WRONGTYPE", assertFails(RedisException.class, wrong).code());
    }

    @Test
    void aCommandRefusedWhileQueuedAbortsTheTransaction() {
        Transaction tx = client.multi();
        Future<String> set = tx.set("x", "1");
        Future<Object> bad = tx.command("NOSUCHCOMMAND");
        RedisException exec = assertFails(RedisException.class, tx.exec());
        assertEquals("EXECABORT", exec.code());
        assertEquals("EXECABORT", assertFails(RedisException.class, set).code());
        assertTrue(assertFails(RedisException.class, bad).getMessage().startsWith("ERR unknown command"));
        assertNull(assertCompletes(client.get("x")), "nothing ran");
    }

    @Test
    void aWatchedKeyChangedAbortsExecWithAWatchException() {
        assertCompletes(client.set("balance", "100"));
        Future<List<Object>> attempt = client.withConnection(c -> c.command("WATCH", "balance")
                .then(ok -> c.get("balance"))
                .then(balance -> client.set("balance", "0").map(changed -> balance)) // someone else writes
                .then(balance -> {
                    Transaction tx = c.multi();
                    tx.set("balance", String.valueOf(Long.parseLong(balance) - 10));
                    return tx.exec();
                }));
        RedisWatchException e = assertFails(RedisWatchException.class, attempt);
        assertEquals("EXEC aborted: a WATCHed key changed after WATCH, so no queued command ran", e.getMessage());
        assertEquals("0", assertCompletes(client.get("balance")));
        Future<List<Object>> unwatched = client.withConnection(c -> c.command("WATCH", "balance").then(ok -> {
            Transaction tx = c.multi();
            tx.set("balance", "90");
            return tx.exec();
        }));
        assertEquals(List.of("OK"), assertCompletes(unwatched));
        assertEquals(1, client.pool().idle(), "the connection went back to the pool");
    }

    @Test
    void aSubscriptionIteratesMessagesAndClosingUnsubscribes() {
        Subscription news = assertCompletes(client.subscribe("news", "sport"));
        assertEquals(List.of("news", 1L), assertCompletes(client.command("PUBSUB", "NUMSUB", "news")));
        assertEquals(1L, assertCompletes(client.publish("news", "first")));
        assertEquals(1L, assertCompletes(client.publish("sport", "second")));
        assertEquals(new Message(null, "news", "first".getBytes(UTF_8)), assertCompletes(news.next()).orElseThrow());
        Message second = assertCompletes(news.next()).orElseThrow();
        assertEquals("sport", second.channel());
        assertEquals("second", second.message());
        Future<Optional<Message>> waiting = news.next();
        assertCompletes(news.closeAsync());
        assertEquals(Optional.empty(), assertCompletes(waiting));
        assertEquals(Optional.empty(), assertCompletes(news.next()));
        assertEquals(List.of("news", 0L), assertCompletes(client.command("PUBSUB", "NUMSUB", "news")));
        assertEquals(0L, assertCompletes(client.publish("news", "nobody listens")));
    }

    @Test
    void aPatternSubscriptionSaysWhichPatternMatched() {
        Subscription s = assertCompletes(client.psubscribe("news.*"));
        assertCompletes(client.publish("news.tech", "chips"));
        Message m = assertCompletes(s.next()).orElseThrow();
        assertEquals("news.*", m.pattern());
        assertEquals("news.tech", m.channel());
        assertEquals("chips", m.message());
        assertCompletes(s.closeAsync());
    }

    @Test
    void aFullSubscriptionBufferPausesReadingAndLosesNothing(EventLoop loop) {
        RedisClient small = connect(RedisOptions.defaults().subscriptionBuffer(4));
        try {
            Subscription s = assertCompletes(small.subscribe("flood"));
            List<Future<Long>> published = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                published.add(client.publish("flood", "m" + i));
            }
            assertCompletes(Async.gather(published));
            assertCompletes(Async.repeat(() -> s.isPaused() ? Async.completed(false)
                    : Async.sleep(Duration.ofMillis(5), true)));
            assertTrue(s.buffered() >= 4, "paused at the bound: " + s.buffered());
            for (int i = 0; i < 50; i++) {
                assertEquals("m" + i, assertCompletes(s.next()).orElseThrow().message());
            }
            assertFalse(s.isPaused());
        } finally {
            assertCompletes(small.closeAsync());
        }
    }

    @Test
    void aBlockingPopWaitsOnThePoolWithoutStallingOtherCommands() {
        Future<List<String>> pop = client.blpop(Duration.ofSeconds(10), "jobs");
        Future<Object> rawPop = client.command("BLPOP", "jobs", "10");
        assertEquals("PONG", assertCompletes(client.ping()));
        assertNull(assertCompletes(client.get("x")), "GET issued after the BLPOPs did not wait for them");
        assertFalse(pop.isDone());
        assertFalse(rawPop.isDone());
        assertEquals(2, client.pool().size());
        assertCompletes(client.command("RPUSH", "jobs", "first", "second"));
        assertEquals(List.of("jobs", "first"), assertCompletes(pop));
        assertEquals(List.of("jobs", "second"), assertCompletes(rawPop));
        assertNull(assertCompletes(client.blpop(Duration.ofMillis(10), "jobs")), "timed out on the server: null");
        assertEquals(2, client.pool().idle());
    }

    @Test
    void resp3RepliesComeTyped() {
        RedisClient resp3 = connect(RedisOptions.defaults().protocol(3));
        try {
            assertCompletes(resp3.command("HSET", "h", "f1", "v1", "f2", "v2"));
            assertEquals(Map.of("f1", "v1", "f2", "v2"), assertCompletes(resp3.command("HGETALL", "h")));
            assertCompletes(resp3.command("SADD", "s", "a", "b"));
            assertEquals(Set.of("a", "b"), assertCompletes(resp3.command("SMEMBERS", "s")));
            assertCompletes(resp3.command("ZADD", "z", "1.5", "m"));
            assertEquals(1.5, assertCompletes(resp3.command("ZSCORE", "z", "m")));
            Map<?, ?> hello = assertInstanceOf(Map.class, assertCompletes(resp3.command("HELLO", "3")));
            assertEquals(3L, hello.get("proto"));
            assertEquals(true, assertCompletes(resp3.command("EVAL", "redis.setresp(3); return true", "0")));
            assertNull(assertCompletes(resp3.get("nothing")));
            Subscription s = assertCompletes(resp3.subscribe("pushed"));
            assertCompletes(resp3.publish("pushed", "as a push frame"));
            assertEquals("as a push frame", assertCompletes(s.next()).orElseThrow().message());
            assertCompletes(s.closeAsync());
        } finally {
            assertCompletes(resp3.closeAsync());
        }
    }

    @Test
    void aKilledConnectionFailsWhatWaitsOnItAndTheClientReconnects() {
        RedisClient victim = connect(RedisOptions.defaults().reconnectBackoff(Duration.ofMillis(10),
                Duration.ofMillis(100)));
        try {
            long id = (Long) assertCompletes(victim.command("CLIENT", "ID"));
            // One batch: the server runs the kill, answers it, and drops the connection before the GETs.
            Future<Object> kill = victim.command("CLIENT", "KILL", "ID", String.valueOf(id), "SKIPME", "no");
            Future<String> a = victim.get("a");
            Future<String> b = victim.get("b");
            assertEquals(1L, assertCompletes(kill));
            RedisConnectionException e = assertFails(RedisConnectionException.class, a);
            assertEquals("GET got no reply: the connection to 127.0.0.1:" + server.port + " was closed by the server",
                    e.getMessage());
            assertFails(RedisConnectionException.class, b);
            assertCompletes(Async.repeat(() -> victim.isConnected() ? Async.completed(false)
                    : Async.sleep(Duration.ofMillis(5), true)));
            assertEquals(2, victim.connects());
            assertEquals("PONG", assertCompletes(victim.ping()));
            long newId = (Long) assertCompletes(victim.command("CLIENT", "ID"));
            assertTrue(newId > id);
        } finally {
            assertCompletes(victim.closeAsync());
        }
    }
}
