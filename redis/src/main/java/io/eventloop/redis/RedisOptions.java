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
     * aggregate. redis-py's {@code Redis()} with no arguments, plus the limits it does not have.
     *
     * @return the default options: one shared, immutable value to start from
     */
    public static RedisOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Authenticates with {@code password} as the {@code default} user: {@code AUTH password}
     * (with RESP3, {@code HELLO 3 AUTH default password}). redis-py's {@code password=}.
     *
     * @param password the server's {@code requirepass}, or the {@code default} user's ACL password
     * @return a copy with this password and no ACL user (replacing an earlier
     *     {@link #credentials})
     * @throws NullPointerException if {@code password} is null
     */
    public RedisOptions password(String password) {
        Objects.requireNonNull(password, "password");
        RedisOptions c = copy();
        c.user = null;
        c.password = password;
        return c;
    }

    /**
     * Authenticates as an ACL user (Redis 6+): {@code AUTH user password}. redis-py's
     * {@code username=} and {@code password=}.
     *
     * @param user the ACL user's name
     * @param password that user's password
     * @return a copy with these credentials; a refused pair fails {@link RedisClient#connect}
     *     with a {@link RedisException} whose code is {@code WRONGPASS}
     * @throws NullPointerException if either is null
     */
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
     * redis-py's {@code db=}.
     *
     * @param index the database number, 0 to the server's {@code databases} setting minus one (16
     *     databases by default); one out of range fails {@link RedisClient#connect} with a
     *     {@link RedisException}
     * @return a copy with this database
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

    /**
     * The name each connection gives itself ({@code CLIENT SETNAME}), shown by {@code CLIENT LIST}.
     * redis-py's {@code client_name=}.
     *
     * @param name the name, without spaces or control characters (the server refuses those)
     * @return a copy with this name
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it contains a space or a control character
     */
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
     * then under the command timeout. redis-py's {@code socket_connect_timeout=}.
     *
     * @param timeout the limit, positive; null for none (the kernel's own then applies)
     * @return a copy with this connect timeout
     * @throws IllegalArgumentException if zero or negative
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
     * redis-py's {@code socket_timeout=}, except that redis-py then closes the connection.
     *
     * @param timeout the limit, positive; null to wait for every reply however long it takes
     * @return a copy with this command timeout
     * @throws IllegalArgumentException if zero or negative
     */
    public RedisOptions commandTimeout(Duration timeout) {
        RedisOptions c = copy();
        c.commandTimeout = positiveOrNull(timeout, "commandTimeout");
        return c;
    }

    /**
     * Connects over TLS with this client configuration (null: plain TCP), as {@code rediss://}.
     * redis-py's {@code ssl=True} with its {@code ssl_*} arguments.
     *
     * @param tls a client configuration, such as {@link TlsConfig#client()}; null for plain TCP
     * @return a copy with this TLS setting
     * @throws IllegalArgumentException if {@code tls} is a server configuration
     */
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
     * sets, doubles, booleans, big numbers and push messages come typed). redis-py's
     * {@code protocol=}.
     *
     * @param version 2 or 3; with 3, a server older than Redis 6 fails {@link RedisClient#connect}
     *     with a {@link RedisException} (it does not know {@code HELLO})
     * @return a copy with this protocol
     * @throws IllegalArgumentException if {@code version} is neither 2 nor 3
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
     * redis-py reconnects on the next command instead, retrying as its {@code retry=} says.
     *
     * @param on true to reconnect with {@link #reconnectBackoff}, false to stay disconnected
     * @return a copy with this setting
     */
    public RedisOptions reconnect(boolean on) {
        RedisOptions c = copy();
        c.reconnect = on;
        return c;
    }

    /**
     * The delays between reconnect attempts: {@code initial} before the first, doubled after each
     * failure up to {@code max}, back to {@code initial} once connected. redis-py's
     * {@code ExponentialBackoff(cap=max, base=initial)}.
     *
     * @param initial the delay before the first attempt, zero or more; zero retries at once every
     *     time, since zero doubled stays zero
     * @param max the longest delay, at least {@code initial}
     * @return a copy with this backoff
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if {@code initial} is negative or {@code max} is less than
     *     {@code initial}
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
     * A bound on memory when a producer outruns the server; redis-py has none.
     *
     * @param commands the most commands waiting per connection, positive
     * @return a copy with this limit
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions maxPending(int commands) {
        RedisOptions c = copy();
        c.maxPending = positive(commands, "maxPending");
        return c;
    }

    /**
     * How many connections run blocking commands at the same time; more wait for one, in order.
     * The same connections serve {@link RedisClient#withConnection}. redis-py's
     * {@code max_connections=}, which bounds the pool every one of its commands takes from.
     *
     * @param connections the pool's size, positive; opened as needed, not up front
     * @return a copy with this pool size
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions blockingPoolSize(int connections) {
        RedisOptions c = copy();
        c.blockingPoolSize = positive(connections, "blockingPoolSize");
        return c;
    }

    /**
     * How many messages a subscription holds unread before it stops reading its connection (the
     * server then buffers, and disconnects a subscriber that falls too far behind, as its
     * {@code client-output-buffer-limit pubsub} says). Reading resumes at half.
     *
     * @param messages the most unread messages per subscription, positive
     * @return a copy with this bound
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions subscriptionBuffer(int messages) {
        RedisOptions c = copy();
        c.subscriptionBuffer = positive(messages, "subscriptionBuffer");
        return c;
    }

    /**
     * The largest bulk string a reply may carry, in bytes. A longer one is a
     * {@link RedisProtocolException}: the connection is closed and the commands waiting on it fail
     * with a {@link RedisConnectionException}. hiredis's {@code maxbulklen}; redis-py has no limit.
     *
     * @param bytes the limit, positive
     * @return a copy with this limit
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions maxBulkLength(int bytes) {
        RedisOptions c = copy();
        c.maxBulkLength = positive(bytes, "maxBulkLength");
        return c;
    }

    /**
     * How deeply aggregates (arrays, maps, sets) may nest in a reply. Deeper is a
     * {@link RedisProtocolException}, which closes the connection as for
     * {@link #maxBulkLength(int)}. redis-py has no limit.
     *
     * @param levels the most levels of nesting, positive
     * @return a copy with this limit
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions maxDepth(int levels) {
        RedisOptions c = copy();
        c.maxDepth = positive(levels, "maxDepth");
        return c;
    }

    /**
     * The most elements one aggregate of a reply may have (a map's keys and values both count).
     * More is a {@link RedisProtocolException}, which closes the connection as for
     * {@link #maxBulkLength(int)}. hiredis's {@code maxelements}; redis-py has no limit.
     *
     * @param elements the limit, positive
     * @return a copy with this limit
     * @throws IllegalArgumentException if not positive
     */
    public RedisOptions maxArrayLength(int elements) {
        RedisOptions c = copy();
        c.maxArrayLength = positive(elements, "maxArrayLength");
        return c;
    }

    /**
     * The ACL user set by {@link #credentials}.
     *
     * @return the user's name, or null to authenticate as {@code default} (or not at all)
     */
    public String user() {
        return user;
    }

    /**
     * The password set by {@link #password} or {@link #credentials}.
     *
     * @return the password, or null when connections do not authenticate
     */
    public String password() {
        return password;
    }

    /**
     * The database selected on connect.
     *
     * @return the database number; 0, the server's default, unless {@link #database} was set
     */
    public int database() {
        return database;
    }

    /**
     * The name set by {@link #clientName}.
     *
     * @return the client name, or null when connections keep the server's default (none)
     */
    public String clientName() {
        return clientName;
    }

    /**
     * The connect timeout set by {@link #connectTimeout}.
     *
     * @return the limit on a connect, or null for none
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The command timeout set by {@link #commandTimeout}.
     *
     * @return the limit on the wait for a reply, or null for none
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * The TLS configuration set by {@link #tls}.
     *
     * @return the client TLS configuration, or null for plain TCP
     */
    public TlsConfig tls() {
        return tls;
    }

    /**
     * The protocol set by {@link #protocol(int)}.
     *
     * @return 2 for RESP2, 3 for RESP3
     */
    public int protocol() {
        return protocol;
    }

    /**
     * Whether a lost connection is reopened, set by {@link #reconnect(boolean)}.
     *
     * @return true if the client reconnects after a loss
     */
    public boolean reconnect() {
        return reconnect;
    }

    /**
     * The first reconnect delay, set by {@link #reconnectBackoff}.
     *
     * @return the delay before the first attempt after a loss
     */
    public Duration reconnectInitial() {
        return reconnectInitial;
    }

    /**
     * The longest reconnect delay, set by {@link #reconnectBackoff}.
     *
     * @return the cap on the doubling delay between attempts
     */
    public Duration reconnectMax() {
        return reconnectMax;
    }

    /**
     * The limit set by {@link #maxPending(int)}.
     *
     * @return the most commands waiting for replies on one connection
     */
    public int maxPending() {
        return maxPending;
    }

    /**
     * The pool size set by {@link #blockingPoolSize(int)}.
     *
     * @return the most connections running blocking commands and {@code withConnection} bodies at once
     */
    public int blockingPoolSize() {
        return blockingPoolSize;
    }

    /**
     * The bound set by {@link #subscriptionBuffer(int)}.
     *
     * @return the unread messages a subscription holds before it stops reading
     */
    public int subscriptionBuffer() {
        return subscriptionBuffer;
    }

    /**
     * The limit set by {@link #maxBulkLength(int)}.
     *
     * @return the largest bulk string a reply may carry, in bytes
     */
    public int maxBulkLength() {
        return maxBulkLength;
    }

    /**
     * The limit set by {@link #maxDepth(int)}.
     *
     * @return the most levels of nested aggregates in a reply
     */
    public int maxDepth() {
        return maxDepth;
    }

    /**
     * The limit set by {@link #maxArrayLength(int)}.
     *
     * @return the most elements one aggregate of a reply may have
     */
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
