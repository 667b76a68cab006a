package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.Future;
import io.eventloop.redis.Message;
import io.eventloop.redis.RedisClient;
import io.eventloop.redis.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wire: malformed requests get Redis's protocol error and a close, and never disturb another
 * client; requests cut anywhere still parse; pipelines of 10,000 commands; our own client, with
 * its automatic pipelining and pub/sub, against the server.
 */
class KvServerProtocolTest {
    private KvFixture kv;

    @BeforeEach
    void start() throws Exception {
        kv = new KvFixture();
    }

    @AfterEach
    void stop() throws Exception {
        kv.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "*x\\r\\n|invalid multibulk length",
        "*99999999999\\r\\n|invalid multibulk length",
        "*1\\r\\n+GET\\r\\n|expected '$', got '+'",
        "*1\\r\\n$-3\\r\\n|invalid bulk length",
        "*1\\r\\n$abc\\r\\n|invalid bulk length",
        "*1\\r\\n$600000000\\r\\n|invalid bulk length",
        "SET \"unclosed\\r\\n|unbalanced quotes in request",
    })
    void malformedRequestsGetAProtocolErrorAndACloseWhileOthersGoOn(String request, String error) throws Exception {
        try (RespSocket bad = new RespSocket(kv.port()); RespSocket good = new RespSocket(kv.port())) {
            assertEquals("+OK", good.call("SET", "k", "v"));
            bad.raw(request.replace("\\r\\n", "\r\n"));
            assertEquals("-ERR Protocol error: " + error, bad.read());
            assertTrue(bad.closedByServer());
            assertEquals("v", good.call("GET", "k"));
        }
    }

    @Test
    void aHeaderLineLongerThan64KiBIsRefused() throws Exception {
        try (RespSocket bad = new RespSocket(kv.port()); RespSocket good = new RespSocket(kv.port())) {
            bad.raw("*" + "1".repeat(70_000));
            assertEquals("-ERR Protocol error: too big mbulk count string", bad.read());
            assertTrue(bad.closedByServer());
            assertEquals("+PONG", good.call("PING"));
        }
    }

    @Test
    void anInlineLineLongerThan64KiBIsRefused() throws Exception {
        try (RespSocket bad = new RespSocket(kv.port())) {
            bad.raw("ECHO " + "x".repeat(70_000));
            assertEquals("-ERR Protocol error: too big inline request", bad.read());
            assertTrue(bad.closedByServer());
        }
    }

    @Test
    void repliesBeforeTheMalformedPartAreSentFirst() throws Exception {
        try (RespSocket c = new RespSocket(kv.port())) {
            c.raw("*1\r\n$4\r\nPING\r\n*1\r\n!");
            assertEquals("+PONG", c.read());
            assertEquals("-ERR Protocol error: expected '$', got '!'", c.read());
        }
    }

    @Test
    void aRequestSentOneByteAtATimeParses() throws Exception {
        byte[] set = RespSocket.encode("SET", "key", "x".repeat(40_000)); // past the big-argument size, too
        byte[] get = RespSocket.encode("GET", "key");
        try (RespSocket c = new RespSocket(kv.port())) {
            c.socket.setTcpNoDelay(true);
            for (int i = 0; i < 200; i++) {
                c.raw(new byte[] {set[i]});
            }
            c.raw(java.util.Arrays.copyOfRange(set, 200, set.length - 3));
            for (int i = set.length - 3; i < set.length; i++) {
                c.raw(new byte[] {set[i]});
            }
            assertEquals("+OK", c.read());
            for (byte b : get) {
                c.raw(new byte[] {b});
            }
            assertEquals("x".repeat(40_000), c.read());
        }
    }

    @Test
    void tenThousandPipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            batch.writeBytes(RespSocket.encode("SET", "key:" + i, "value:" + i));
            batch.writeBytes(RespSocket.encode("GET", "key:" + i));
        }
        batch.writeBytes("DBSIZE\r\n".getBytes(StandardCharsets.US_ASCII)); // inline, at the end of the pipeline
        try (RespSocket c = new RespSocket(kv.port())) {
            Thread writer = new Thread(() -> {
                try {
                    c.raw(batch.toByteArray());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            for (int i = 0; i < 10_000; i++) {
                assertEquals("+OK", c.read());
                assertEquals("value:" + i, c.read());
            }
            assertEquals(10_000L, c.read());
            writer.join();
        }
    }

    @Test
    void ourClientsAutomaticPipeliningGetsEveryReply() throws Exception {
        List<String> got = kv.thread.call(() -> RedisClient.connect("127.0.0.1", kv.port()).then(redis -> {
            List<Future<String>> sets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                sets.add(redis.set("k" + i, "v" + i));
            }
            return Async.gather(sets).then(ok -> {
                List<Future<String>> gets = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    gets.add(redis.get("k" + i));
                }
                return Async.gather(gets);
            }).then(values -> redis.closeAsync().map(v -> values));
        }));
        assertEquals(10_000, got.size());
        for (int i = 0; i < 10_000; i++) {
            assertEquals("v" + i, got.get(i));
        }
    }

    @Test
    void ourClientRunsCommandsOverResp3() throws Exception {
        Object[] r = kv.thread.call(() -> RedisClient.connect("127.0.0.1", kv.port()).then(redis ->
                redis.incr("n").then(one -> redis.command("LPUSH", "l", "a", "b")).then(two ->
                        redis.command("LRANGE", "l", "0", "-1")).then(range ->
                        redis.del("n", "l").then(del -> redis.get("n").then(none ->
                                redis.closeAsync().map(v -> new Object[] {range, del, none}))))));
        assertEquals(List.of("b", "a"), r[0]);
        assertEquals(2L, r[1]);
        assertEquals(null, r[2]);
    }

    @Test
    void publishReachesTheSubscribersOfTheChannelAndPatterns() throws Exception {
        List<String> got = kv.thread.call(() -> RedisClient.connect("127.0.0.1", kv.port()).then(sub ->
                RedisClient.connect("127.0.0.1", kv.port()).then(pub ->
                        sub.subscribe("news").then(s ->
                                pub.publish("news", "first").then(n1 ->
                                        pub.publish("other", "lost").then(n2 ->
                                                pub.publish("news", "second").then(n3 ->
                                                        s.next().then(m1 -> s.next().then(m2 -> s.closeAsync()
                                                                .then(v -> pub.publish("news", "after"))
                                                                .then(n4 -> sub.closeAsync().then(v -> pub.closeAsync())
                                                                        .map(v -> List.of(n1 + "," + n2 + "," + n3 + "," + n4,
                                                                                text(m1), text(m2)))))))))))));
        assertEquals(List.of("1,0,1,0", "news:first", "news:second"), got);
    }

    private static String text(Optional<Message> m) {
        return m.map(x -> x.channel() + ":" + new String(x.payload(), StandardCharsets.UTF_8)).orElse("none");
    }

    @Test
    void aResp2SubscriberMayOnlyRunPubSubCommandsAndPing() throws Exception {
        try (RespSocket sub = new RespSocket(kv.port()); RespSocket pub = new RespSocket(kv.port())) {
            assertEquals(List.of("subscribe", "a", 1L), sub.call("SUBSCRIBE", "a", "b"));
            assertEquals(List.of("subscribe", "b", 2L), sub.read());
            assertEquals(List.of("psubscribe", "n*", 3L), sub.call("PSUBSCRIBE", "n*"));
            assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                    + " are allowed in this context", sub.call("GET", "k"));
            assertEquals(List.of("pong", ""), sub.call("PING"));
            assertEquals(1L, pub.call("PUBLISH", "a", "hi"));
            assertEquals(List.of("message", "a", "hi"), sub.read());
            assertEquals(1L, pub.call("PUBLISH", "news", "x"));
            assertEquals(List.of("pmessage", "n*", "news", "x"), sub.read());
            assertEquals(List.of("unsubscribe", "a", 2L), sub.call("UNSUBSCRIBE", "a"));
            assertEquals(List.of("punsubscribe", "n*", 1L), sub.call("PUNSUBSCRIBE"));
            assertEquals(List.of("unsubscribe", "b", 0L), sub.call("UNSUBSCRIBE"));
            assertEquals("+PONG", sub.call("PING"), "no longer subscribed");
            assertEquals(0L, pub.call("PUBLISH", "a", "nobody"));
        }
    }
}
