package io.eventloop.redis;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.eventloop.Async;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The code of the guide's "Redis" chapter, run against a real {@code redis-server}: each block
 * there is marked as an excerpt of this file, so the page cannot drift from code that compiles
 * and passes. Keep the quoted lines as they are, or change the page with them.
 */
@EventLoopTest
class RedisGuideTest {
    private static RedisServer server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServer.start();
        port = server.port;
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void connectSetGet() {
        Future<String> greeting = RedisClient.connect("127.0.0.1", port).then(redis ->
                redis.set("greeting", "hello")                     // "OK"
                        .then(ok -> redis.get("greeting"))          // "hello"; null if absent
                        .ensure(redis::closeAsync));
        assertEquals("hello", assertCompletes(greeting));
    }

    @Test
    void pipelining() {
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port));
        List<Future<String>> gets = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            gets.add(redis.get("key:" + i));                        // queued: nothing is written yet
        }
        Future<List<String>> values = Async.gather(gets);          // next iteration: one write, 10,000 commands
        assertEquals(10_000, assertCompletes(values).size());
        assertCompletes(redis.closeAsync());
    }

    @Test
    void errors() {
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port));
        assertCompletes(redis.command("RPUSH", "queue", "job"));
        Future<Long> n = redis.incr("queue")                        // a list: the server refuses
                .recover(RedisException.class, e -> {
                    // e.getMessage(): "WRONGTYPE Operation against a key holding the wrong kind of value"
                    // e.command(): "INCR", e.code(): "WRONGTYPE"
                    return Async.completed(-1L);
                })
                .recover(TimeoutException.class, e -> Async.completed(-2L))   // no reply in time
                .recover(IOException.class, e -> Async.completed(-3L));       // RedisConnectionException
        assertEquals(-1L, assertCompletes(n));
        assertCompletes(redis.closeAsync());
    }

    @Test
    void transactions() {
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port));
        Transaction tx = redis.multi();
        Future<Long> hits = tx.incr("hits");                        // completes after EXEC
        tx.set("last-visit", "today");
        Future<List<Object>> all = tx.exec();                        // MULTI, INCR, SET, EXEC: one write
        assertEquals(List.of(1L, "OK"), assertCompletes(all));
        assertEquals(1L, assertCompletes(hits));

        Future<List<Object>> debit = redis.withConnection(c -> c.command("WATCH", "balance")
                .then(ok -> c.get("balance"))
                .then(balance -> {
                    Transaction t = c.multi();
                    t.set("balance", String.valueOf(Long.parseLong(balance == null ? "100" : balance) - 10));
                    return t.exec();                                 // RedisWatchException if balance changed
                }));
        assertEquals(List.of("OK"), assertCompletes(debit));
        assertEquals("90", assertCompletes(redis.get("balance")));
        assertCompletes(redis.closeAsync());
    }

    @Test
    void publishSubscribe() {
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port));
        List<String> seen = new ArrayList<>();
        Future<Void> reading = redis.subscribe("news").then(sub ->
                Async.forEach(sub, message -> {                     // async for message in pubsub.listen()
                    seen.add(message.channel() + ": " + message.message());
                    return message.message().equals("bye") ? sub.closeAsync() : Async.completed(null);
                }));                                                 // forEach closes it: UNSUBSCRIBE
        assertCompletes(Async.repeat(() -> redis.publish("news", "hello")
                .then(receivers -> receivers == 0L ? Async.sleep(Duration.ofMillis(5), true) : Async.completed(false))));
        assertCompletes(redis.publish("news", "bye"));
        assertCompletes(reading);
        assertEquals(List.of("news: hello", "news: bye"), seen);
        assertCompletes(redis.closeAsync());
    }

    @Test
    void blockingCommands() {
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port));
        Future<List<String>> job = redis.blpop(Duration.ofSeconds(30), "jobs");   // a pool connection waits
        Future<String> quick = redis.get("config");                // not behind the BLPOP: answered now
        assertEquals(null, assertCompletes(quick));
        assertCompletes(redis.command("RPUSH", "jobs", "resize-image"));
        assertEquals(List.of("jobs", "resize-image"), assertCompletes(job));
        assertCompletes(redis.closeAsync());
    }

    @Test
    void options() {
        RedisOptions options = RedisOptions.defaults()
                .clientName("worker-1")                              // CLIENT SETNAME
                .database(0)                                         // SELECT
                .commandTimeout(Duration.ofSeconds(2))               // TimeoutException; the connection stays
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(5))
                .protocol(3);                                        // RESP3: maps, sets, doubles, pushes
        // a password: .password("s3cret") or .credentials("app", "s3cret"); TLS: .tls(TlsConfig.client())
        RedisClient redis = assertCompletes(RedisClient.connect("127.0.0.1", port, options));
        assertCompletes(redis.command("HSET", "user:1", "name", "Ada"));
        assertInstanceOf(java.util.Map.class, assertCompletes(redis.command("HGETALL", "user:1")));
        assertCompletes(redis.closeAsync());
    }
}
