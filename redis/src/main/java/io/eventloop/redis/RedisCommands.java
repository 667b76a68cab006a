package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.eventloop.Future;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The commands every Redis handle has — {@link RedisClient}, a dedicated {@link RedisConnection},
 * a {@link Transaction} being built — in two flavours: text, where arguments are encoded as UTF-8
 * and bulk strings come back as {@code String}, and binary-safe, where both stay {@code byte[]}.
 *
 * <p>{@link #command(String...)} sends any command. Its reply is mapped to Java as follows (RESP3
 * types only with {@link RedisOptions#protocol(int) protocol(3)}):
 * <pre>
 *   simple string (+OK)     String          integer (:1)       Long
 *   bulk string ($3 abc)    String          (byte[] in commandBytes)
 *   null ($-1, *-1, _)      null            array (*2)         List&lt;Object&gt;
 *   map (%)                 Map (in order)  set (~)            Set (in order)
 *   double (,)              Double          boolean (#)        Boolean
 *   big number (()          BigInteger      verbatim (=)       String, without its "txt:"
 *   error (-ERR ...)        the future fails with a {@link RedisException} carrying the text;
 *                           inside an array (EXEC's), the element is that exception
 * </pre>
 *
 * <p>Every method returns at once with a future; the command goes out with the others of the same
 * loop iteration, in one write (automatic pipelining: see {@link RedisClient}).
 *
 * <p>Compared with redis-py's asyncio client: the same methods without {@code await}; redis-py's
 * {@code decode_responses=True} is the text flavour and its default the binary one, chosen here
 * per call ({@code get(String)} or {@code get(byte[])}) instead of per client.
 */
public abstract class RedisCommands {
    RedisCommands() {
    }

    /**
     * Sends {@code args} (the command's name first) and completes with its reply in {@code mode}.
     * The one door every command goes through.
     */
    abstract Future<Object> send(String command, byte[][] args, Resp.Mode mode);

    /**
     * Any command, its arguments as UTF-8: {@code command("HSET", "h", "f", "v")}. redis-py's
     * {@code execute_command("HSET", "h", "f", "v")}.
     *
     * @return the reply, mapped as the class comment says; an error reply fails it with a
     *     {@link RedisException}
     */
    public Future<Object> command(String... args) {
        return send(name(args), encode(args), Resp.Mode.TEXT);
    }

    /**
     * Any command with binary arguments, its bulk strings returned as {@code byte[]}: every byte
     * value is kept, in keys, values and replies. redis-py's client without
     * {@code decode_responses}.
     */
    public Future<Object> commandBytes(byte[]... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        for (byte[] a : args) {
            Objects.requireNonNull(a, "an argument is null");
        }
        return send(new String(args[0], UTF_8).toUpperCase(Locale.ROOT), args.clone(), Resp.Mode.BYTES);
    }

    /** {@code GET key}: the value as UTF-8 text, or null when the key does not exist. */
    public Future<String> get(String key) {
        return typed(command("GET", key));
    }

    /** {@code GET key}, binary-safe: the value's bytes, or null when the key does not exist. */
    public Future<byte[]> get(byte[] key) {
        return typed(commandBytes(bytes("GET"), key));
    }

    /** {@code SET key value}: the server's {@code "OK"}. */
    public Future<String> set(String key, String value) {
        return typed(command("SET", key, value));
    }

    /** {@code SET key value}, binary-safe: the server's {@code "OK"}. */
    public Future<String> set(byte[] key, byte[] value) {
        return typed(commandBytes(bytes("SET"), key, value));
    }

    /**
     * {@code INCR key}: the value after the increment. Fails with a {@link RedisException} if the
     * value is not an integer.
     */
    public Future<Long> incr(String key) {
        return typed(command("INCR", key));
    }

    /** {@code DEL key...}: how many of the keys existed. */
    public Future<Long> del(String... keys) {
        String[] args = new String[keys.length + 1];
        args[0] = "DEL";
        System.arraycopy(keys, 0, args, 1, keys.length);
        return typed(command(args));
    }

    /** {@code PUBLISH channel message}: how many subscribers received it. */
    public Future<Long> publish(String channel, String message) {
        return typed(command("PUBLISH", channel, message));
    }

    /** {@code PING}: {@code "PONG"}. */
    public Future<String> ping() {
        return typed(command("PING"));
    }

    /**
     * {@code BLPOP key... timeout}: the first element of the first non-empty list as
     * {@code [key, value]}, waiting up to {@code timeout} (zero: forever) for one; null if none
     * came. On a {@link RedisClient} it runs on a connection of its own, so it never holds up the
     * other commands.
     */
    public Future<List<String>> blpop(Duration timeout, String... keys) {
        return typed(command(blockingArgs("BLPOP", timeout, keys)));
    }

    /** {@code BRPOP key... timeout}: as {@link #blpop}, from the tail. */
    public Future<List<String>> brpop(Duration timeout, String... keys) {
        return typed(command(blockingArgs("BRPOP", timeout, keys)));
    }

    private static String[] blockingArgs(String name, Duration timeout, String[] keys) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " timeout must not be negative: " + timeout);
        }
        String[] args = new String[keys.length + 2];
        args[0] = name;
        System.arraycopy(keys, 0, args, 1, keys.length);
        args[args.length - 1] = java.math.BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString();
        return args;
    }

    /**
     * The command's future as the type its reply has in its mode: a cast, not a {@code map}, so a
     * typed command costs no second future and no callback (and a transaction's futures stay its
     * own). Sound because the mode fixes the reply's Java type: text mode turns every bulk string
     * into a {@code String}, a simple string is always one, an integer always a {@code Long}.
     */
    @SuppressWarnings("unchecked")
    static <T> Future<T> typed(Future<Object> f) {
        return (Future<T>) (Future<?>) f;
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String name(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        return args[0].toUpperCase(Locale.ROOT);
    }

    static byte[][] encode(String[] args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = Objects.requireNonNull(args[i], "an argument is null").getBytes(UTF_8);
        }
        return out;
    }
}
