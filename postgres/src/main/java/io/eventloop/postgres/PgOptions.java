package io.eventloop.postgres;

import io.eventloop.net.TlsConfig;
import java.time.Duration;

/**
 * How {@link PgConnection#connect(String, PgOptions)} connects and the limits it keeps: timeouts,
 * the statement cache, how much may wait, how large a message from the server may be, and the
 * TLS trust for {@code sslmode=require} / {@code verify-full}. What names the server and the
 * credentials is the URI.
 *
 * <pre>{@code
 * PgOptions options = PgOptions.defaults()
 *         .commandTimeout(Duration.ofSeconds(5))      // asyncpg's command_timeout=5
 *         .statementCacheSize(500);                   // statement_cache_size=500
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy with one setting changed, so one value can be shared.
 * Compared with {@code asyncpg.connect(...)}'s keyword arguments: {@code timeout=}
 * ({@link #connectTimeout}), {@code command_timeout=}, {@code statement_cache_size=},
 * {@code ssl=} ({@link #tls}); asyncpg has no counterpart of the limits.
 */
public final class PgOptions {
    private static final PgOptions DEFAULTS = new PgOptions();

    private Duration connectTimeout = Duration.ofSeconds(60);
    private Duration commandTimeout;
    private int statementCacheSize = 100;
    private int maxPending = 100_000;
    private int maxMessageSize = 64 * 1024 * 1024;
    private int notificationBuffer = 10_000;
    private TlsConfig tls;

    private PgOptions() {
    }

    private PgOptions copy() {
        PgOptions c = new PgOptions();
        c.connectTimeout = connectTimeout;
        c.commandTimeout = commandTimeout;
        c.statementCacheSize = statementCacheSize;
        c.maxPending = maxPending;
        c.maxMessageSize = maxMessageSize;
        c.notificationBuffer = notificationBuffer;
        c.tls = tls;
        return c;
    }

    /**
     * Connect timeout 60 s (asyncpg's default), no command timeout, 100 cached statements
     * (asyncpg's default), at most 100,000 queries waiting per connection, messages from the
     * server up to 64 MiB (one row, one error), 10,000 unread notifications per
     * {@link Notifications} iterator, and {@link TlsConfig#client()} (the JDK's trusted
     * authorities) when the URI asks for TLS.
     *
     * @return the defaults
     */
    public static PgOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How long connecting may take, from the name lookup to the first {@code ReadyForQuery}
     * (authentication and TLS included). A connect that takes longer fails with a
     * {@link java.util.concurrent.TimeoutException} and leaves no socket open.
     *
     * @param timeout a positive duration
     * @return a copy with this setting
     * @throws IllegalArgumentException if not positive
     */
    public PgOptions connectTimeout(Duration timeout) {
        PgOptions c = copy();
        c.connectTimeout = positive(timeout, "connectTimeout");
        return c;
    }

    /**
     * How long a query may wait for its answer (null: no limit, the default). A query that takes
     * longer fails with a {@link java.util.concurrent.TimeoutException} and is cancelled on the
     * server as {@link PgConnection} describes for a cancelled query; the connection stays usable.
     *
     * @param timeout a positive duration, or null for none
     * @return a copy with this setting
     * @throws IllegalArgumentException if not positive
     */
    public PgOptions commandTimeout(Duration timeout) {
        PgOptions c = copy();
        c.commandTimeout = timeout == null ? null : positive(timeout, "commandTimeout");
        return c;
    }

    /**
     * How many prepared statements a connection keeps (by their SQL text); the least recently
     * used is closed on the server when a new one would exceed this.
     *
     * @param size at least 1
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1
     */
    public PgOptions statementCacheSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("statementCacheSize must be >= 1, not " + size);
        }
        PgOptions c = copy();
        c.statementCacheSize = size;
        return c;
    }

    /**
     * How many queries may wait on one connection (sent or not yet sent); one more fails at once
     * with a {@link java.util.concurrent.RejectedExecutionException}, so a producer faster than
     * the server finds out instead of filling the heap.
     *
     * @param max at least 1
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1
     */
    public PgOptions maxPending(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1, not " + max);
        }
        PgOptions c = copy();
        c.maxPending = max;
        return c;
    }

    /**
     * The largest message accepted from the server, in bytes: one row, one error, one
     * description. A larger one (or a length field claiming one) closes the connection with a
     * {@link PgConnectionException} naming the size and this limit, before anything of that size
     * is allocated. The same bound refuses a query whose parameters would make a larger message.
     *
     * @param bytes at least 1024
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1024
     */
    public PgOptions maxMessageSize(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be >= 1024 bytes, not " + bytes);
        }
        PgOptions c = copy();
        c.maxMessageSize = bytes;
        return c;
    }

    /**
     * How many notifications may wait unread in one {@link Notifications} iterator (from
     * {@link PgConnection#listen}). One more ends that iterator with a
     * {@link NotificationOverflowException} after the ones it kept, and it stops listening; the
     * connection, its queries and its other iterators go on (the reasons are on
     * {@link Notifications}). A notification is at most 8,000 bytes of payload, so the default
     * 10,000 bounds one iterator's buffer near 80 MB. asyncpg has no limit (its callbacks are
     * scheduled as notifications come).
     *
     * @param notifications at least 1
     * @return a copy with this setting
     * @throws IllegalArgumentException if below 1
     */
    public PgOptions notificationBuffer(int notifications) {
        if (notifications < 1) {
            throw new IllegalArgumentException("notificationBuffer must be >= 1, not " + notifications);
        }
        PgOptions c = copy();
        c.notificationBuffer = notifications;
        return c;
    }

    /**
     * The trust and TLS settings used when the URI's {@code sslmode} asks for TLS
     * ({@code require}, {@code verify-ca}, {@code verify-full}); {@code require} turns off the
     * host name check, as in libpq. Default {@link TlsConfig#client()}.
     *
     * @param tls a client configuration
     * @return a copy with this setting
     */
    public PgOptions tls(TlsConfig tls) {
        PgOptions c = copy();
        c.tls = java.util.Objects.requireNonNull(tls, "tls");
        return c;
    }

    /**
     * How long connecting (TCP, TLS and the login) may take.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a query may wait for its answer before it fails.
     *
     * @return the command timeout, or null for none
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * The size of each connection's prepared-statement cache.
     *
     * @return the number of prepared statements kept per connection
     */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /**
     * How many queries a connection holds, queued or in flight, before it refuses more.
     *
     * @return the number of queries that may wait per connection
     */
    public int maxPending() {
        return maxPending;
    }

    /**
     * The largest message the server may send (a row, an error), in bytes.
     *
     * @return the largest message accepted, in bytes
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * How many notifications one {@link Notifications} iterator keeps unread before it gives up.
     *
     * @return the limit, in notifications
     */
    public int notificationBuffer() {
        return notificationBuffer;
    }

    /**
     * The trust and TLS settings used when the URI's {@code sslmode} asks for TLS.
     *
     * @return the TLS settings, or null for {@link TlsConfig#client()}
     */
    public TlsConfig tls() {
        return tls;
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "PgOptions[connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", statementCacheSize=" + statementCacheSize + ", maxPending=" + maxPending
                + ", maxMessageSize=" + maxMessageSize + ", notificationBuffer=" + notificationBuffer + "]";
    }
}
