package io.eventloop.postgres;

import io.eventloop.Async;
import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.eventloop.TimerHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Connections to one PostgreSQL server, each used by one caller at a time and given back for the
 * next: asyncpg's {@code Pool}, made by {@link #create(String, PgPoolOptions)} as by
 * {@code asyncpg.create_pool(dsn, ...)}.
 *
 * <pre>{@code
 * PgPool.create("postgresql://app:s3cret@127.0.0.1:5432/shop").then(pool ->
 *         pool.withConnection(conn -> conn.execute("BEGIN")
 *                         .then(t -> conn.execute("UPDATE stock SET n = n - 1 WHERE id = $1", 7))
 *                         .then(t -> conn.execute("COMMIT")))
 *                 .then(tag -> pool.fetchVal("SELECT n FROM stock WHERE id = $1", 7))
 *                 .ensure(pool::closeAsync));
 * }</pre>
 *
 * <p><b>Using a connection.</b> {@link #withConnection} is {@code async with pool.acquire() as
 * conn:}: the body gets a connection of its own and it goes back to the pool however the body
 * ends (value, failure, throw or cancellation). {@link #acquire()} and {@link #release} are the
 * two halves, for a connection held across callbacks. The shortcuts {@link #fetch},
 * {@link #fetchRow}, {@link #fetchVal} and {@link #execute} acquire, run one query and release,
 * as asyncpg's {@code pool.fetch(...)} do. A transaction (several statements that must see the
 * same connection) belongs inside one {@code withConnection} body:
 * {@code pool.withConnection(conn -> conn.transaction(c -> ...))}. Since a {@link PgConnection}
 * pipelines, queries that need no transaction can also share one connection instead of taking
 * turns on several.
 *
 * <p><b>Acquiring.</b> An idle connection is handed out at once, the most recently used first
 * (asyncpg's LIFO, which lets the others age out); with none idle and fewer than
 * {@link PgPoolOptions#maxSize()} open, a new one is opened; otherwise the caller waits. Waiting
 * callers are served in the order they asked (FIFO). A wait longer than
 * {@link PgPoolOptions#acquireTimeout()} fails with a {@link TimeoutException} naming the pool's
 * size and the wait. Cancelling a waiting acquire takes it out of the queue; a connection handed
 * to an acquire whose awaiter was cancelled before it resumed goes back to the pool (it is never
 * lost). A connection that has been idle longer than {@link PgPoolOptions#healthCheckAfter()} is
 * checked with an empty query first; a dead one is closed and the acquire goes on with another,
 * transparently. If opening a connection fails, the first waiting caller fails with that error.
 *
 * <p><b>Releasing</b> ({@link #release}, and the end of {@code withConnection} and of the
 * shortcuts). The handle given to the caller stops working at once: a query, close or terminate on
 * it throws an {@link IllegalStateException} (asyncpg's "connection has been released back to the
 * pool"), so a caller that kept it cannot disturb the next one. Then, by the connection's state:
 * <ul>
 *   <li>closed or lost: dropped; the pool opens another if it is below its minimum;</li>
 *   <li>state unknown: a query issued and not answered (even cancelled ones whose answers have
 *       not come yet), or a CancelRequest still on its way: closed at once (its queries fail),
 *       never handed to anyone again, and replaced up to the minimum. asyncpg waits for the
 *       cancellation and then resets; closing is the only way to be sure here, since several
 *       queries may be in flight;</li>
 *   <li>expired ({@link #expireConnections()}) or past {@link PgPoolOptions#maxQueries()}:
 *       closed with a Terminate (the server rolls back an open transaction) and replaced up to
 *       the minimum;</li>
 *   <li>otherwise reset as asyncpg resets it: the caller's notification listeners and iterators
 *       ({@link PgConnection#listen}) end, then {@link PgPoolOptions#resetQuery()} runs, in one
 *       simple query. Outside a transaction the connection is idle at once, with the reset
 *       pipelined: the next caller's queries are written behind it and run after it, so a release
 *       costs the server one statement and nobody a round trip (asyncpg waits for its reset's
 *       answer). Inside a transaction (open or failed) the reset begins with {@code ROLLBACK}, and
 *       the connection is idle once that has answered, so that the next caller finds it outside
 *       any transaction. If a reset fails (the connection was lost), the connection is closed and
 *       replaced, even if the next caller has it by then: its queries then fail as on any lost
 *       connection.</li>
 * </ul>
 * Releasing a handle twice throws an {@link IllegalStateException}; releasing a connection this
 * pool did not hand out (another pool's, or one from {@link PgConnection#connect}) throws an
 * {@link IllegalArgumentException}.
 *
 * <p><b>Losses.</b> A connection the server closes while idle (a restart,
 * {@code pg_terminate_backend}, {@code idle_session_timeout}) is noticed when its socket closes and
 * taken out of the pool; the pool opens another while it has fewer than
 * {@link PgPoolOptions#minSize()}. One lost while handed out fails its queries as a
 * {@link PgConnection} does, and its release just drops it. Idle connections above the minimum
 * are closed after {@link PgPoolOptions#maxInactiveConnectionLifetime()}.
 *
 * <p><b>Closing.</b> {@link #closeAsync()} is asyncpg's {@code pool.close()}: from the call on,
 * acquires fail at once with an {@link IllegalStateException}, and callers still waiting fail with
 * it too; idle connections are closed, handed-out ones are closed as they come back; the future
 * completes once every socket is closed. asyncpg also waits for ever here (it logs a warning after
 * 60 s); bound the wait with {@code Async.waitFor} and fall back to {@link #terminate()}, which
 * closes everything at once, handed-out connections included (their queries fail).
 *
 * <p><b>Threads.</b> Loop thread only, like the connections; from another thread go through
 * {@link EventLoop#submit}.
 */
public final class PgPool implements AsyncCloseable {
    private static final Object[] NO_ARGS = new Object[0];

    private enum State { OPEN, CLOSING, TERMINATED, CLOSED }

    private final EventLoop loop;
    private final String uri;
    private final String server;
    private final PgPoolOptions options;
    /** Every connection open and not being closed: idle, handed out, being checked or reset. */
    private final Set<PoolMember> all = new LinkedHashSet<>();
    /** Idle connections, the most recently used last. */
    private final ArrayDeque<PoolMember> idle = new ArrayDeque<>();
    /** Callers waiting for a connection, first come first served; none of them done. */
    private final ArrayDeque<PoolAcquire> waiters = new ArrayDeque<>();
    /** The handles given out and not released yet. */
    private final Map<PgConnection, PoolMember> leased = new IdentityHashMap<>();
    private int opening;
    private int checking;
    /** Connections whose socket is not closed yet: the members, and those being closed. */
    private int live;
    private int generation;
    private State state = State.OPEN;
    private Future<Void> closed;

    private PgPool(EventLoop loop, String uri, String server, PgPoolOptions options) {
        this.loop = loop;
        this.uri = uri;
        this.server = server;
        this.options = options;
    }

    /**
     * A pool with {@link PgPoolOptions#defaults()}: {@code await asyncpg.create_pool(dsn)}.
     *
     * @param uri the server and credentials, as for {@link PgConnection#connect(String)}
     * @return the pool once its {@link PgPoolOptions#minSize()} connections are open; fails as
     *     {@link #create(String, PgPoolOptions)} does
     * @throws IllegalArgumentException if {@code uri} is not a valid PostgreSQL URI
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<PgPool> create(String uri) {
        return create(uri, PgPoolOptions.defaults());
    }

    /**
     * A pool with {@code options}: {@code await asyncpg.create_pool(dsn, min_size=..., ...)}. The
     * {@link PgPoolOptions#minSize()} connections are opened together (and each given to the
     * {@link PgPoolOptions#init init} hook); the pool is ready when all are.
     *
     * @param uri the server and credentials, as for {@link PgConnection#connect(String)}
     * @param options the pool's sizes and limits, and the options of each connection
     * @return the pool once its minimum connections are open; if one cannot be opened, every other
     *     is closed and the pool fails with that connection's failure: a
     *     {@link PgConnectionException} naming the server and the pool, a {@link PgException} if
     *     the server refused the login, a {@link TimeoutException} naming the server, or the init
     *     hook's failure
     * @throws IllegalArgumentException if {@code uri} is not a valid PostgreSQL URI, or
     *     {@link PgPoolOptions#minSize()} is above {@link PgPoolOptions#maxSize()}
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<PgPool> create(String uri, PgPoolOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.minSize() > options.maxSize()) {
            throw new IllegalArgumentException("minSize " + options.minSize() + " is above maxSize " + options.maxSize());
        }
        EventLoop loop = EventLoop.current();
        loop.checkThread("PgPool.create");
        PgUri parsed = PgUri.parse(uri);
        PgPool pool = new PgPool(loop, uri, parsed.server(), options);
        List<Future<PoolMember>> opens = new ArrayList<>();
        for (int i = 0; i < options.minSize(); i++) {
            opens.add(pool.open());
        }
        return Async.gatherSettled(opens).then(outcomes -> {
            for (Future<PoolMember> f : outcomes) {
                if (f.exception() != null) {
                    Throwable e = f.exception();
                    Throwable why = e instanceof PgConnectionException ? new PgConnectionException("the pool could not"
                            + " open its " + options.minSize() + " connections (PgPoolOptions.minSize): " + e.getMessage(), e) : e;
                    pool.terminate();
                    return pool.closed.then(v -> Async.<PgPool>failed(why));
                }
            }
            return Async.completed(pool);
        });
    }

    // ------------------------------------------------------------------ acquiring

    /**
     * Takes a connection for the caller alone, waiting at most
     * {@link PgPoolOptions#acquireTimeout()}: {@code await pool.acquire()}. Give it back with
     * {@link #release}; {@link #withConnection} does both.
     *
     * @return the connection; fails with a {@link TimeoutException} after the acquire timeout, with
     *     the failure to open a connection when the pool had to open one for it and could not, or
     *     at once with an {@link IllegalStateException} once the pool is closing or closed
     * @throws IllegalStateException if not called on the loop's thread
     */
    public Future<PgConnection> acquire() {
        return acquire(options.acquireTimeout());
    }

    /**
     * {@link #acquire()} with its own timeout: {@code await pool.acquire(timeout=...)}.
     *
     * @param timeout how long to wait for a connection; null waits for ever
     * @return the connection; fails as {@link #acquire()} does
     * @throws IllegalArgumentException if {@code timeout} is not positive
     * @throws IllegalStateException if not called on the loop's thread
     */
    public Future<PgConnection> acquire(Duration timeout) {
        loop.checkThread("PgPool.acquire");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the acquire timeout must be positive, not " + timeout);
        }
        if (state != State.OPEN) {
            return Async.failed(new IllegalStateException(closedMessage()));
        }
        PoolAcquire w = new PoolAcquire(loop, this);
        waiters.add(w);
        dispatch();
        if (timeout != null && !w.isDone()) { // no timer when an idle connection was handed over at once
            w.timer = loop.callLater(timeout, () -> {
                if (!w.isDone()) {
                    int waiting = waiters.size() - 1;
                    w.fail(new TimeoutException("no connection to " + server + " became free within "
                            + timeout.toMillis() + " ms (PgPoolOptions.acquireTimeout): all " + size()
                            + " of the pool's connections (maxSize " + options.maxSize() + ") are in use"
                            + (waiting > 0 ? " and " + waiting + " other caller" + (waiting == 1 ? " waits" : "s wait") : "")));
                }
            });
        }
        return w;
    }

    /**
     * Runs {@code body} with a connection of its own and gives the connection back however the
     * body ends: {@code async with pool.acquire() as conn: return await body(conn)}. The result
     * completes once the connection is back (its reset done), with the body's outcome. Cancelling
     * the result while it waits for a connection takes it out of the queue; while the body runs,
     * it cancels the body (a query the server is running is cancelled on the server, and the
     * connection, whose state is then unknown, is closed rather than given back).
     *
     * @param <T> the type of the body's value
     * @param body starts the work with the connection and returns its future; it must not keep
     *     the connection past that future
     * @return the body's outcome, once the connection is back in the pool; fails as
     *     {@link #acquire()} if no connection is had (the body then never runs)
     * @throws IllegalStateException if not called on the loop's thread
     */
    public <T> Future<T> withConnection(ThrowingFunction<? super PgConnection, ? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        PoolHolder<T> holder = new PoolHolder<>(this, body);
        Future<PgConnection> acquired = acquire();
        if (acquired.isDone() && !acquired.isCancelled() && acquired.exception() == null) {
            // an idle connection was free: the body starts at once, as async with does when it need
            // not wait (one continuation instead of two), and nobody else awaits the acquire
            Future<T> started;
            try {
                started = holder.apply(acquired.result());
            } catch (Exception e) {
                started = Async.failed(e);
            } catch (Error e) {
                holder.get(); // released before the error goes up
                throw e;
            }
            return started.ensure(holder);
        }
        return acquired.then(holder).ensure(holder);
    }

    /**
     * Acquires a connection, runs {@link PgConnection#fetch} and releases it: asyncpg's
     * {@code pool.fetch}.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the rows; fails as the query or {@link #acquire()} does
     */
    public Future<List<Row>> fetch(String sql, Object... args) {
        Objects.requireNonNull(sql, "sql");
        return withConnection(c -> c.fetch(sql, args));
    }

    /**
     * Acquires a connection, runs {@link PgConnection#fetchRow} and releases it: asyncpg's
     * {@code pool.fetchrow}.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the first row, or null when there is none; fails as the query or {@link #acquire()} does
     */
    public Future<Row> fetchRow(String sql, Object... args) {
        Objects.requireNonNull(sql, "sql");
        return withConnection(c -> c.fetchRow(sql, args));
    }

    /**
     * Acquires a connection, runs {@link PgConnection#fetchVal} and releases it: asyncpg's
     * {@code pool.fetchval}.
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the first column of the first row, or null; fails as the query or {@link #acquire()} does
     */
    public Future<Object> fetchVal(String sql, Object... args) {
        Objects.requireNonNull(sql, "sql");
        return withConnection(c -> c.fetchVal(sql, args));
    }

    /**
     * Acquires a connection, runs {@link PgConnection#execute} and releases it: asyncpg's
     * {@code pool.execute}.
     *
     * @param sql the command, with {@code $1}, {@code $2} ... for the arguments
     * @param args the arguments, one per parameter (null for SQL NULL)
     * @return the command tag; fails as the command or {@link #acquire()} does
     */
    public Future<String> execute(String sql, Object... args) {
        Objects.requireNonNull(sql, "sql");
        return withConnection(c -> c.execute(sql, args));
    }

    /** Hands idle connections to waiting callers, in order, and opens connections for the rest. */
    private void dispatch() {
        while (!waiters.isEmpty() && !idle.isEmpty()) {
            PoolMember m = idle.pollLast();
            stopExpiry(m);
            if (!m.protocol.isOpen()) {
                retire(m, false); // lost meanwhile: its closed() has not been seen yet
                continue;
            }
            if (m.generation != generation) {
                retire(m, true);
                continue;
            }
            Duration checkAfter = options.healthCheckAfter();
            if (checkAfter != null && loop.time() - m.idleSince >= checkAfter.toNanos()) {
                check(m);
                continue;
            }
            PoolAcquire w = waiters.poll();
            PgConnection lease = PgConnection.leased(m.protocol, this);
            leased.put(lease, m);
            w.lease = lease;
            w.complete(lease);
        }
        int wanted = waiters.size() - opening - checking;
        while (wanted-- > 0 && state == State.OPEN && size() < options.maxSize()) {
            open().onDone(this::openedForWaiters);
        }
    }

    /** An open started for waiting callers ended: a failure goes to the first of them. */
    private void openedForWaiters(Future<PoolMember> f) {
        Throwable e = f.exception();
        if (e != null) {
            PoolAcquire w = waiters.poll();
            if (w != null) {
                w.fail(e);
            }
            dispatch();
        }
    }

    /**
     * Opens connections until the pool has its minimum again, after one was taken out. A failure
     * goes to the first waiting caller, if any, and is not retried here: the next acquire opens a
     * connection on demand, so a server that is down is not dialled in a loop.
     */
    private void replenish() {
        while (state == State.OPEN && size() < options.minSize()) {
            open().onDone(this::openedForWaiters);
        }
    }

    /** Opens one connection and runs the init hook; the member joins the pool idle. */
    private Future<PoolMember> open() {
        opening++;
        Future<PoolMember> result = loop.createFuture();
        PgConnection.connect(uri, options.connectionOptions()).onDone(c -> {
            if (c.isCancelled() || c.exception() != null) {
                opening--;
                result.fail(c.isCancelled() ? new PgConnectionException("connecting to " + server + " was cancelled")
                        : c.exception());
                finishCloseIfDone();
                return;
            }
            PgConnection conn = c.result();
            Future<?> ready;
            try {
                var init = options.init();
                ready = init == null ? Async.completed(null)
                        : Objects.requireNonNull(init.apply(conn), "the init hook returned null instead of a Future");
            } catch (Exception | Error e) {
                ready = Async.failed(e);
            }
            ready.onDone(r -> {
                Throwable failed = r.isCancelled() ? new PgConnectionException("the init hook was cancelled")
                        : r.exception();
                if (failed != null || !conn.protocol().isIdle()) {
                    Throwable why = failed != null ? failed : new PgConnectionException("the init hook left the"
                            + " connection to " + server + " busy or in a transaction; it was closed");
                    conn.protocol().abort();
                    conn.protocol().closed().onDone(x -> {
                        opening--;
                        result.fail(why);
                        finishCloseIfDone();
                    });
                    return;
                }
                opening--;
                PoolMember m = new PoolMember(conn.protocol(), generation);
                all.add(m);
                live++;
                m.protocol.closed().onDone(x -> lost(m));
                result.complete(m);
                if (state == State.OPEN) {
                    makeIdle(m);
                } else {
                    retire(m, state == State.CLOSING);
                    finishCloseIfDone();
                }
            });
        });
        return result;
    }

    /** Checks a connection idle for long with an empty query; a live one becomes idle again, a dead one is replaced. */
    private void check(PoolMember m) {
        checking++;
        PgProtocol p = m.protocol;
        Future<Object> answer = p.submit("", NO_ARGS, Query.Mode.TAG, true).future;
        TimerHandle timer = loop.callLater(options.connectionOptions().connectTimeout(), p::abort);
        answer.onDone(f -> {
            checking--;
            timer.cancel();
            if (!all.contains(m)) {
                dispatch(); // lost meanwhile, and already replaced
            } else if (f.exception() == null && !f.isCancelled() && p.isIdle() && state == State.OPEN) {
                makeIdle(m);
            } else {
                retire(m, false);
                dispatch();
            }
            finishCloseIfDone();
        });
    }

    // ------------------------------------------------------------------ releasing

    /**
     * Gives a connection from {@link #acquire()} back: asyncpg's {@code await pool.release(conn)}.
     * The handle stops working at once; the connection is reset, closed or dropped as the class
     * comment describes.
     *
     * @param conn a connection this pool handed out and that was not released yet
     * @return completes once the connection is idle in the pool again, or closed; never fails
     * @throws IllegalArgumentException if this pool did not hand {@code conn} out
     * @throws IllegalStateException if {@code conn} was already released, or if not called on the
     *     loop's thread
     */
    public Future<Void> release(PgConnection conn) {
        Objects.requireNonNull(conn, "conn");
        loop.checkThread("PgPool.release");
        if (conn.pool != this) {
            throw new IllegalArgumentException(conn + " was not acquired from this pool (" + server + ")"
                    + (conn.pool == null ? ": it was opened with PgConnection.connect; close it instead"
                            : " but from another one"));
        }
        if (conn.released) {
            throw new IllegalStateException(conn + " was already released to this pool");
        }
        return giveBack(conn);
    }

    /** The handle goes back: see the class comment for what happens to its connection. */
    Future<Void> giveBack(PgConnection lease) {
        lease.released = true;
        PoolMember m = leased.remove(lease);
        if (m == null || !all.contains(m)) {
            return Async.completed(null); // lost meanwhile, or the pool was terminated
        }
        PgProtocol p = m.protocol;
        if (!p.isSettled(m.resetsPending())) {
            retire(m, false); // its state is unknown: never handed to anyone again
            dispatch();
            finishCloseIfDone();
            return Async.completed(null);
        }
        if (state != State.OPEN || m.generation != generation || p.queries >= options.maxQueries()) {
            retire(m, true);
            dispatch();
            finishCloseIfDone();
            return Async.completed(null);
        }
        if (p.listening.channelCount() > 0) {
            // the caller's listeners and iterators end here, as asyncpg's reset drops its listeners;
            // the reset's UNLISTEN * clears the server's side
            p.listening.ended(null);
        }
        String reset = p.transactionStatus() != 'I'
                ? (options.resetQuery().isEmpty() ? "ROLLBACK" : "ROLLBACK; " + options.resetQuery())
                : options.resetQuery();
        if (reset.isEmpty()) {
            makeIdle(m);
            return Async.completed(null);
        }
        if (p.transactionStatus() == 'I') {
            // pipelined: the next caller's queries go out behind the reset on the same connection,
            // so giving a connection back costs the server one statement, not the pool a round trip
            Query q = p.submit(reset, NO_ARGS, Query.Mode.TAG, true);
            m.resetting(q);
            q.future.onDone(f -> {
                if ((f.exception() != null || f.isCancelled()) && all.contains(m)) {
                    retire(m, state != State.TERMINATED && p.isOpen()); // its session state is unknown
                    dispatch();
                    finishCloseIfDone();
                }
            });
            makeIdle(m);
            return Async.completed(null);
        }
        Future<Void> done = loop.createFuture();
        p.submit(reset, NO_ARGS, Query.Mode.TAG, true).future.onDone(f -> {
            if (!all.contains(m)) {
                dispatch();
            } else if (f.exception() == null && !f.isCancelled() && p.isIdle() && state == State.OPEN) {
                makeIdle(m);
            } else {
                retire(m, state != State.TERMINATED && p.isSettled());
                dispatch();
            }
            finishCloseIfDone();
            done.complete(null);
        });
        return done;
    }

    /** Gives back a handle whose acquire was taken back, unless it is already back. */
    void releaseQuietly(PgConnection lease) {
        if (!lease.released) {
            giveBack(lease);
        }
    }

    private void makeIdle(PoolMember m) {
        if (m.generation != generation) {
            retire(m, true); // expired while it was being reset or checked
            dispatch();
            return;
        }
        m.idleSince = loop.time();
        idle.addLast(m);
        Duration lifetime = options.maxInactiveConnectionLifetime();
        if (lifetime != null) {
            m.expiry = loop.callLater(lifetime, () -> {
                m.expiry = null;
                if (idle.contains(m) && size() > options.minSize()) {
                    retire(m, true);
                }
            });
        }
        dispatch();
    }

    private static void stopExpiry(PoolMember m) {
        if (m.expiry != null) {
            m.expiry.cancel();
            m.expiry = null;
        }
    }

    /** Takes a connection out of the pool and closes it: with a Terminate, or at once. */
    private void retire(PoolMember m, boolean graceful) {
        all.remove(m);
        idle.remove(m);
        stopExpiry(m);
        if (graceful && m.protocol.isSettled(m.resetsPending())) {
            m.protocol.closeGracefully();
        } else {
            m.protocol.abort();
        }
        replenish();
    }

    /** A connection's socket closed: if it was still a member, the server or the network closed it. */
    private void lost(PoolMember m) {
        live--;
        if (all.remove(m)) {
            idle.remove(m);
            stopExpiry(m);
            if (state == State.OPEN) {
                replenish();
                dispatch();
            }
        }
        finishCloseIfDone();
    }

    // ------------------------------------------------------------------ expiring and closing

    /**
     * Replaces every connection: idle ones are closed now and handed-out ones when they are
     * released; new ones are opened up to the minimum. asyncpg's {@code expire_connections()},
     * for after a change the open connections would not see (a new server certificate, a schema
     * search path changed with {@code ALTER ROLE}).
     *
     * @throws IllegalStateException if not called on the loop's thread
     */
    public void expireConnections() {
        loop.checkThread("PgPool.expireConnections");
        generation++;
        for (PoolMember m : new ArrayList<>(idle)) {
            retire(m, true);
        }
        dispatch();
    }

    /**
     * Closes the pool gracefully: asyncpg's {@code pool.close()}. Acquires fail at once from now
     * on, and so do the callers still waiting; idle connections are closed now, handed-out ones
     * as they are released (and reset ones once their reset answers).
     *
     * @return completes once every connection of the pool is closed; the same future on every call
     * @throws IllegalStateException if not called on the loop's thread
     */
    @Override
    public Future<Void> closeAsync() {
        loop.checkThread("PgPool.closeAsync");
        if (closed == null) {
            closed = loop.createFuture();
            state = State.CLOSING;
            failWaiters();
            for (PoolMember m : new ArrayList<>(idle)) {
                retire(m, true);
            }
            finishCloseIfDone();
        }
        return closed;
    }

    /**
     * Closes every connection at once, handed-out ones included (their queries fail with a
     * {@link PgConnectionException}): asyncpg's {@code pool.terminate()}. Acquires fail at once
     * from now on. Also ends a graceful close still waiting for connections to come back.
     *
     * @throws IllegalStateException if not called on the loop's thread
     */
    public void terminate() {
        loop.checkThread("PgPool.terminate");
        if (closed == null) {
            closed = loop.createFuture();
        }
        state = State.TERMINATED;
        failWaiters();
        for (PoolMember m : new ArrayList<>(all)) {
            retire(m, false);
        }
        finishCloseIfDone();
    }

    private void failWaiters() {
        for (PoolAcquire w = waiters.poll(); w != null; w = waiters.poll()) {
            w.fail(new IllegalStateException(closedMessage()));
        }
    }

    private void finishCloseIfDone() {
        if (closed != null && all.isEmpty() && opening == 0 && live == 0) {
            state = State.CLOSED;
            closed.complete(null);
        }
    }

    private String closedMessage() {
        return "the pool of connections to " + server + (state == State.CLOSING ? " is closing" : " is closed");
    }

    // ------------------------------------------------------------------ sizes

    /**
     * Connections open or being opened, handed out or idle: asyncpg's {@code get_size()}.
     *
     * @return the number of connections, at most {@link #maxSize()}
     */
    public int size() {
        return all.size() + opening;
    }

    /**
     * Connections idle in the pool, ready to be handed out: asyncpg's {@code get_idle_size()}.
     *
     * @return the number of idle connections
     */
    public int idleSize() {
        return idle.size();
    }

    /**
     * The connections the pool keeps open: asyncpg's {@code get_min_size()}.
     *
     * @return {@link PgPoolOptions#minSize()}
     */
    public int minSize() {
        return options.minSize();
    }

    /**
     * The most connections the pool opens: asyncpg's {@code get_max_size()}.
     *
     * @return {@link PgPoolOptions#maxSize()}
     */
    public int maxSize() {
        return options.maxSize();
    }

    /** A waiting caller's acquire ended without a connection (cancelled, timed out, failed): it leaves the queue. */
    void acquireEnded(PoolAcquire w) {
        waiters.remove(w);
    }

    /** The server's host:port, for messages. */
    String server() {
        return server;
    }

    /** Callers waiting for a connection. For tests. */
    int waiting() {
        return waiters.size();
    }

    /** The backend PIDs of the pool's connections, idle or not. For tests. */
    List<Integer> backendPids() {
        return all.stream().map(m -> m.protocol.backendPid()).toList();
    }

    @Override
    public String toString() {
        return "PgPool[" + server + ", " + size() + " open, " + idle.size() + " idle, " + waiters.size() + " waiting"
                + (state == State.OPEN ? "" : ", " + state.name().toLowerCase(java.util.Locale.ROOT)) + "]";
    }
}
