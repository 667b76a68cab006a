package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser on its own: every reply type of RESP2 and RESP3, each fed whole, byte by byte and
 * split at every position, and each limit with the message it gives.
 */
class RespParserTest {
    private static final int BIG = Integer.MAX_VALUE;

    /** Parses {@code wire} fed as the chunks {@code cuts} make, and returns the replies. */
    private static List<Object> parse(byte[] wire, int... cuts) throws RedisProtocolException {
        List<Object> replies = new ArrayList<>();
        RespParser parser = new RespParser(BIG, 64, BIG, replies::add);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(ByteBuffer.wrap(wire, from, cut - from));
            from = cut;
        }
        parser.feed(ByteBuffer.wrap(wire, from, wire.length - from));
        return replies;
    }

    /**
     * The replies of {@code wire}, checked to be the same whether fed whole, one byte per feed, or
     * in two pieces cut at each position.
     */
    private static List<Object> parseEverySplit(String wire) throws RedisProtocolException {
        byte[] bytes = wire.getBytes(UTF_8);
        List<Object> whole = java(parse(bytes));
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(whole, java(parse(bytes, everyByte)), "byte by byte");
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(whole, java(parse(bytes, cut)), "cut at " + cut);
        }
        return whole;
    }

    /** Raw values as comparable Java values: text for bulk strings, as command() gives them. */
    private static List<Object> java(List<Object> raw) {
        List<Object> out = new ArrayList<>();
        for (Object o : raw) {
            Object v = Resp.toJava(o, Resp.Mode.TEXT, "TEST");
            out.add(v instanceof RedisException e ? "error: " + e.getMessage() : v);
        }
        return out;
    }

    @Test
    void resp2TypesSurviveEverySplit() throws Exception {
        List<Object> replies = parseEverySplit("+OK\r\n-WRONGTYPE Operation against a key\r\n:42\r\n:-7\r\n"
                + "$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n$1\r\na\r\n:1\r\n*1\r\n+nested\r\n");
        assertEquals(Arrays.asList("OK", "error: WRONGTYPE Operation against a key", 42L, -7L, "hello", "", null, null,
                List.of(), List.of("a", 1L, List.of("nested"))), replies);
    }

    @Test
    void resp3TypesSurviveEverySplit() throws Exception {
        List<Object> replies = parseEverySplit("_\r\n#t\r\n#f\r\n,3.25\r\n,inf\r\n,-inf\r\n(123456789012345678901234567890\r\n"
                + "=15\r\ntxt:Some string\r\n!21\r\nSYNTAX invalid syntax\r\n%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*1\r\n:2\r\n"
                + "~3\r\n+a\r\n+b\r\n+a\r\n|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n$5\r\nvalue\r\n");
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("first", 1L);
        map.put("second", List.of(2L));
        assertEquals(Arrays.asList(null, true, false, 3.25, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                new BigInteger("123456789012345678901234567890"), "Some string", "error: SYNTAX invalid syntax", map,
                new LinkedHashSet<>(List.of("a", "b")), "value"), replies);
    }

    @Test
    void nanIsADouble() throws Exception {
        assertTrue(((Double) parseEverySplit(",nan\r\n").get(0)).isNaN());
    }

    @Test
    void pushFramesAreMarkedAsPushes() throws Exception {
        List<Object> raw = parse(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n".getBytes(UTF_8));
        Resp.Push push = assertInstanceOf(Resp.Push.class, raw.get(0));
        assertEquals(List.of("message", "ch", "hi"), Resp.toJava(push.elements(), Resp.Mode.TEXT, "TEST"));
    }

    @Test
    void aBulkStringIsBinarySafeAndCopiedIntoItsOwnArray() throws Exception {
        byte[] value = new byte[256];
        for (int i = 0; i < 256; i++) {
            value[i] = (byte) i; // CR, LF and every other byte inside the string
        }
        ByteBuffer wire = ByteBuffer.allocate(300);
        wire.put("$256\r\n".getBytes(UTF_8)).put(value).put("\r\n".getBytes(UTF_8)).flip();
        byte[] bytes = Arrays.copyOf(wire.array(), wire.limit());
        for (int cut = 0; cut <= bytes.length; cut += 7) {
            byte[] got = (byte[]) parse(bytes, cut).get(0);
            assertArrayEquals(value, got);
        }
    }

    @Test
    void aBulkStringOverTheLimitFailsBeforeAnythingIsAllocated() {
        RespParser parser = new RespParser(1024, 64, BIG, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap("$2147483647\r\n".getBytes(UTF_8))));
        assertEquals("a bulk string of 2147483647 bytes is over the limit of 1024 (RedisOptions.maxBulkLength)",
                e.getMessage());
        assertThrows(RedisProtocolException.class, () -> parser.feed(ByteBuffer.wrap("+OK\r\n".getBytes(UTF_8))),
                "a parser that failed stays failed");
    }

    @Test
    void nestingDeeperThanTheLimitFails() {
        RespParser parser = new RespParser(BIG, 3, BIG, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n".getBytes(UTF_8))));
        assertEquals("aggregates nested deeper than 3 (RedisOptions.maxDepth)", e.getMessage());
    }

    @Test
    void nestingUpToTheLimitIsFine() throws Exception {
        List<Object> replies = new ArrayList<>();
        new RespParser(BIG, 3, BIG, replies::add).feed(ByteBuffer.wrap("*1\r\n*1\r\n*1\r\n:1\r\n".getBytes(UTF_8)));
        assertEquals(List.of(List.of(List.of(List.of(1L)))), replies);
    }

    @Test
    void anArrayLongerThanTheLimitFails() {
        RespParser parser = new RespParser(BIG, 64, 10, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap("*1000000000\r\n".getBytes(UTF_8))));
        assertEquals("an aggregate of 1000000000 elements is over the limit of 10 (RedisOptions.maxArrayLength)",
                e.getMessage());
    }

    @Test
    void aMapCountsItsKeysAndValuesAgainstTheLimit() {
        RespParser parser = new RespParser(BIG, 64, 10, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap("%6\r\n".getBytes(UTF_8))));
        assertTrue(e.getMessage().startsWith("an aggregate of 12 elements"), e.getMessage());
    }

    @Test
    void aLineLongerThanTheLimitFails() {
        RespParser parser = new RespParser(BIG, 64, BIG, r -> { });
        byte[] line = new byte[RespParser.MAX_LINE + 2]; // the type byte, then one byte too many
        Arrays.fill(line, (byte) 'x');
        line[0] = '+';
        RedisProtocolException e = assertThrows(RedisProtocolException.class, () -> parser.feed(ByteBuffer.wrap(line)));
        assertTrue(e.getMessage().contains("longer than " + RespParser.MAX_LINE), e.getMessage());
    }

    @Test
    void garbageIsRefusedNamingTheByte() {
        RespParser parser = new RespParser(BIG, 64, BIG, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap("HTTP/1.1 400\r\n".getBytes(UTF_8))));
        assertEquals("not a RESP type byte: 0x48 ('H')", e.getMessage());
    }

    @Test
    void aBulkStringWithoutItsCrLfIsRefused() {
        RespParser parser = new RespParser(BIG, 64, BIG, r -> { });
        assertThrows(RedisProtocolException.class, () -> parser.feed(ByteBuffer.wrap("$1\r\nab\r\n".getBytes(UTF_8))));
    }

    @Test
    void aBadNumberIsRefused() {
        RespParser parser = new RespParser(BIG, 64, BIG, r -> { });
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> parser.feed(ByteBuffer.wrap(":12a\r\n".getBytes(UTF_8))));
        assertEquals("not a number after ':': \"12a\"", e.getMessage());
    }

    @Test
    void bytesModeKeepsBulkStringsAsBytesAndStripsVerbatimFormats() throws Exception {
        List<Object> raw = parse("*2\r\n$2\r\n\u0001\u0002\r\n=7\r\nmkd:*hi\r\n".getBytes(UTF_8));
        List<?> v = (List<?>) Resp.toJava(raw.get(0), Resp.Mode.BYTES, "TEST");
        assertArrayEquals(new byte[] {1, 2}, (byte[]) v.get(0));
        assertArrayEquals("*hi".getBytes(UTF_8), (byte[]) v.get(1));
    }

    @Test
    void nullsOfEveryKind() throws Exception {
        List<Object> replies = parse("$-1\r\n*-1\r\n_\r\n".getBytes(UTF_8));
        assertEquals(3, replies.size());
        replies.forEach(r -> assertNull(r));
    }

    @Test
    void commandsAreEncodedAsArraysOfBulkStrings() throws Exception {
        CommandBuffer out = new CommandBuffer();
        out.append(new byte[][] {"SET".getBytes(UTF_8), "k".getBytes(UTF_8), new byte[0]});
        out.append(new byte[][] {"GET".getBytes(UTF_8), "0123456789".getBytes(UTF_8)});
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n",
                new String(out.array(), 0, out.size(), UTF_8));
        List<Object> back = parse(Arrays.copyOf(out.array(), out.size()));
        assertEquals(List.of(List.of("SET", "k", ""), List.of("GET", "0123456789")), java(back));
    }
}
