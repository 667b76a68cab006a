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
 * loop iteration, in one write (automatic pipelining: see {@link RedisClient}). On a
 * {@link Transaction} the command is only queued, and its future completes when
 * {@link Transaction#exec()} has run.
 *
 * <p><b>How a command's future fails.</b> With a {@link RedisException} when the server answers
 * with an error; with a {@link java.util.concurrent.TimeoutException} when no reply comes within
 * {@link RedisOptions#commandTimeout(Duration)}; with a {@link RedisConnectionException} when the
 * connection is lost before the reply, or there is none (the client is reconnecting or closed);
 * with a {@link java.util.concurrent.RejectedExecutionException} when
 * {@link RedisOptions#maxPending(int)} commands already wait on the connection. Wrong arguments on
 * the Java side (none at all, a null) throw at once instead, as do a call on a
 * {@link RedisClient} from another thread than its loop's, and a call on a {@link Transaction}
 * after its {@code exec()} or on a {@link RedisConnection} after its body ended (all
 * {@link IllegalStateException}).
 *
 * <p>Compared with redis-py's asyncio client: the same methods without {@code await}; redis-py's
 * {@code decode_responses=True} is the text flavour and its default the binary one, chosen here
 * per call ({@code get(String)} or {@code get(byte[])}) instead of per client. Its
 * {@code ResponseError}, {@code TimeoutError} and {@code ConnectionError} are the first three
 * failures above; it has no counterpart of the pending limit.
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
     * {@code execute_command("HSET", "h", "f", "v")}. The name is matched case-insensitively, so
     * a blocking command sent this way ({@code command("BLPOP", "jobs", "5")}) still runs off the
     * shared connection.
     *
     * @param args the command's name, then its arguments, each sent as its UTF-8 bytes
     * @return the reply, mapped as the class comment says; an error reply fails it with a
     *     {@link RedisException}
     * @throws IllegalArgumentException if {@code args} is empty
     * @throws NullPointerException if an argument is null
     */
    public Future<Object> command(String... args) {
        return send(name(args), encode(args), Resp.Mode.TEXT);
    }

    /**
     * Any command with binary arguments, its bulk strings returned as {@code byte[]}: every byte
     * value is kept, in keys, values and replies. redis-py's client without
     * {@code decode_responses}. The arrays are not copied: leave them unchanged until the
     * future completes (a blocking command may wait for a pool connection, a transaction's
     * commands for {@code exec()}).
     *
     * @param args the command's name (its UTF-8 bytes, any case), then its arguments, sent byte
     *     for byte
     * @return the reply, mapped as the class comment says but with every bulk string (map keys
     *     included) and verbatim string as {@code byte[]}; an error reply fails it with a
     *     {@link RedisException}
     * @throws IllegalArgumentException if {@code args} is empty
     * @throws NullPointerException if an argument is null
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

    /**
     * {@code GET key}: the value as UTF-8 text, or null when the key does not exist. redis-py's
     * {@code get(name)} with {@code decode_responses=True}.
     *
     * @param key the key, sent as UTF-8
     * @return the value decoded as UTF-8, or null when the key does not exist; fails with a
     *     {@link RedisException} ({@code WRONGTYPE}) if the key holds a list, hash or other
     *     non-string value
     */
    public Future<String> get(String key) {
        return typed(command("GET", key));
    }

    /**
     * {@code GET key}, binary-safe: the value's bytes, or null when the key does not exist.
     * redis-py's {@code get(name)} with its default, undecoded responses.
     *
     * @param key the key's bytes, sent unchanged
     * @return the value's bytes, or null when the key does not exist; fails with a
     *     {@link RedisException} ({@code WRONGTYPE}) if the key holds a non-string value
     */
    public Future<byte[]> get(byte[] key) {
        return typed(commandBytes(bytes("GET"), key));
    }

    /**
     * {@code SET key value}: stores the value, replacing any value and expiry the key had.
     * redis-py's {@code set(name, value)}, which answers {@code True} where this answers
     * {@code "OK"}. For {@code EX}, {@code NX} and the other options, send them through
     * {@link #command(String...)}: {@code command("SET", key, value, "EX", "60")}.
     *
     * @param key the key, sent as UTF-8
     * @param value the value, sent as UTF-8
     * @return the server's {@code "OK"}
     */
    public Future<String> set(String key, String value) {
        return typed(command("SET", key, value));
    }

    /**
     * {@code SET key value}, binary-safe: stores the bytes as they are, replacing any value and
     * expiry the key had.
     *
     * @param key the key's bytes, sent unchanged
     * @param value the value's bytes, sent unchanged
     * @return the server's {@code "OK"}
     */
    public Future<String> set(byte[] key, byte[] value) {
        return typed(commandBytes(bytes("SET"), key, value));
    }

    /**
     * {@code INCR key}: adds one to the integer stored at {@code key}, atomically on the server.
     * redis-py's {@code incr(name)}.
     *
     * @param key the key, sent as UTF-8; a key that does not exist counts as 0
     * @return the value after the increment; fails with a {@link RedisException} if the value is
     *     not an integer in 64-bit range ({@code ERR}) or not a string at all ({@code WRONGTYPE})
     */
    public Future<Long> incr(String key) {
        return typed(command("INCR", key));
    }

    /**
     * {@code DEL key...}: removes the keys. redis-py's {@code delete(*names)}.
     *
     * @param keys the keys to remove, sent as UTF-8; at least one, since the server refuses
     *     {@code DEL} alone (the future then fails with a {@link RedisException})
     * @return how many of the keys existed, and so were removed
     * @throws NullPointerException if a key is null
     */
    public Future<Long> del(String... keys) {
        String[] args = new String[keys.length + 1];
        args[0] = "DEL";
        System.arraycopy(keys, 0, args, 1, keys.length);
        return typed(command(args));
    }

    /**
     * {@code PUBLISH channel message}: sends {@code message} to the subscribers of
     * {@code channel}. redis-py's {@code publish(channel, message)}; subscribe with
     * {@link RedisClient#subscribe}.
     *
     * @param channel the channel, sent as UTF-8
     * @param message the message, sent as UTF-8
     * @return how many subscribers of this server received it, pattern subscriptions included (0
     *     when nobody listens: the message is not kept)
     */
    public Future<Long> publish(String channel, String message) {
        return typed(command("PUBLISH", channel, message));
    }

    /**
     * {@code PING}: a round trip that checks the connection. redis-py's {@code ping()}, which
     * answers {@code True} where this answers {@code "PONG"}.
     *
     * @return the server's {@code "PONG"}
     */
    public Future<String> ping() {
        return typed(command("PING"));
    }

    /**
     * {@code BLPOP key... timeout}: the first element of the first non-empty list as
     * {@code [key, value]}, waiting up to {@code timeout} (zero: forever) for one; null if none
     * came. On a {@link RedisClient} it runs on a connection of its own, so it never holds up the
     * other commands, and its {@link RedisOptions#commandTimeout(Duration) command timeout} is
     * lengthened by {@code timeout}. redis-py's {@code blpop(keys, timeout)}, whose timeout is
     * a number of seconds.
     *
     * @param timeout how long the server waits for an element, sent as seconds with millisecond
     *     precision (finer parts are dropped); {@link Duration#ZERO} waits forever. A fraction of a
     *     second needs Redis 6 or later
     * @param keys the lists to pop from, sent as UTF-8, tried in this order
     * @return {@code [key, value]}: the list the element came from and the element; null if
     *     {@code timeout} passed with every list empty
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Future<List<String>> blpop(Duration timeout, String... keys) {
        return typed(command(blockingArgs("BLPOP", timeout, keys)));
    }

    /**
     * {@code BRPOP key... timeout}: as {@link #blpop}, from the tail. redis-py's
     * {@code brpop(keys, timeout)}.
     *
     * @param timeout how long the server waits for an element, sent as seconds with millisecond
     *     precision; {@link Duration#ZERO} waits forever
     * @param keys the lists to pop from, sent as UTF-8, tried in this order
     * @return {@code [key, value]}: the list the element came from and its last element; null if
     *     {@code timeout} passed with every list empty
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
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
