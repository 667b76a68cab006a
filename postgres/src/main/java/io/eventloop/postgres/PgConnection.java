package io.eventloop.postgres;

import io.eventloop.AsyncCloseable;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.eventloop.net.Net;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

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
 * <p><b>Transactions.</b> {@link #transaction(ThrowingFunction)} is asyncpg's
 * {@code async with conn.transaction():}: BEGIN, the body, COMMIT, or ROLLBACK if the body fails
 * or is cancelled; nested, it uses a savepoint. Every query issued on the connection while the
 * body runs is inside the transaction, whoever issues it: give a transaction a connection of its
 * own (asyncpg forbids sharing one anyway).
 *
 * <p><b>Notifications.</b> {@link #listen(String)} gives the notifications of a channel as an
 * {@link io.eventloop.AsyncIterator}; {@link #addListener} is asyncpg's callback form. A
 * notification on a channel nobody listens on through these is dropped.
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
    /** The outermost transaction open on this connection (started, not yet ended), or null: asyncpg's {@code _top_xact}. */
    PgTransaction top;
    /** Savepoints named so far, for unique names. */
    int savepoints;

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

    // ------------------------------------------------------------------ bulk writes

    /**
     * Runs one statement once per row of arguments, atomically: asyncpg's {@code executemany}
     * (0.22 and later). The rows are sent as Bind and Execute of the prepared statement each, with
     * one Sync after the last, so they run in one implicit transaction: if any row fails, none is
     * applied (inside a transaction opened with {@code BEGIN}, that transaction is failed, as for
     * any failing statement). The rows are encoded and written a chunk at a time while the
     * transport keeps up, so a large input is never encoded whole; until the last is written,
     * nothing else is written on the connection, and queries issued meanwhile follow in order.
     *
     * <p>asyncpg's returns {@code None}; here a {@code Future<Void>}: per-row command tags are not
     * kept (with a million rows they would be a million strings).
     *
     * @param sql one statement, with {@code $1}, {@code $2} ... for the arguments
     * @param argumentRows the rows, each an {@code Object[]} or a {@code List} of one argument per
     *     parameter; iterated once, as it is written
     * @return completes when every row is applied; fails with a {@link PgException} naming the
     *     row that failed ({@code row 3 of executeMany ...}, counting from 0), or an
     *     {@link IllegalArgumentException} naming the row and the argument that cannot be sent (if
     *     found before any row was written, nothing of the call was sent; if found later, the
     *     server is made to fail the call, so no row is applied either way)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<Void> executeMany(String sql, Iterable<?> argumentRows) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(argumentRows, "argumentRows");
        checkThread("PgConnection.executeMany");
        return (Future) protocol.submitBulk(sql, new ExecuteMany(sql, argumentRows, protocol.options.maxMessageSize())).future;
    }

    /**
     * Copies records into a table with {@code COPY ... FROM STDIN} in the binary format:
     * asyncpg's {@code copy_records_to_table(table, records=..., columns=...)}.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param records the records, each an {@code Object[]} or a {@code List} with a value per column
     * @param columns the columns the values are for, in order; none for every column of the table
     * @return the command tag, {@code "COPY 3"}; fails as {@link #copyRecordsToTable(String, Iterable, CopyOptions)}
     */
    public Future<String> copyRecordsToTable(String table, Iterable<?> records, String... columns) {
        return copyRecordsToTable(table, records, CopyOptions.defaults().columns(columns));
    }

    /**
     * Copies records into a table with {@code COPY ... FROM STDIN} in the binary format:
     * asyncpg's {@code copy_records_to_table}. The columns' types come from the description of
     * {@code SELECT cols FROM table} (prepared once per connection, like any statement), and each
     * value is encoded as for a query argument of that type. The COPY's messages follow without
     * waiting for the server's answer and are written a chunk at a time, as for
     * {@link #executeMany}. A COPY is all or nothing: a failing record applies none.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param records the records, each an {@code Object[]} or a {@code List} with a value per column;
     *     iterated once, as it is written
     * @param options the schema, the columns and a {@code WHERE} filter (the format is binary)
     * @return the command tag, {@code "COPY 3"}; fails with a {@link PgException} from the server
     *     (a missing table, a unique violation: with {@code COPY items, line 5} in its context,
     *     lines counting from 1), or an {@link IllegalArgumentException} naming the record (from 0)
     *     and the column whose value cannot be sent (sent nothing if found before the first chunk
     *     was written, else the COPY is ended with CopyFail and nothing is applied)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Future<String> copyRecordsToTable(String table, Iterable<?> records, CopyOptions options) {
        Objects.requireNonNull(records, "records");
        return copyRecords(table, new Bulk.Source(records), options);
    }

    /**
     * Copies records from an asynchronous source into a table: the streaming form of
     * {@link #copyRecordsToTable(String, Iterable, CopyOptions)}, for more records than fit in
     * memory (asyncpg's {@code copy_records_to_table} takes an async iterable as well). Each record
     * is taken when the last chunk was written and the transport has room, so the source is read
     * no faster than the server takes the data. If the source fails, the COPY is ended with
     * CopyFail (nothing applied) and the call fails with the source's error; the source is closed
     * when the call ends, whatever its outcome.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param records the records, each an {@code Object[]} or a {@code List} with a value per column
     * @param options the schema, the columns and a {@code WHERE} filter (the format is binary)
     * @return the command tag; fails as {@link #copyRecordsToTable(String, Iterable, CopyOptions)},
     *     or with the source's error
     */
    public Future<String> copyRecordsToTable(String table, AsyncIterator<?> records, CopyOptions options) {
        Objects.requireNonNull(records, "records");
        return copyRecords(table, new Bulk.Source(records), options);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<String> copyRecords(String table, Bulk.Source records, CopyOptions options) {
        Objects.requireNonNull(options, "options");
        checkThread("PgConnection.copyRecordsToTable");
        String copy = options.copyIn(table, CopyOptions.Format.BINARY);
        CopyIn body = new CopyIn(copy, options.table(table), records, true, protocol.options.maxMessageSize());
        return (Future) protocol.submitBulk(options.describeSql(table), body).future;
    }

    /**
     * Copies data in a format the server parses (text, CSV, binary) into a table: asyncpg's
     * {@code copy_to_table(table, source=...)}. The elements are sent as they are, in CopyData
     * messages of at most a chunk each, and taken as the transport has room. If the source fails
     * or the call is cancelled, the COPY is ended with CopyFail and nothing is applied.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param source the data, each element a {@link ByteBuffer} or a {@code byte[]}, split anywhere
     *     (a row may span elements); closed when the call ends
     * @param options the format and its details, the schema, the columns, a {@code WHERE} filter
     * @return the command tag, {@code "COPY 3"}; fails with a {@link PgException} when the server
     *     rejects the data (its context names the line), or with the source's error
     */
    public Future<String> copyToTable(String table, AsyncIterator<?> source, CopyOptions options) {
        Objects.requireNonNull(source, "source");
        return copyIn(table, new Bulk.Source(source), options);
    }

    /**
     * Copies data held in memory into a table: {@link #copyToTable(String, AsyncIterator, CopyOptions)}
     * with the elements of {@code source}.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param source the data, each element a {@link ByteBuffer} or a {@code byte[]}
     * @param options the format and its details, the schema, the columns, a {@code WHERE} filter
     * @return the command tag; fails as {@link #copyToTable(String, AsyncIterator, CopyOptions)}
     */
    public Future<String> copyToTable(String table, Iterable<?> source, CopyOptions options) {
        Objects.requireNonNull(source, "source");
        return copyIn(table, new Bulk.Source(source), options);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<String> copyIn(String table, Bulk.Source source, CopyOptions options) {
        Objects.requireNonNull(options, "options");
        checkThread("PgConnection.copyToTable");
        String copy = options.copyIn(table, null);
        CopyIn body = new CopyIn(copy, options.table(table), source, false, protocol.options.maxMessageSize());
        return (Future) protocol.submitBulk(copy, body).future;
    }

    /**
     * Copies a table out with {@code COPY ... TO STDOUT}: asyncpg's
     * {@code copy_from_table(table, output=...)}. Each CopyData the server sends (a row in the text
     * and CSV formats) goes to {@code sink} as a buffer the sink may keep; while the future it
     * returned is pending, the connection reads nothing more from the server, so a slow sink slows
     * the server down rather than filling memory. asyncpg's {@code output=} is a path, a file or an
     * {@code async def} taking {@code bytes}; here a function returning a future, and
     * {@link PgCopy#toFile} and {@link PgCopy#toChannel} for the first two.
     *
     * @param table the table's name, as it is (sent as a quoted identifier)
     * @param sink called with each chunk of data, in order; returns a future that completes when
     *     the chunk is taken care of
     * @param options the format and its details, the schema, the columns
     * @return the command tag, {@code "COPY 3"}; fails with a {@link PgException} from the server,
     *     or with the sink's error (the COPY is then cancelled on the server, as a cancelled query
     *     is, and the rest of its data dropped)
     */
    public Future<String> copyFromTable(String table, Function<? super ByteBuffer, ? extends Future<?>> sink,
            CopyOptions options) {
        Objects.requireNonNull(options, "options");
        return copyOut(options.copyOutOfTable(table), sink);
    }

    /**
     * Copies a query's result out in the text format: {@link #copyFromQuery(String, CopyOptions, Function, Object...)}
     * with {@link CopyOptions#defaults()}.
     *
     * @param sql the query
     * @param sink called with each chunk of data, in order
     * @param args the query's arguments, one per parameter (null for SQL NULL)
     * @return the command tag, {@code "COPY 3"}
     */
    public Future<String> copyFromQuery(String sql, Function<? super ByteBuffer, ? extends Future<?>> sink, Object... args) {
        return copyFromQuery(sql, CopyOptions.defaults(), sink, args);
    }

    /**
     * Copies a query's result out with {@code COPY (query) TO STDOUT}: asyncpg's
     * {@code copy_from_query(query, *args, output=...)}. The data goes to {@code sink} as for
     * {@link #copyFromTable}.
     *
     * <p>COPY takes no parameters, so with arguments the query is first described (its parameter
     * types), the server turns each argument into a literal of its type ({@code quote_nullable}),
     * and the literals replace {@code $1}, {@code $2} ... in the text (not inside strings, quoted
     * names or comments), as asyncpg does: two round trips more than without arguments.
     *
     * @param sql the query, with {@code $1}, {@code $2} ... for the arguments
     * @param options the format and its details
     * @param sink called with each chunk of data, in order; returns a future that completes when
     *     the chunk is taken care of
     * @param args the query's arguments, one per parameter (null for SQL NULL)
     * @return the command tag, {@code "COPY 3"}; fails with a {@link PgException} from the server,
     *     an {@link IllegalArgumentException} for an argument that does not fit its parameter, or
     *     with the sink's error (the COPY is then cancelled on the server)
     */
    public Future<String> copyFromQuery(String sql, CopyOptions options,
            Function<? super ByteBuffer, ? extends Future<?>> sink, Object... args) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(args, "args (for one NULL argument write (Object) null)");
        checkThread("PgConnection.copyFromQuery");
        if (args.length == 0) {
            return copyOut(options.copyOutOfQuery(sql), sink);
        }
        options.copyOutOfQuery(sql); // the options are checked before anything is sent
        return CopyQuery.literals(this, sql, args).then(literals ->
                copyOut(options.copyOutOfQuery(CopyQuery.substitute(sql, literals)), sink));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<String> copyOut(String copy, Function<? super ByteBuffer, ? extends Future<?>> sink) {
        Objects.requireNonNull(sink, "sink");
        checkThread("PgConnection (COPY TO)");
        return (Future) protocol.submitBulk(copy, new CopyOut(protocol, copy, sink)).future;
    }

    /** The parameter types of {@code sql}, from its description (prepared through the cache). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<int[]> parameterTypes(String sql) {
        return (Future) protocol.submitBulk(sql, new CopyQuery.Describe(sql)).future;
    }

    void checkThread(String what) {
        if (!protocol.loop.inLoopThread()) {
            throw new IllegalStateException(what + " is used from thread " + Thread.currentThread().getName()
                    + ", not its loop's; from another thread go through EventLoop.submit");
        }
        checkNotReleased("use " + what);
    }

    private Future<Object> submit(String sql, Object[] args, Query.Mode mode, boolean simple) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(args, "args (for one NULL argument write (Object) null)");
        checkThread("PgConnection");
        return protocol.submit(sql, args, mode, simple).future;
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Runs {@code body} in a transaction: asyncpg's {@code async with conn.transaction():}.
     * {@code BEGIN}, then the body with this connection; when the body's future succeeds,
     * {@code COMMIT}, and the result is its value; when it fails or is cancelled, {@code ROLLBACK},
     * and the result is the body's failure (a failing ROLLBACK is added to it as suppressed) or a
     * cancellation.
     *
     * <pre>{@code
     * Future<String> moved = conn.transaction(c ->
     *         c.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, from)
     *                 .then(tag -> c.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", amount, to)));
     * }</pre>
     *
     * <ul>
     *   <li><b>Nested:</b> called while a transaction of this connection is open (inside a body),
     *       it uses {@code SAVEPOINT}, {@code RELEASE SAVEPOINT} and {@code ROLLBACK TO SAVEPOINT}:
     *       a nested body that fails undoes only its own work, and the outer body may catch its
     *       failure and go on, as with asyncpg.</li>
     *   <li><b>Cancelling</b> the returned future (or the body's future) while the body runs
     *       cancels what the body waits on, so a running query is cancelled on the server first
     *       (see {@link PgConnection}), then the block is rolled back, and only then does the
     *       returned future end cancelled. Once the body is done, the COMMIT or ROLLBACK is on its
     *       way and a cancel is refused ({@code cancel()} returns false): the server's outcome
     *       stands. asyncpg cancels a COMMIT in progress too, which leaves its outcome unknown.</li>
     *   <li><b>A failing COMMIT</b> fails the result with the server's {@link PgException}: a
     *       serialization failure ({@code 40001}) under {@code SERIALIZABLE}, a deferred
     *       constraint. A body that caught the failure of one of its statements leaves the block
     *       aborted: its COMMIT fails with SQLSTATE {@code 25P02}, as nothing was committed
     *       (asyncpg reports success there, though the server rolled back).</li>
     *   <li><b>Pipelining:</b> any query issued on this connection while the body runs, by the
     *       body or by anyone else, runs inside the transaction (and another caller's
     *       {@code transaction} becomes nested in it). asyncpg forbids using one connection from
     *       two places at once; here it is allowed for plain queries and wrong for transactions:
     *       give each transaction its own connection, from a pool.</li>
     * </ul>
     *
     * @param <T> the type of the body's value
     * @param body the work, given this connection; returns the future of its last step
     * @return the body's value once committed
     * @throws IllegalStateException if the connection is inside a transaction block opened with
     *     {@code execute("BEGIN")}, or if not called on the loop's thread
     */
    public <T> Future<T> transaction(ThrowingFunction<? super PgConnection, ? extends Future<T>> body) {
        return transaction(PgTransaction.Options.defaults(), body);
    }

    /**
     * Runs {@code body} in a transaction with {@code options}: asyncpg's
     * {@code async with conn.transaction(isolation="serializable", readonly=True, deferrable=True):}.
     * Otherwise as {@link #transaction(ThrowingFunction)}. A nested transaction's options must be
     * the defaults or the outer one's: a savepoint cannot change them.
     *
     * <pre>{@code
     * PgTransaction.Options serializable = PgTransaction.Options.defaults()
     *         .isolation(PgTransaction.Isolation.SERIALIZABLE);
     * conn.transaction(serializable, c -> c.fetchVal("SELECT sum(balance) FROM accounts"));
     * }</pre>
     *
     * @param <T> the type of the body's value
     * @param options the isolation level, read-only and deferrable modes
     * @param body the work, given this connection; returns the future of its last step
     * @return the body's value once committed
     * @throws IllegalArgumentException if the options are inconsistent ({@code deferrable} without
     *     {@code SERIALIZABLE} and {@code readOnly})
     * @throws IllegalStateException as for {@link #transaction(ThrowingFunction)}
     */
    public <T> Future<T> transaction(PgTransaction.Options options,
            ThrowingFunction<? super PgConnection, ? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        checkThread("PgConnection.transaction");
        return TransactionScope.run(this, transaction(options), body);
    }

    /**
     * A transaction to start, commit and roll back by hand: asyncpg's {@code tr = conn.transaction()},
     * then {@code await tr.start()} ... {@code await tr.commit()}. Prefer
     * {@link #transaction(ThrowingFunction)}, which cannot forget the end.
     *
     * @return a transaction, not started
     */
    public PgTransaction transaction() {
        return transaction(PgTransaction.Options.defaults());
    }

    /**
     * A transaction with {@code options} to start, commit and roll back by hand.
     *
     * @param options the isolation level, read-only and deferrable modes
     * @return a transaction, not started
     * @throws IllegalArgumentException if the options are inconsistent
     */
    public PgTransaction transaction(PgTransaction.Options options) {
        Objects.requireNonNull(options, "options");
        return new PgTransaction(this, options);
    }

    // ------------------------------------------------------------------ LISTEN and NOTIFY

    /**
     * Listens on {@code channel}: the notifications sent to it from now on, as an async iterator.
     * {@code Async.forEach(notifications, n -> ...)} is {@code async for}. The connection runs
     * {@code LISTEN} with the name quoted as an identifier, so it is taken exactly as given (case,
     * spaces and quotes included): it matches {@code pg_notify('Orders', ...)} and
     * {@code NOTIFY "Orders"}, while an unquoted {@code NOTIFY Orders} means {@code orders}.
     *
     * <p>Each iterator gets every notification of its channel; the connection runs
     * {@code UNLISTEN} when the last iterator or listener of the channel is closed. How a slow
     * consumer, a lost connection and a transaction affect an iterator is written on
     * {@link Notifications}. The connection still runs queries meanwhile.
     *
     * <p>Compared with asyncpg, which has only {@link #addListener}: an iterator pulls, with a
     * bounded buffer ({@link PgOptions#notificationBuffer(int)}).
     *
     * @param channel the channel's name: 1 to 63 bytes of UTF-8, no NUL
     * @return the iterator, once the server has run {@code LISTEN}; fails with the server's
     *     {@link PgException} or a {@link PgConnectionException}
     * @throws IllegalArgumentException if {@code channel} is empty, longer than 63 bytes (PostgreSQL
     *     would cut it) or holds a NUL
     * @throws IllegalStateException if not called on the loop's thread
     */
    public Future<Notifications> listen(String channel) {
        checkThread("PgConnection.listen");
        Listening.quote(channel);
        Notifications notifications = new Notifications(protocol.loop, protocol.listening, channel,
                protocol.options.notificationBuffer());
        return protocol.listening.add(channel, notifications.listener()).map(v -> notifications);
    }

    /**
     * Calls {@code callback} with each notification on {@code channel}: asyncpg's
     * {@code await conn.add_listener(channel, callback)}. The channel is quoted as for
     * {@link #listen}. Each call runs on a later loop iteration ({@code callSoon}), in the order
     * the notifications came; an exception it throws goes to the loop's exception handler. There
     * is no buffer limit: a callback runs as soon as the loop gets to it. The same callback added
     * twice to a channel is called once per notification (asyncpg keeps a set). Callbacks are not
     * told when the connection is lost (nor are asyncpg's); an iterator from {@link #listen} is.
     *
     * @param channel the channel's name: 1 to 63 bytes of UTF-8, no NUL
     * @param callback what to call with each notification
     * @return completes once the server has run {@code LISTEN}; fails with its error (the callback
     *     is then not added)
     * @throws IllegalArgumentException if {@code channel} is not a valid name, as for {@link #listen}
     * @throws IllegalStateException if not called on the loop's thread
     */
    public Future<Void> addListener(String channel, Consumer<Notification> callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("PgConnection.addListener");
        Listening.quote(channel);
        Listening.Callback existing = protocol.listening.callback(channel, callback);
        if (existing != null) {
            return protocol.listening.listen(channel); // listed once, as asyncpg's set; LISTEN anyway, as asyncpg does not
        }
        return protocol.listening.add(channel, protocol.listening.new Callback(callback));
    }

    /**
     * Stops calling {@code callback} for {@code channel}: asyncpg's
     * {@code await conn.remove_listener(channel, callback)}. When it was the channel's last
     * listener (and no iterator is open on it), the connection runs {@code UNLISTEN}. Removing a
     * callback that was not added does nothing, as in asyncpg.
     *
     * @param channel the channel given to {@link #addListener}
     * @param callback the callback given to {@link #addListener}
     * @return completes once done (after the {@code UNLISTEN}, if one was needed)
     * @throws IllegalStateException if not called on the loop's thread
     */
    public Future<Void> removeListener(String channel, Consumer<Notification> callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        checkThread("PgConnection.removeListener");
        Listening.Callback existing = protocol.listening.callback(channel, callback);
        return existing == null ? io.eventloop.Async.completed(null) : protocol.listening.remove(channel, existing);
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
