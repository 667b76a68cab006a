package io.eventloop.postgres;

import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One connection to a PostgreSQL server, speaking its wire protocol on the loop: asyncpg's
 * {@code Connection}, with futures and continuations where Python has {@code await}.
 *
 * <pre>{@code
 * PgConnection.connect("postgresql://app:s3cret@127.0.0.1:5432/shop").then(conn ->
 *         conn.fetch("SELECT id, name FROM items WHERE price < $1", new BigDecimal("10"))
 *                 .map(rows -> rows.stream().map(r -> r.getString("name")).toList())
 *                 .ensure(conn::closeAsync));
 * }</pre>
 *
 * <p><b>Queries.</b> {@link #fetch} returns every row, {@link #fetchRow} the first (null when
 * none), {@link #fetchVal} the first column of the first row, {@link #execute} the command tag
 * ({@code "INSERT 0 1"}). Parameters are {@code $1}, {@code $2} ...; each text is prepared once
 * per connection and kept in a cache ({@link PgOptions#statementCacheSize}), and values travel in
 * PostgreSQL's binary format (the Java types are listed on {@link Row}). {@code execute} with no
 * arguments uses the simple protocol, so it may hold several statements separated by {@code ;}
 * (a schema script).
 *
 * <p><b>Pipelining.</b> Queries issued during the same loop iteration are written together, in one
 * write, and their answers matched to them in order, so {@code Async.gather} of a thousand
 * {@code fetchVal}s is one round trip, not a thousand. asyncpg runs one query at a time on a
 * connection ("another operation is in progress"); here several may be in flight, each in its own
 * implicit transaction unless a {@code BEGIN} issued before them opened one.
 *
 * <p><b>Failures.</b> An error from the server fails that query's future with a
 * {@link PgException} (SQLSTATE, message, detail, hint, position); the connection stays usable and
 * the queries after it run. An argument that does not fit its parameter's type fails the query
 * with an {@link IllegalArgumentException} naming the argument, without sending it. A lost
 * connection fails every query waiting on it with a {@link PgConnectionException} naming the
 * server; from then on queries fail at once. Too many queries waiting
 * ({@link PgOptions#maxPending}) fail at once with a
 * {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <p><b>Cancellation.</b> Cancelling a query's future (or a future waiting on it, such as an
 * {@code Async.waitFor} that timed out) fails it with a
 * {@link java.util.concurrent.CancellationException} at once; if the server is running it, a
 * CancelRequest goes to the server on a side connection, as asyncpg does, and the connection
 * stays usable. A query not yet written is never sent; one queued on the server behind others
 * runs, and its answer is dropped. If the CancelRequest cannot be sent, the connection is closed
 * rather than left in a state its user cannot know.
 *
 * <p><b>Pooled.</b> A connection from {@link PgPool#acquire()} is a handle for that one acquire:
 * once {@link PgPool#release released}, a query, {@link #closeAsync()} or {@link #terminate()} on it
 * throws an {@link IllegalStateException} (asyncpg's "connection has been released back to the
 * pool"), since the connection underneath may be someone else's by then. Closing an acquired one
 * closes the connection itself, as in asyncpg; the pool drops it when it is released.
 *
 * <p><b>Threads.</b> Loop thread only, like everything on the loop; from another thread go
 * through {@link EventLoop#submit}.
 */
public final class PgConnection implements AsyncCloseable {
    private final PgProtocol protocol;
    /** The pool this handle was acquired from, or null for a connection of its own. */
    final PgPool pool;
    /** Set once the handle went back to its pool: from then on it runs nothing. */
    boolean released;

    private PgConnection(PgProtocol protocol, PgPool pool) {
        this.protocol = protocol;
        this.pool = pool;
    }

    /** A handle on a pooled connection, for one acquire: released, it refuses to run anything. */
    static PgConnection leased(PgProtocol protocol, PgPool pool) {
        return new PgConnection(protocol, pool);
    }

    private void checkNotReleased(String what) {
        if (released) {
            throw new IllegalStateException("cannot " + what + ": this connection was released to its pool (PgPool"
                    + ".release) and may be someone else's now; acquire another");
        }
    }

    /**
     * Connects with {@link PgOptions#defaults()}: {@code await asyncpg.connect(uri)}.
     *
     * @param uri {@code postgresql://user:password@host:port/database?sslmode=...&application_name=...},
     *     each part percent-encoded where needed
     * @return the connection, once authenticated and ready; fails with a {@link PgException} if the
     *     server refuses the login (SQLSTATE {@code 28P01} for a wrong password, {@code 3D000} for a
     *     missing database), a {@link PgConnectionException} if it cannot be reached, a
     *     {@link TimeoutException} after {@link PgOptions#connectTimeout}
     * @throws IllegalArgumentException if {@code uri} is not a valid PostgreSQL URI, naming what is
     *     wrong (the password is not shown)
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<PgConnection> connect(String uri) {
        return connect(uri, PgOptions.defaults());
    }

    /**
     * Connects with {@code options}: timeouts, the statement cache, limits, TLS trust.
     *
     * @param uri the server and credentials, as for {@link #connect(String)}
     * @param options how to connect and the limits to keep
     * @return the connection, once authenticated and ready; fails as {@link #connect(String)}
     * @throws IllegalArgumentException if {@code uri} is not a valid PostgreSQL URI
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<PgConnection> connect(String uri, PgOptions options) {
        Objects.requireNonNull(options, "options");
        EventLoop loop = EventLoop.current();
        PgUri parsed = PgUri.parse(uri);
        Duration timeout = parsed.connectTimeout() != null ? parsed.connectTimeout() : options.connectTimeout();
        PgProtocol protocol = new PgProtocol(loop, parsed, options);
        Future<Transport> socket = parsed.dial(loop, () -> protocol, timeout);
        Future<PgConnection> result = loop.createFuture();
        long deadline = loop.time() + timeout.toNanos();
        socket.onDone(s -> {
            if (s.isCancelled() || s.exception() != null) {
                Throwable e = s.isCancelled() ? new PgConnectionException("cancelled") : s.exception();
                result.fail(e instanceof IOException && !(e instanceof PgConnectionException)
                        ? new PgConnectionException("cannot connect to " + parsed.server() + ": " + e, e) : e);
                return;
            }
            var timer = loop.callAt(deadline, () -> {
                if (!result.isDone()) {
                    protocol.abort();
                    result.fail(new TimeoutException("connecting to " + parsed.server() + " took longer than "
                            + timeout.toMillis() + " ms (the login did not finish)"));
                }
            });
            protocol.ready().onDone(r -> {
                timer.cancel();
                if (r.isCancelled() || r.exception() != null) {
                    protocol.abort();
                    if (!result.isDone()) {
                        result.fail(r.isCancelled() ? new PgConnectionException("cancelled") : r.exception());
                    }
                } else if (!result.complete(new PgConnection(protocol, null))) {
                    protocol.abort(); // cancelled meanwhile
                }
            });
        });
        result.onDone(r -> {
            if (r.isCancelled()) {
                socket.cancel();
                protocol.abort();
            }
        });
        return result;
    }

    /**
     * Runs a query and returns every row: asyncpg's {@code fetch}.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the rows, unmodifiable, in the order the server sent them
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<List<Row>> fetch(String sql, Object... args) {
        return (Future) submit(sql, args, Query.Mode.ROWS, false);
    }

    /**
     * Runs a query and returns its first row: asyncpg's {@code fetchrow}. The other rows are read
     * and dropped.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the first row, or null when there is none
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<Row> fetchRow(String sql, Object... args) {
        return (Future) submit(sql, args, Query.Mode.ROW, false);
    }

    /**
     * Runs a query and returns the first column of its first row: asyncpg's {@code fetchval}.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the value (its Java type as listed on {@link Row}), or null when there is no row or
     *     the value is NULL
     */
    public Future<Object> fetchVal(String sql, Object... args) {
        return submit(sql, args, Query.Mode.VALUE, false);
    }

    /**
     * Runs a command and returns its command tag: asyncpg's {@code execute}. With no arguments the
     * text may hold several statements separated by {@code ;} (the simple protocol), and the tag
     * is the last one's.
     *
     * @param sql the command, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the command tag: {@code "INSERT 0 1"}, {@code "UPDATE 3"}, {@code "CREATE TABLE"}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<String> execute(String sql, Object... args) {
        return (Future) submit(sql, args, Query.Mode.TAG, args.length == 0);
    }

    private Future<Object> submit(String sql, Object[] args, Query.Mode mode, boolean simple) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(args, "args (for one NULL argument write (Object) null)");
        if (!protocol.loop.inLoopThread()) {
            throw new IllegalStateException("PgConnection is used from thread " + Thread.currentThread().getName()
                    + ", not its loop's; from another thread go through EventLoop.submit");
        }
        checkNotReleased("run a query");
        return protocol.submit(sql, args, mode, simple).future;
    }

    /**
     * Closes the connection once every query already issued has its answer; queries issued from
     * now on fail at once. asyncpg's {@code close()}.
     *
     * @return completes once the socket is closed
     * @throws IllegalStateException if this connection came from a {@link PgPool} and was released
     */
    @Override
    public Future<Void> closeAsync() {
        checkNotReleased("close it");
        return protocol.closeGracefully();
    }

    /**
     * Closes the connection at once; every query waiting fails with a
     * {@link PgConnectionException}. asyncpg's {@code terminate()}.
     *
     * @throws IllegalStateException if this connection came from a {@link PgPool} and was released
     */
    public void terminate() {
        checkNotReleased("terminate it");
        protocol.abort();
    }

    /**
     * Whether the connection is closed or closing (queries fail at once): asyncpg's
     * {@code is_closed()}.
     *
     * @return true once closed, lost or closing
     */
    public boolean isClosed() {
        return !protocol.isOpen();
    }

    /**
     * The process ID of the server's backend for this connection: asyncpg's
     * {@code get_server_pid()}.
     *
     * @return the backend's PID, from BackendKeyData
     */
    public int serverPid() {
        return protocol.backendPid();
    }

    /**
     * A run-time parameter the server reports to its clients ({@code server_version},
     * {@code TimeZone}, {@code client_encoding}, {@code standard_conforming_strings} ...), as it
     * was last reported: asyncpg's {@code get_settings()}.
     *
     * @param name the parameter's name
     * @return its value, or null when the server did not report it
     */
    public String serverParameter(String name) {
        return protocol.parameter(name);
    }

    /**
     * The transaction status the server reported after the last answer: {@code 'I'} idle,
     * {@code 'T'} in a transaction block, {@code 'E'} in a failed transaction block.
     * asyncpg's {@code is_in_transaction()} is {@code status != 'I'}.
     *
     * @return the status letter of the last ReadyForQuery
     */
    public char transactionStatus() {
        return protocol.transactionStatus();
    }

    /** The protocol underneath, for the package's tests and a pool. */
    PgProtocol protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "PgConnection[" + protocol.uri + ", pid " + protocol.backendPid() + (isClosed() ? ", closed" : "") + "]";
    }
}
