package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values {@link RespParser} produces, and how a command's future gets its Java value from one.
 *
 * <p>The parser's values are raw: a bulk string is the {@code byte[]} it was copied into, once,
 * from the read buffer; an error is an {@link Error}; RESP3's map, set, verbatim string and push
 * are the records below. {@link #toJava} turns that into what {@code command()} documents, with
 * bulk strings as {@code String} ({@link Mode#TEXT}) or left as {@code byte[]}
 * ({@link Mode#BYTES}). Keeping maps as lists until then is why a {@code byte[]} key never has to
 * be hashed.
 *
 * <pre>
 *   RESP2/RESP3 type       raw (parser)          TEXT                BYTES
 *   +simple  /  :integer   String / Long         String / Long       String / Long
 *   $bulk                  byte[]                String (UTF-8)      byte[]
 *   $-1, *-1, _null        null                  null                null
 *   -error, !blob error    Error                 RedisException      RedisException
 *   *array                 List                  List                List
 *   %map                   MapReply              LinkedHashMap       LinkedHashMap (byte[] keys)
 *   ~set                   SetReply              LinkedHashSet       LinkedHashSet
 *   ,double  #bool  (big   Double Boolean BigInteger (as they are)
 *   =verbatim              Verbatim              String, no "txt:"   byte[], no "txt:"
 *   &gt;push                  Push                  routed to pub/sub, never a command's reply
 *   |attribute             dropped by the parser (the value after it is the reply)
 * </pre>
 */
final class Resp {
    private Resp() {
    }

    /** How a command wants its bulk strings: as text, as bytes, or as the parser left them. */
    enum Mode { TEXT, BYTES, RAW }

    /** An error reply ({@code -ERR ...} or RESP3's {@code !}), still raw. */
    record Error(String text) {
    }

    /** RESP3's map, as its alternating keys and values. */
    record MapReply(List<Object> keysAndValues) {
    }

    /** RESP3's set, as its elements. */
    record SetReply(List<Object> elements) {
    }

    /** RESP3's verbatim string: a three-letter format, a colon, then the text. */
    record Verbatim(byte[] raw) {
    }

    /** RESP3's out-of-band push ({@code >}): pub/sub messages and client-side-caching invalidations. */
    record Push(List<Object> elements) {
    }

    /**
     * The Java value of a raw reply, for a command named {@code command}; an error anywhere inside
     * an aggregate becomes a {@link RedisException} element (as redis-py returns exceptions in a
     * pipeline's list) and only a top-level error fails the command, which the caller checks.
     */
    static Object toJava(Object raw, Mode mode, String command) {
        if (mode == Mode.RAW || raw == null || raw instanceof String || raw instanceof Long) {
            return raw;
        }
        if (raw instanceof byte[] b) {
            return mode == Mode.TEXT ? new String(b, UTF_8) : b;
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(toJava(o, mode, command));
            }
            return out;
        }
        if (raw instanceof Error e) {
            return new RedisException(command, e.text());
        }
        if (raw instanceof MapReply m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            List<Object> kv = m.keysAndValues();
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                out.put(toJava(kv.get(i), mode, command), toJava(kv.get(i + 1), mode, command));
            }
            return out;
        }
        if (raw instanceof SetReply s) {
            Set<Object> out = new LinkedHashSet<>();
            for (Object o : s.elements()) {
                out.add(toJava(o, mode, command));
            }
            return out;
        }
        if (raw instanceof Verbatim v) {
            byte[] b = v.raw();
            int from = b.length >= 4 && b[3] == ':' ? 4 : 0;
            return mode == Mode.TEXT ? new String(b, from, b.length - from, UTF_8) : Arrays.copyOfRange(b, from, b.length);
        }
        if (raw instanceof Push p) {
            return toJava(p.elements(), mode, command);
        }
        return raw; // Double, Boolean, BigInteger
    }

    /** A raw bulk or simple string as text, for the routing of pub/sub messages; null if it is neither. */
    static String text(Object raw) {
        if (raw instanceof byte[] b) {
            return new String(b, UTF_8);
        }
        return raw instanceof String s ? s : null;
    }
}
