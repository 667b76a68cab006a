package io.eventloop.redis;

import io.eventloop.net.Net;
import io.eventloop.net.TlsConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisClient#connect(String, int, RedisOptions)} connects and behaves: credentials,
 * database, timeouts, TLS, the protocol version, reconnecting, and the limits that keep a bad
 * server or a fast producer from exhausting memory.
 *
 * <pre>{@code
 * RedisOptions options = RedisOptions.defaults()
 *         .credentials("app", "s3cret")                 // AUTH app s3cret (or HELLO 3 AUTH ...)
 *         .database(2)                                  // SELECT 2
 *         .commandTimeout(Duration.ofSeconds(2))
 *         .protocol(3);                                 // RESP3 through HELLO 3
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy with one setting changed, so one value can be shared.
 *
 * <p>Compared with redis-py's {@code redis.asyncio.Redis(...)} keyword arguments:
 * {@code password=}, {@code username=}, {@code db=}, {@code socket_connect_timeout=},
 * {@code socket_timeout=} (here {@link #commandTimeout}, which leaves the connection open),
 * {@code ssl=} ({@link #tls}), {@code protocol=}, {@code client_name=}, and
 * {@code retry=Retry(ExponentialBackoff(...))} ({@link #reconnectBackoff}). redis-py has no
 * counterpart of the limits.
 */
public final class RedisOptions {
    /** The command timeout when none is given: 30 s, as {@link Net#DEFAULT_CONNECT_TIMEOUT}. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private static final RedisOptions DEFAULTS = new RedisOptions();

    private String user;
    private String password;
    private int database;
    private String clientName;
    private Duration connectTimeout = Net.DEFAULT_CONNECT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private TlsConfig tls;
    private int protocol = 2;
    private boolean reconnect = true;
    private Duration reconnectInitial = Duration.ofMillis(50);
    private Duration reconnectMax = Duration.ofSeconds(5);
    private int maxPending = 100_000;
    private int blockingPoolSize = 8;
    private int subscriptionBuffer = 10_000;
    private int maxBulkLength = 512 * 1024 * 1024;
    private int maxDepth = 64;
    private int maxArrayLength = 100_000_000;

    private RedisOptions() {
    }

    private RedisOptions copy() {
        RedisOptions c = new RedisOptions();
        c.user = user;
        c.password = password;
        c.database = database;
        c.clientName = clientName;
        c.connectTimeout = connectTimeout;
        c.commandTimeout = commandTimeout;
        c.tls = tls;
        c.protocol = protocol;
        c.reconnect = reconnect;
        c.reconnectInitial = reconnectInitial;
        c.reconnectMax = reconnectMax;
        c.maxPending = maxPending;
        c.blockingPoolSize = blockingPoolSize;
        c.subscriptionBuffer = subscriptionBuffer;
        c.maxBulkLength = maxBulkLength;
        c.maxDepth = maxDepth;
        c.maxArrayLength = maxArrayLength;
        return c;
    }

    /**
     * No password, database 0, connect timeout {@link Net#DEFAULT_CONNECT_TIMEOUT}, command timeout
     * {@link #DEFAULT_COMMAND_TIMEOUT}, plain TCP, RESP2, reconnecting with a backoff from 50 ms to
     * 5 s, at most 100,000 commands waiting per connection, 8 connections for blocking commands,
     * 10,000 unread messages per subscription, and the parser's limits: bulk strings up to 512 MiB
     * (the server's own {@code proto-max-bulk-len}), 64 levels of nesting, 100,000,000 elements per
     * aggregate.
     */
    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    /** Authenticates with {@code password} as the {@code default} user: {@code AUTH password}. */
    public RedisOptions password(String password) {
        Objects.requireNonNull(password, "password");
        RedisOptions c = copy();
        c.user = null;
        c.password = password;
        return c;
    }

    /** Authenticates as an ACL user (Redis 6+): {@code AUTH user password}. */
    public RedisOptions credentials(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        RedisOptions c = copy();
        c.user = user;
        c.password = password;
        return c;
    }

    /**
     * The database every connection selects ({@code SELECT n}) before its first command.
     *
     * @throws IllegalArgumentException if negative
     */
    public RedisOptions database(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("database must be >= 0, not " + index);
        }
        RedisOptions c = copy();
        c.database = index;
        return c;
    }

    /** The name each connection gives itself ({@code CLIENT SETNAME}), shown by {@code CLIENT LIST}. */
    public RedisOptions clientName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.chars().anyMatch(ch -> ch <= ' ')) {
            throw new IllegalArgumentException("a client name cannot contain spaces or control characters: \"" + name + "\"");
        }
        RedisOptions c = copy();
        c.clientName = name;
        return c;
    }

    /**
     * How long a connect may take (name lookup, TCP, the TLS handshake); null: no limit of ours.
     * The commands that set the connection up ({@code HELLO}, {@code AUTH}, {@code SELECT}) are
     * then under the command timeout.
     */
    public RedisOptions connectTimeout(Duration timeout) {
        RedisOptions c = copy();
        c.connectTimeout = positiveOrNull(timeout, "connectTimeout");
        return c;
    }

    /**
     * How long a command waits for its reply before its future fails with a
     * {@link java.util.concurrent.TimeoutException}; null: forever. The connection stays open and
     * the late reply is dropped when it comes. A blocking command ({@code BLPOP key 5}) gets its
     * own blocking time on top; one that blocks forever ({@code BLPOP key 0}) has no timeout.
     */
    public RedisOptions commandTimeout(Duration timeout) {
        RedisOptions c = copy();
        c.commandTimeout = positiveOrNull(timeout, "commandTimeout");
        return c;
    }

    /** Connects over TLS with this client configuration (null: plain TCP), as {@code rediss://}. */
    public RedisOptions tls(TlsConfig tls) {
        if (tls != null && tls.isServer()) {
            throw new IllegalArgumentException("a Redis client needs a client configuration (TlsConfig.client(...)), not " + tls);
        }
        RedisOptions c = copy();
        c.tls = tls;
        return c;
    }

    /**
     * The protocol: 2 (RESP2, every server) or 3 (RESP3 through {@code HELLO 3}, Redis 6+: maps,
     * sets, doubles, booleans, big numbers and push messages come typed).
     */
    public RedisOptions protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, not " + version);
        }
        RedisOptions c = copy();
        c.protocol = version;
        return c;
    }

    /**
     * Whether a lost connection is reopened (default true). Without it the client stays closed
     * after a loss and every command fails at once with a {@link RedisConnectionException}.
     */
    public RedisOptions reconnect(boolean on) {
        RedisOptions c = copy();
        c.reconnect = on;
        return c;
    }

    /**
     * The delays between reconnect attempts: {@code initial} before the first, doubled after each
     * failure up to {@code max}, back to {@code initial} once connected.
     */
    public RedisOptions reconnectBackoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need max >= initial >= 0, got initial=" + initial + ", max=" + max);
        }
        RedisOptions c = copy();
        c.reconnectInitial = initial;
        c.reconnectMax = max;
        return c;
    }

    /**
     * How many commands may wait for their replies on one connection (sent or not yet sent);
     * one more fails at once with a {@link java.util.concurrent.RejectedExecutionException}.
     */
    public RedisOptions maxPending(int commands) {
        RedisOptions c = copy();
        c.maxPending = positive(commands, "maxPending");
        return c;
    }

    /** How many connections run blocking commands at the same time; more wait for one, in order. */
    public RedisOptions blockingPoolSize(int connections) {
        RedisOptions c = copy();
        c.blockingPoolSize = positive(connections, "blockingPoolSize");
        return c;
    }

    /**
     * How many messages a subscription holds unread before it stops reading its connection (the
     * server then buffers, and disconnects a subscriber that falls too far behind, as its
     * {@code client-output-buffer-limit pubsub} says). Reading resumes at half.
     */
    public RedisOptions subscriptionBuffer(int messages) {
        RedisOptions c = copy();
        c.subscriptionBuffer = positive(messages, "subscriptionBuffer");
        return c;
    }

    /** The largest bulk string a reply may carry, in bytes. */
    public RedisOptions maxBulkLength(int bytes) {
        RedisOptions c = copy();
        c.maxBulkLength = positive(bytes, "maxBulkLength");
        return c;
    }

    /** How deeply aggregates (arrays, maps, sets) may nest in a reply. */
    public RedisOptions maxDepth(int levels) {
        RedisOptions c = copy();
        c.maxDepth = positive(levels, "maxDepth");
        return c;
    }

    /** The most elements one aggregate of a reply may have (a map's keys and values both count). */
    public RedisOptions maxArrayLength(int elements) {
        RedisOptions c = copy();
        c.maxArrayLength = positive(elements, "maxArrayLength");
        return c;
    }

    /** The ACL user, or null for {@code default}. */
    public String user() {
        return user;
    }

    /** The password, or null. */
    public String password() {
        return password;
    }

    /** The database selected on connect. */
    public int database() {
        return database;
    }

    /** The client name, or null. */
    public String clientName() {
        return clientName;
    }

    /** The connect timeout, or null for none. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The command timeout, or null for none. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The TLS configuration, or null for plain TCP. */
    public TlsConfig tls() {
        return tls;
    }

    /** 2 or 3. */
    public int protocol() {
        return protocol;
    }

    /** Whether a lost connection is reopened. */
    public boolean reconnect() {
        return reconnect;
    }

    /** The first reconnect delay. */
    public Duration reconnectInitial() {
        return reconnectInitial;
    }

    /** The longest reconnect delay. */
    public Duration reconnectMax() {
        return reconnectMax;
    }

    /** The most commands waiting per connection. */
    public int maxPending() {
        return maxPending;
    }

    /** The connections for blocking commands. */
    public int blockingPoolSize() {
        return blockingPoolSize;
    }

    /** The unread messages a subscription holds before it stops reading. */
    public int subscriptionBuffer() {
        return subscriptionBuffer;
    }

    /** The largest bulk string, in bytes. */
    public int maxBulkLength() {
        return maxBulkLength;
    }

    /** The deepest nesting. */
    public int maxDepth() {
        return maxDepth;
    }

    /** The most elements per aggregate. */
    public int maxArrayLength() {
        return maxArrayLength;
    }

    private static int positive(int n, String name) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + n);
        }
        return n;
    }

    private static Duration positiveOrNull(Duration d, String name) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive (or null for none), not " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "RedisOptions[user=" + user + ", password=" + (password == null ? "none" : "****") + ", database="
                + database + ", clientName=" + clientName + ", connectTimeout=" + connectTimeout + ", commandTimeout="
                + commandTimeout + ", tls=" + (tls != null) + ", protocol=" + protocol + ", reconnect=" + reconnect
                + " (" + reconnectInitial + ".." + reconnectMax + "), maxPending=" + maxPending + ", blockingPoolSize="
                + blockingPoolSize + ", subscriptionBuffer=" + subscriptionBuffer + ", maxBulkLength=" + maxBulkLength
                + ", maxDepth=" + maxDepth + ", maxArrayLength=" + maxArrayLength + "]";
    }
}
