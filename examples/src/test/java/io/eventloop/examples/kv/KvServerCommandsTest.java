package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each command and option over a real socket, with Redis's replies and error texts, byte for byte. */
class KvServerCommandsTest {
    private KvFixture kv;
    private RespSocket c;

    @BeforeEach
    void start() throws Exception {
        kv = new KvFixture();
        c = new RespSocket(kv.port());
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        kv.close();
    }

    @Test
    void pingAndEchoAnswer() throws Exception {
        assertEquals("+PONG", c.call("PING"));
        assertEquals("hello", c.call("ping", "hello"));
        assertEquals("a b\r\nc", c.call("ECHO", "a b\r\nc"));
        assertEquals("-ERR wrong number of arguments for 'echo' command", c.call("ECHO"));
        assertEquals("-ERR wrong number of arguments for 'ping' command", c.call("PING", "a", "b"));
    }

    @Test
    void getAndSetStoreBinarySafeValues() throws Exception {
        assertNull(c.call("GET", "k"));
        assertEquals("+OK", c.call("SET", "k", "v\r\n\0x"));
        assertEquals("v\r\n\0x", c.call("get", "k"));
        assertEquals("+OK", c.call("SET", "k", "abcd")); // same key, another length
        assertEquals("abcd", c.call("GET", "k"));
        assertEquals("+OK", c.call("SET", "k", "wxyz")); // same length: overwritten in place
        assertEquals("wxyz", c.call("GET", "k"));
    }

    @Test
    void setTakesNxXxGetAndKeepTtl() throws Exception {
        assertNull(c.call("SET", "k", "1", "XX"));
        assertNull(c.call("GET", "k"));
        assertEquals("+OK", c.call("SET", "k", "1", "NX"));
        assertNull(c.call("SET", "k", "2", "NX"));
        assertEquals("1", c.call("GET", "k"));
        assertEquals("+OK", c.call("SET", "k", "2", "XX"));
        assertEquals("2", c.call("SET", "k", "3", "GET"));
        assertNull(c.call("SET", "new", "x", "GET"));
        assertEquals("-ERR syntax error", c.call("SET", "k", "1", "NX", "XX"));
        assertEquals("-ERR syntax error", c.call("SET", "k", "1", "EX"));
        assertEquals("-ERR syntax error", c.call("SET", "k", "1", "EX", "10", "PX", "100"));
        assertEquals("-ERR syntax error", c.call("SET", "k", "1", "BOGUS"));
        assertEquals("+OK", c.call("SET", "k", "1", "EX", "100"));
        assertEquals("+OK", c.call("SET", "k", "2", "KEEPTTL"));
        assertEquals(100L, c.call("TTL", "k"));
        assertEquals("+OK", c.call("SET", "k", "3"));
        assertEquals(-1L, c.call("TTL", "k"), "a plain SET drops the deadline");
        assertEquals("-ERR syntax error", c.call("SET", "k", "1", "EX", "10", "KEEPTTL"));
    }

    @Test
    void setRefusesBadExpireTimes() throws Exception {
        assertEquals("-ERR invalid expire time in 'set' command", c.call("SET", "k", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command", c.call("SET", "k", "v", "PX", "-5"));
        assertEquals("-ERR value is not an integer or out of range", c.call("SET", "k", "v", "EX", "ten"));
        assertEquals("-ERR invalid expire time in 'set' command",
                c.call("SET", "k", "v", "EX", String.valueOf(Long.MAX_VALUE / 10)));
        assertNull(c.call("GET", "k"));
    }

    @Test
    void delAndExistsCountKeys() throws Exception {
        c.call("SET", "a", "1");
        c.call("SET", "b", "2");
        assertEquals(3L, c.call("EXISTS", "a", "b", "a", "zz"));
        assertEquals(2L, c.call("DEL", "a", "b", "zz"));
        assertEquals(0L, c.call("EXISTS", "a"));
        assertEquals("-ERR wrong number of arguments for 'del' command", c.call("DEL"));
    }

    @Test
    void incrementsCountAndRefuseWhatIsNotAnInteger() throws Exception {
        assertEquals(1L, c.call("INCR", "n"));
        assertEquals(11L, c.call("INCRBY", "n", "10"));
        assertEquals(10L, c.call("DECR", "n"));
        assertEquals(-5L, c.call("DECRBY", "n", "15"));
        c.call("SET", "s", "12a");
        assertEquals("-ERR value is not an integer or out of range", c.call("INCR", "s"));
        c.call("SET", "s", " 12");
        assertEquals("-ERR value is not an integer or out of range", c.call("INCR", "s"));
        assertEquals("-ERR value is not an integer or out of range", c.call("INCRBY", "n", "1.5"));
        c.call("SET", "big", String.valueOf(Long.MAX_VALUE));
        assertEquals("-ERR increment or decrement would overflow", c.call("INCR", "big"));
        c.call("LPUSH", "list", "x");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value", c.call("INCR", "list"));
    }

    @Test
    void msetAndMgetWorkOnManyKeys() throws Exception {
        assertEquals("+OK", c.call("MSET", "a", "1", "b", "2"));
        c.call("LPUSH", "l", "x");
        assertEquals(java.util.Arrays.asList("1", "2", null, null), c.call("MGET", "a", "b", "zz", "l"));
        assertEquals("-ERR wrong number of arguments for 'mset' command", c.call("MSET", "a", "1", "b"));
    }

    @Test
    void expireTtlAndPersistManageDeadlines() throws Exception {
        assertEquals(0L, c.call("EXPIRE", "k", "10"));
        assertEquals(-2L, c.call("TTL", "k"));
        c.call("SET", "k", "v");
        assertEquals(-1L, c.call("TTL", "k"));
        assertEquals(1L, c.call("EXPIRE", "k", "100"));
        assertEquals(100L, c.call("TTL", "k"));
        long pttl = (Long) c.call("PTTL", "k");
        assertTrue(pttl > 99_000 && pttl <= 100_000, "pttl " + pttl);
        assertEquals(1L, c.call("PEXPIRE", "k", "500000"));
        assertEquals(500L, c.call("TTL", "k"));
        assertEquals(0L, c.call("EXPIRE", "k", "10", "NX"));
        assertEquals(0L, c.call("EXPIRE", "k", "10", "GT"));
        assertEquals(1L, c.call("EXPIRE", "k", "10", "LT"));
        assertEquals(1L, c.call("PERSIST", "k"));
        assertEquals(0L, c.call("PERSIST", "k"));
        assertEquals(0L, c.call("EXPIRE", "k", "10", "XX"));
        assertEquals(1L, c.call("EXPIRE", "k", "10", "NX"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible",
                c.call("EXPIRE", "k", "10", "NX", "XX"));
        assertEquals("-ERR GT and LT options at the same time are not compatible", c.call("EXPIRE", "k", "1", "GT", "LT"));
        assertEquals("-ERR Unsupported option FOO", c.call("EXPIRE", "k", "10", "FOO"));
        assertEquals("-ERR value is not an integer or out of range", c.call("EXPIRE", "k", "x"));
        assertEquals("-ERR invalid expire time in 'expire' command", c.call("EXPIRE", "k", String.valueOf(Long.MAX_VALUE)));
        assertEquals(1L, c.call("EXPIRE", "k", "-1"), "a deadline in the past deletes the key");
        assertEquals(0L, c.call("EXISTS", "k"));
    }

    @Test
    void dbsizeFlushallAndKeysWithGlobPatterns() throws Exception {
        c.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5", "h*llo", "6");
        assertEquals(6L, c.call("DBSIZE"));
        assertEquals(Set.of("hello", "hallo", "hxllo", "h*llo"), keys("h?llo"));
        assertEquals(Set.of("hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo"), keys("h*llo"));
        assertEquals(Set.of("hello", "hallo"), keys("h[ae]llo"));
        assertEquals(Set.of("hallo", "hxllo", "h*llo"), keys("h[^e]llo"));
        assertEquals(Set.of("hallo"), keys("h[a-b]llo"));
        assertEquals(Set.of("h*llo"), keys("h\\*llo"));
        assertEquals(6, keys("*").size());
        assertEquals("+OK", c.call("FLUSHALL"));
        assertEquals(0L, c.call("DBSIZE"));
        assertEquals("-ERR syntax error", c.call("FLUSHALL", "NOW"));
    }

    @SuppressWarnings("unchecked")
    private Set<String> keys(String pattern) throws Exception {
        return new HashSet<>((List<String>) c.call("KEYS", pattern));
    }

    @Test
    void listsPushPopAndRange() throws Exception {
        assertEquals(3L, c.call("RPUSH", "l", "a", "b", "c"));
        assertEquals(5L, c.call("LPUSH", "l", "y", "z"));
        assertEquals(List.of("z", "y", "a", "b", "c"), c.call("LRANGE", "l", "0", "-1"));
        assertEquals(List.of("a", "b"), c.call("LRANGE", "l", "2", "3"));
        assertEquals(List.of("b", "c"), c.call("LRANGE", "l", "-2", "100"));
        assertEquals(List.of(), c.call("LRANGE", "l", "4", "2"));
        assertEquals("z", c.call("LPOP", "l"));
        assertEquals("c", c.call("RPOP", "l"));
        assertEquals(List.of("y", "a"), c.call("LPOP", "l", "2"));
        assertEquals(1L, c.call("LLEN", "l"));
        assertEquals(List.of("b"), c.call("RPOP", "l", "5"));
        assertEquals(0L, c.call("EXISTS", "l"), "an emptied list is removed");
        assertNull(c.call("LPOP", "l"));
        assertNull(c.call("LPOP", "l", "3"));
        assertEquals("-ERR value is out of range, must be positive", c.call("LPOP", "l", "-1"));
        c.call("SET", "s", "x");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value", c.call("LPUSH", "s", "a"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value", c.call("LRANGE", "s", "0", "1"));
        c.call("RPUSH", "l", "q");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value", c.call("GET", "l"));
        assertEquals("+list", c.call("TYPE", "l"));
        assertEquals("+string", c.call("TYPE", "s"));
        assertEquals("+none", c.call("TYPE", "zz"));
    }

    @Test
    void unknownCommandsAndWrongArityAreWordedAsRedisWordsThem() throws Exception {
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ", c.call("FOO", "bar", "baz"));
        assertEquals("-ERR unknown command 'nope', with args beginning with: ", c.call("nope"));
        assertEquals("-ERR wrong number of arguments for 'get' command", c.call("GET"));
        assertEquals("-ERR wrong number of arguments for 'set' command", c.call("SET", "k"));
        assertEquals("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.", c.call("CLIENT", "FOO"));
        assertEquals("+PONG", c.call("PING"), "the connection goes on after errors");
    }

    @Test
    void helloSwitchesToResp3AndBack() throws Exception {
        @SuppressWarnings("unchecked")
        List<Object> hello = (List<Object>) c.call("HELLO", "3", "SETNAME", "me");
        assertEquals("proto", hello.get(4));
        assertEquals(3L, hello.get(5));
        c.raw(RespSocket.encode("GET", "missing"));
        assertEquals("_\r\n", new String(c.socket.getInputStream().readNBytes(3)), "RESP3's null");
        assertEquals("me", c.call("CLIENT", "GETNAME"));
        assertEquals("-NOPROTO unsupported protocol version", c.call("HELLO", "4"));
        assertEquals("-ERR Protocol version is not an integer or out of range", c.call("HELLO", "x"));
        assertEquals(2L, ((List<?>) c.call("HELLO", "2")).get(5));
        c.raw(RespSocket.encode("GET", "missing"));
        assertEquals("$-1\r\n", new String(c.socket.getInputStream().readNBytes(5)), "RESP2's null");
    }

    @Test
    void clientSetnameCommandConfigSelectAndQuit() throws Exception {
        assertEquals("+OK", c.call("CLIENT", "SETNAME", "worker-1"));
        assertEquals("worker-1", c.call("CLIENT", "GETNAME"));
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.",
                c.call("CLIENT", "SETNAME", "a b"));
        assertEquals("-ERR wrong number of arguments for 'client|setname' command", c.call("CLIENT", "SETNAME"));
        long count = (Long) c.call("COMMAND", "COUNT");
        assertEquals(count, ((List<?>) c.call("COMMAND")).size());
        List<?> get = (List<?>) ((List<?>) c.call("COMMAND", "INFO", "get")).get(0);
        assertEquals(List.of("get", 2L), get.subList(0, 2));
        assertEquals(List.of("save", "", "appendonly", "no"), c.call("CONFIG", "GET", "save", "appendonly"));
        assertEquals(List.of("maxclients", "10000"), c.call("CONFIG", "GET", "maxclients"));
        assertEquals("+OK", c.call("SELECT", "0"));
        assertEquals("-ERR DB index is out of range", c.call("SELECT", "1"));
        assertEquals("+OK", c.call("QUIT"));
        assertTrue(c.closedByServer());
    }

    @Test
    void inlineCommandsSplitOnBlanksAndQuotes() throws Exception {
        c.raw("SET greeting \"hello world\\n\"\r\n");
        assertEquals("+OK", c.read());
        c.raw("GET greeting\n");
        assertEquals("hello world\n", c.read());
        c.raw("\r\n\r\nECHO 'it\\'s'\r\n");
        assertEquals("it's", c.read());
        c.raw("ECHO \"\\x41\\x42\"\r\n");
        assertEquals("AB", c.read());
    }
}
