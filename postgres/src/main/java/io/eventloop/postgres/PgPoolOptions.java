package io.eventloop.postgres;

import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PgPool} sizes itself, how long an acquire may wait, when a connection is replaced,
 * and the {@link PgOptions} every connection of the pool is opened with. The counterpart of
 * {@code asyncpg.create_pool(...)}'s keyword arguments.
 *
 * <pre>{@code
 * PgPoolOptions options = PgPoolOptions.defaults()
 *         .minSize(2)                                   // min_size=2
 *         .maxSize(20)                                  // max_size=20
 *         .acquireTimeout(Duration.ofSeconds(5))        // pool.acquire(timeout=5) for every acquire
 *         .connectionOptions(PgOptions.defaults().commandTimeout(Duration.ofSeconds(10)));
 * }</pre>
 *
 * <p>Immutable, like {@link PgOptions}: each setter returns a copy with one setting changed, so one
 * value can be shared by several pools. Each setter checks its own value and throws an
 * {@link IllegalArgumentException} naming the setting; whether {@link #minSize()} fits under
 * {@link #maxSize()} is checked by {@link PgPool#create(String, PgPoolOptions)}, so the order of the
 * calls does not matter.
 *
 * <p>Compared with asyncpg: {@code min_size}, {@code max_size}, {@code max_queries},
 * {@code max_inactive_connection_lifetime} and {@code init=} have the same meaning and defaults
 * (null here where asyncpg takes 0 to mean "never"). Added: {@link #acquireTimeout} (asyncpg waits
 * for ever unless each {@code acquire} passes a timeout; here the default is 30 s, HikariCP's),
 * {@link #healthCheckAfter} (asyncpg hands out an idle connection without a round trip) and
 * {@link #resetQuery} (asyncpg builds the same text in {@code Connection.get_reset_query}).
 * {@code setup=} (a hook on every acquire) is not offered: run it in the body of
 * {@link PgPool#withConnection}.
 */
public final class PgPoolOptions {
    /** What asyncpg's {@code Connection.reset()} sends on PostgreSQL 15, without the ROLLBACK it adds when needed. */
    static final String DEFAULT_RESET = "SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL";

    private static final PgPoolOptions DEFAULTS = new PgPoolOptions();

    private int minSize = 10;
    private int maxSize = 10;
    private Duration acquireTimeout = Duration.ofSeconds(30);
    private long maxQueries = 50_000;
    private Duration maxInactiveConnectionLifetime = Duration.ofSeconds(300);
    private Duration healthCheckAfter = Duration.ofSeconds(60);
    private String resetQuery = DEFAULT_RESET;
    private PgOptions connectionOptions = PgOptions.defaults();
    private ThrowingFunction<? super PgConnection, ? extends Future<?>> init;

    private PgPoolOptions() {
    }

    private PgPoolOptions copy() {
        PgPoolOptions c = new PgPoolOptions();
        c.minSize = minSize;
        c.maxSize = maxSize;
        c.acquireTimeout = acquireTimeout;
        c.maxQueries = maxQueries;
        c.maxInactiveConnectionLifetime = maxInactiveConnectionLifetime;
        c.healthCheckAfter = healthCheckAfter;
        c.resetQuery = resetQuery;
        c.connectionOptions = connectionOptions;
        c.init = init;
        return c;
    }

    /**
     * 10 connections at least and at most (asyncpg's defaults), acquires that wait at most 30 s,
     * a connection replaced after 50,000 queries, idle connections above the minimum closed after
     * 300 s, an idle connection older than 60 s checked with a round trip before it is handed out,
     * asyncpg's reset on release, {@link PgOptions#defaults()} for each connection, no init hook.
     *
     * @return the defaults
     */
    public static PgPoolOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How many connections the pool opens before {@link PgPool#create} completes and keeps open
     * from then on: one lost or replaced is opened again while fewer are open. asyncpg's
     * {@code min_size}.
     *
     * @param size at least 0, at most {@link #maxSize()} when the pool is created
     * @return a copy with this setting
     * @throws IllegalArgumentException if negative
     */
    public PgPoolOptions minSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("minSize must be >= 0, not " + size);
        }
        PgPoolOptions c = copy();
        c.minSize = size;
        return c;
    }

    /**
     * How many connections the pool may have open at once, handed out or idle; an acquire beyond
     * that waits for a release. asyncpg's {@code max_size}. The server's {@code max_connections}
     * must leave room for every pool of every client.
     *
     * @param size at least 1
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1
     */
    public PgPoolOptions maxSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1, not " + size);
        }
        PgPoolOptions c = copy();
        c.maxSize = size;
        return c;
    }

    /**
     * How long {@link PgPool#acquire()} (and so every shortcut and {@link PgPool#withConnection})
     * waits for a connection when all {@link #maxSize()} are handed out; then it fails with a
     * {@link java.util.concurrent.TimeoutException}. Null waits for ever, as asyncpg's
     * {@code acquire()} without {@code timeout=} does.
     *
     * @param timeout a positive duration, or null for none
     * @return a copy with this setting
     * @throws IllegalArgumentException if not positive
     */
    public PgPoolOptions acquireTimeout(Duration timeout) {
        PgPoolOptions c = copy();
        c.acquireTimeout = timeout == null ? null : positive(timeout, "acquireTimeout");
        return c;
    }

    /**
     * How many queries a connection runs before the pool replaces it: once released with at least
     * this many behind it, it is closed and, if the pool is below {@link #minSize()}, a new one is
     * opened. The pool's own queries (the reset, health checks) count. asyncpg's
     * {@code max_queries}.
     *
     * @param max at least 1
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1
     */
    public PgPoolOptions maxQueries(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxQueries must be >= 1, not " + max);
        }
        PgPoolOptions c = copy();
        c.maxQueries = max;
        return c;
    }

    /**
     * How long a connection may stay idle in the pool while more than {@link #minSize()} are open;
     * then it is closed. Null keeps idle connections for ever. asyncpg's
     * {@code max_inactive_connection_lifetime} (which closes idle connections below
     * {@code min_size} too, and reopens them on demand).
     *
     * @param lifetime a positive duration, or null for never
     * @return a copy with this setting
     * @throws IllegalArgumentException if not positive
     */
    public PgPoolOptions maxInactiveConnectionLifetime(Duration lifetime) {
        PgPoolOptions c = copy();
        c.maxInactiveConnectionLifetime = lifetime == null ? null : positive(lifetime,
                "maxInactiveConnectionLifetime");
        return c;
    }

    /**
     * How long a connection may have been idle before an acquire checks it with a round trip (an
     * empty query) instead of handing it out as it is. One that does not answer within
     * {@link PgOptions#connectTimeout()} of {@link #connectionOptions()} is closed, and the acquire
     * goes on with another connection or a new one, so the caller never sees it. A connection the
     * server closed is noticed without a check (its socket closes); the check finds the ones a
     * network device dropped silently. Null never checks.
     *
     * @param idle a positive duration, or null for never
     * @return a copy with this setting
     * @throws IllegalArgumentException if not positive
     */
    public PgPoolOptions healthCheckAfter(Duration idle) {
        PgPoolOptions c = copy();
        c.healthCheckAfter = idle == null ? null : positive(idle, "healthCheckAfter");
        return c;
    }

    /**
     * What the pool runs, with the simple protocol, on a connection given back before another
     * caller may have it: by default asyncpg's {@code SELECT pg_advisory_unlock_all(); CLOSE ALL;
     * UNLISTEN *; RESET ALL}, so session settings, listens, cursors and advisory locks do not
     * leak from one caller to the next. {@code ROLLBACK} goes before it when the connection is in
     * a transaction. The empty string sends nothing (a connection outside a transaction is then
     * idle again at once). Prepared statements survive the reset (no {@code DISCARD ALL}), so the
     * statement cache stays valid.
     *
     * @param sql one or more statements separated by {@code ;}, or "" for none
     * @return a copy with this setting
     * @throws IllegalArgumentException if it holds a NUL character
     */
    public PgPoolOptions resetQuery(String sql) {
        Objects.requireNonNull(sql, "resetQuery");
        if (sql.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("resetQuery must not hold a NUL character");
        }
        PgPoolOptions c = copy();
        c.resetQuery = sql.strip();
        return c;
    }

    /**
     * How each connection of the pool connects and the limits it keeps (timeouts, statement
     * cache, TLS): asyncpg's {@code **connect_kwargs}.
     *
     * @param options the options of every connection
     * @return a copy with this setting
     */
    public PgPoolOptions connectionOptions(PgOptions options) {
        PgPoolOptions c = copy();
        c.connectionOptions = Objects.requireNonNull(options, "connectionOptions");
        return c;
    }

    /**
     * Runs on every new connection before the pool uses it (register settings, prepare
     * statements): asyncpg's {@code init=}. If its future fails (or it throws), the connection is
     * closed and the failure is that of the acquire, or of {@link PgPool#create}, that opened it.
     *
     * @param init receives the new connection, returns a future that completes when it is ready;
     *     null for none
     * @return a copy with this setting
     */
    public PgPoolOptions init(ThrowingFunction<? super PgConnection, ? extends Future<?>> init) {
        PgPoolOptions c = copy();
        c.init = init;
        return c;
    }

    /**
     * The connections opened before the pool is ready and kept open.
     *
     * @return the minimum number of connections
     */
    public int minSize() {
        return minSize;
    }

    /**
     * The most connections open at once.
     *
     * @return the maximum number of connections
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * How long an acquire waits for a connection.
     *
     * @return the acquire timeout, or null for none
     */
    public Duration acquireTimeout() {
        return acquireTimeout;
    }

    /**
     * How many queries a connection runs before it is replaced.
     *
     * @return the number of queries per connection
     */
    public long maxQueries() {
        return maxQueries;
    }

    /**
     * How long an idle connection above the minimum is kept.
     *
     * @return the idle lifetime, or null for never closed
     */
    public Duration maxInactiveConnectionLifetime() {
        return maxInactiveConnectionLifetime;
    }

    /**
     * How long a connection may be idle before an acquire checks it with a round trip.
     *
     * @return the idle time after which a connection is checked, or null for never
     */
    public Duration healthCheckAfter() {
        return healthCheckAfter;
    }

    /**
     * What runs on a connection given back, before it is idle again.
     *
     * @return the reset statements, or "" for none
     */
    public String resetQuery() {
        return resetQuery;
    }

    /**
     * The options of every connection.
     *
     * @return the connections' options
     */
    public PgOptions connectionOptions() {
        return connectionOptions;
    }

    /**
     * The hook run on every new connection.
     *
     * @return the init hook, or null for none
     */
    public ThrowingFunction<? super PgConnection, ? extends Future<?>> init() {
        return init;
    }

    private static Duration positive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "PgPoolOptions[minSize=" + minSize + ", maxSize=" + maxSize + ", acquireTimeout=" + acquireTimeout
                + ", maxQueries=" + maxQueries + ", maxInactiveConnectionLifetime=" + maxInactiveConnectionLifetime
                + ", healthCheckAfter=" + healthCheckAfter + ", resetQuery=" + resetQuery + ", connectionOptions="
                + connectionOptions + (init != null ? ", init" : "") + "]";
    }
}
