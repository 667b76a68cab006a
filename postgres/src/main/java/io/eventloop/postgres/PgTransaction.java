package io.eventloop.postgres;

import io.eventloop.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A transaction block, or a savepoint inside one: asyncpg's {@code Transaction}. Most code uses
 * the scoped form, {@link PgConnection#transaction(io.eventloop.ThrowingFunction)}, which starts
 * one, runs a body and commits or rolls back; this object is the manual form underneath it.
 *
 * <pre>{@code
 * PgTransaction tx = conn.transaction();            // tr = conn.transaction()
 * tx.start()                                        // await tr.start()
 *         .then(v -> conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1"))
 *         .then(tag -> tx.commit())                 // await tr.commit()
 *         .recover(PgException.class, e -> tx.rollback().then(v -> Async.failed(e)));
 * }</pre>
 *
 * <pre>
 *   NEW ──start()──&gt; STARTING ──BEGIN / SAVEPOINT done──&gt; STARTED ──commit()───&gt; ENDING ──&gt; COMMITTED
 *                       │                                  │    └──rollback()──&gt; ENDING ──&gt; ROLLED_BACK
 *                       └── refused or lost ──&gt; NOT_STARTED └─── (COMMIT refused) ─────────────&gt; FAILED
 * </pre>
 * {@code rollback()} is also accepted while STARTING (the ROLLBACK is queued behind the BEGIN) and
 * after a start that failed without the server's word (a timeout: the BEGIN may have run).
 *
 * <p><b>Top level or nested.</b> The first transaction started on a connection sends
 * {@code BEGIN} with its {@link Options}; one started while it is open is nested: it sends
 * {@code SAVEPOINT}, its commit {@code RELEASE SAVEPOINT}, its rollback
 * {@code ROLLBACK TO SAVEPOINT} (then {@code RELEASE SAVEPOINT}, so the name is gone), as asyncpg
 * does. A nested transaction cannot change the isolation level, read-only or deferrable mode of
 * the block it is in: its options must be the defaults or the same as the outer ones, else its
 * start fails with an {@link IllegalArgumentException} (asyncpg checks the isolation level, and
 * ignores the rest).
 *
 * <p><b>Commit.</b> {@code commit()} fails with the server's {@link PgException} when the COMMIT
 * fails: a serialization failure ({@code 40001}) under {@code SERIALIZABLE}, a deferred constraint
 * ({@code 23505} ...). The block is over either way (PostgreSQL rolled it back). A COMMIT of a
 * block in which a statement failed is answered by PostgreSQL with the tag {@code ROLLBACK} and
 * no error; here it fails with a {@link PgException} of SQLSTATE {@code 25P02}
 * (in_failed_sql_transaction), as nothing was committed (asyncpg reports success). A nested
 * commit that fails so rolls back to its savepoint, so the outer block can go on.
 *
 * <p><b>Cancelling.</b> The futures of {@link #start()}, {@link #commit()} and
 * {@link #rollback()} stop being waited for when cancelled; the statement itself runs on, and
 * this object's state follows the server's answer. (Cancelling a COMMIT on the server would
 * leave its outcome unknown.)
 *
 * <p>Compared with asyncpg: the same states and statements; its {@code InterfaceError}s for
 * misuse (starting twice, committing what was not started) are {@link IllegalStateException}s,
 * thrown at the call. Loop thread only.
 */
public final class PgTransaction {
    /** The isolation levels of asyncpg's {@code isolation=} argument, PostgreSQL's {@code ISOLATION LEVEL}. */
    public enum Isolation {
        /** {@code READ COMMITTED}, PostgreSQL's default: each statement sees what was committed before it began. */
        READ_COMMITTED("READ COMMITTED"),
        /** {@code REPEATABLE READ}: every statement sees the snapshot of the first one. */
        REPEATABLE_READ("REPEATABLE READ"),
        /**
         * {@code SERIALIZABLE}: as if the transactions ran one at a time; one that cannot be fails
         * with SQLSTATE {@code 40001}, possibly at its COMMIT, and should be retried.
         */
        SERIALIZABLE("SERIALIZABLE");

        private final String sql;

        Isolation(String sql) {
            this.sql = sql;
        }

        /**
         * The words of SQL for this level.
         *
         * @return {@code "READ COMMITTED"}, {@code "REPEATABLE READ"} or {@code "SERIALIZABLE"}
         */
        public String sql() {
            return sql;
        }
    }

    /**
     * The characteristics of a transaction: asyncpg's {@code conn.transaction(isolation=...,
     * readonly=..., deferrable=...)}. Immutable; each setter returns a copy with one setting
     * changed. Checked when used, so the setters may come in any order.
     *
     * <pre>{@code
     * PgTransaction.Options report = PgTransaction.Options.defaults()
     *         .isolation(PgTransaction.Isolation.SERIALIZABLE)
     *         .readOnly(true)
     *         .deferrable(true);    // BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE
     * }</pre>
     */
    public static final class Options {
        private static final Options DEFAULTS = new Options(null, false, false);

        private final Isolation isolation;
        private final boolean readOnly;
        private final boolean deferrable;

        private Options(Isolation isolation, boolean readOnly, boolean deferrable) {
            this.isolation = isolation;
            this.readOnly = readOnly;
            this.deferrable = deferrable;
        }

        /**
         * The server's defaults: a plain {@code BEGIN} (its {@code default_transaction_isolation},
         * read-write), as asyncpg's {@code transaction()} without arguments.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * The isolation level: asyncpg's {@code isolation='serializable'}.
         *
         * @param level the level
         * @return a copy with this setting
         */
        public Options isolation(Isolation level) {
            return new Options(Objects.requireNonNull(level, "level"), readOnly, deferrable);
        }

        /**
         * Whether the transaction is {@code READ ONLY}: asyncpg's {@code readonly=True}. Writes
         * then fail with SQLSTATE {@code 25006}.
         *
         * @param readOnly true for {@code READ ONLY}
         * @return a copy with this setting
         */
        public Options readOnly(boolean readOnly) {
            return new Options(isolation, readOnly, deferrable);
        }

        /**
         * Whether the transaction is {@code DEFERRABLE}: asyncpg's {@code deferrable=True}. It
         * means something only for a {@code SERIALIZABLE READ ONLY} transaction (which then waits
         * for a snapshot that cannot fail, and runs without serialization checks), so here it is
         * refused with anything else, where PostgreSQL would silently ignore it.
         *
         * @param deferrable true for {@code DEFERRABLE}
         * @return a copy with this setting
         */
        public Options deferrable(boolean deferrable) {
            return new Options(isolation, readOnly, deferrable);
        }

        /**
         * The isolation level asked for.
         *
         * @return the level, or null for the server's default
         */
        public Isolation isolation() {
            return isolation;
        }

        /**
         * Whether {@code READ ONLY} is asked for.
         *
         * @return true for a read-only transaction
         */
        public boolean readOnly() {
            return readOnly;
        }

        /**
         * Whether {@code DEFERRABLE} is asked for.
         *
         * @return true for a deferrable transaction
         */
        public boolean deferrable() {
            return deferrable;
        }

        /** The options as they will be used, or an IllegalArgumentException naming what is wrong. */
        Options validated() {
            if (deferrable && (isolation != Isolation.SERIALIZABLE || !readOnly)) {
                throw new IllegalArgumentException("deferrable(true) has an effect only on a SERIALIZABLE READ ONLY"
                        + " transaction, not on " + this + "; add isolation(SERIALIZABLE) and readOnly(true), or drop it");
            }
            return this;
        }

        /** The BEGIN statement for these options. */
        String begin() {
            StringBuilder b = new StringBuilder("BEGIN");
            if (isolation != null) {
                b.append(" ISOLATION LEVEL ").append(isolation.sql);
            }
            if (readOnly) {
                b.append(" READ ONLY");
            }
            if (deferrable) {
                b.append(" DEFERRABLE");
            }
            return b.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options other && isolation == other.isolation && readOnly == other.readOnly
                    && deferrable == other.deferrable;
        }

        @Override
        public int hashCode() {
            return Objects.hash(isolation, readOnly, deferrable);
        }

        @Override
        public String toString() {
            return "Options[" + (isolation == null ? "default isolation" : isolation) + (readOnly ? ", read only" : "")
                    + (deferrable ? ", deferrable" : "") + "]";
        }
    }

    private enum State { NEW, STARTING, STARTED, NOT_STARTED, ENDING, COMMITTED, ROLLED_BACK, FAILED }

    private final PgConnection conn;
    private final Options options;
    private State state = State.NEW;
    private boolean nested;
    private String savepoint;
    /** Whether the BEGIN or SAVEPOINT was handed to the connection (it runs even if start()'s future is cancelled). */
    private boolean sent;
    /** Why start() failed; null otherwise. */
    private Throwable startFailure;

    PgTransaction(PgConnection conn, Options options) {
        this.conn = conn;
        this.options = options.validated();
    }

    /**
     * Starts the block: {@code BEGIN} with the options, or {@code SAVEPOINT} when another
     * transaction of this connection is open. asyncpg's {@code await tr.start()}.
     *
     * @return completes once the server has run it; fails with its {@link PgException}, a
     *     {@link PgConnectionException}, or, for a nested transaction whose options differ from
     *     the outer one's, an {@link IllegalArgumentException}
     * @throws IllegalStateException if it was started before, or if the connection is inside a
     *     transaction block opened with {@code execute("BEGIN")} (asyncpg refuses it too: the
     *     block's end would not be this object's)
     */
    public Future<Void> start() {
        conn.checkThread("PgTransaction.start");
        if (state != State.NEW) {
            throw new IllegalStateException("start() of " + this + ": a transaction is started once");
        }
        PgTransaction top = conn.top;
        PgProtocol p = conn.protocol();
        Future<Void> result = p.loop.createFuture();
        if (top == null) {
            if (p.transactionStatus() != 'I' && p.waiting() == 0 && p.isOpen()) {
                throw new IllegalStateException("cannot start " + this + " inside a transaction block opened with"
                        + " execute(\"BEGIN\") (transaction status '" + p.transactionStatus() + "'): end that one"
                        + " with COMMIT or ROLLBACK first");
            }
            conn.top = this;
            state = State.STARTING;
            run(options.begin(), result);
            return result;
        }
        nested = true;
        savepoint = "eventloop_savepoint_" + (++conn.savepoints);
        state = State.STARTING;
        Options outer = top.options;
        if (options.equals(Options.DEFAULTS) || options.equals(outer)) {
            run("SAVEPOINT " + savepoint, result);
        } else if (options.readOnly != outer.readOnly || options.deferrable != outer.deferrable
                || outer.isolation != null) {
            notStarted(result, new IllegalArgumentException(this + " cannot change the characteristics of the"
                    + " transaction it is nested in, " + top + ": give it the defaults or the same options"));
        } else {
            // the outer block took the server's default level: ask which it is, as asyncpg does
            conn.fetchVal("SHOW transaction_isolation").onDone(show -> {
                Throwable failure = show.isCancelled() ? new PgConnectionException("SHOW transaction_isolation was"
                        + " cancelled") : show.exception();
                if (result.isCancelled()) {
                    notStarted(result, new java.util.concurrent.CancellationException(this + " was cancelled before"
                            + " its SAVEPOINT was sent")); // nothing sent, nothing to undo
                } else if (failure != null) {
                    notStarted(result, failure);
                } else if (!options.isolation.sql.equalsIgnoreCase(String.valueOf(show.result()))) {
                    notStarted(result, new IllegalArgumentException(this + " cannot change the isolation level of"
                            + " the transaction it is nested in, which is " + show.result()));
                } else {
                    run("SAVEPOINT " + savepoint, result);
                }
            });
        }
        return result;
    }

    private void run(String sql, Future<Void> result) {
        sent = true;
        Future<Object> q = conn.protocol().submit(sql, new Object[0], Query.Mode.TAG, true).future;
        q.onDone(f -> {
            Throwable failure = f.isCancelled() ? new PgConnectionException(sql + " was cancelled") : f.exception();
            if (failure == null) {
                if (state == State.STARTING) { // not if a rollback() was queued behind it meanwhile
                    state = State.STARTED;
                }
                result.complete(null);
            } else {
                notStarted(result, failure);
            }
        });
    }

    private void notStarted(Future<Void> result, Throwable failure) {
        if (state == State.STARTING) {
            state = State.NOT_STARTED;
        }
        startFailure = failure;
        if (conn.top == this) {
            conn.top = null;
        }
        result.fail(failure);
    }

    /**
     * Whether the server may be inside this block now: started, starting, or a start that failed
     * without the server saying so (a timeout: the BEGIN may have run). A start the server
     * refused, or a nested one whose options were refused, opened nothing.
     */
    boolean mayBeOpen() {
        return state == State.STARTED || state == State.STARTING && sent
                || state == State.NOT_STARTED && sent && !(startFailure instanceof PgException) && conn.protocol().isOpen();
    }

    /**
     * Commits: {@code COMMIT}, or {@code RELEASE SAVEPOINT} when nested. asyncpg's
     * {@code await tr.commit()}.
     *
     * @return completes once committed; fails with the server's {@link PgException} (the block is
     *     then over: rolled back, or, nested, rolled back to its savepoint), with a
     *     {@link PgException} of SQLSTATE {@code 25P02} when a statement in the block had failed,
     *     or with a {@link PgConnectionException}
     * @throws IllegalStateException unless started and not yet ended
     */
    public Future<Void> commit() {
        conn.checkThread("PgTransaction.commit");
        if (state != State.STARTED) {
            throw new IllegalStateException("commit() of " + this + ": only a started transaction is committed");
        }
        end();
        Future<Void> result = conn.protocol().loop.createFuture();
        String sql = nested ? "RELEASE SAVEPOINT " + savepoint : "COMMIT";
        conn.protocol().submit(sql, new Object[0], Query.Mode.TAG, true).future.onDone(f -> {
            Throwable failure = f.isCancelled() ? new PgConnectionException(sql + " was cancelled") : f.exception();
            if (failure == null && !nested && "ROLLBACK".equals(f.result())) {
                failure = rolledBackAtCommit();
            }
            if (failure == null) {
                state = State.COMMITTED;
                result.complete(null);
            } else if (nested && conn.protocol().isOpen()) {
                Throwable commitFailure = failure;
                // the outer block is aborted until the savepoint is rolled back to
                rollBack().onDone(r -> {
                    Throwable rollbackFailure = r.exception();
                    if (rollbackFailure != null) {
                        commitFailure.addSuppressed(rollbackFailure);
                    }
                    state = State.FAILED;
                    result.fail(commitFailure);
                });
            } else {
                state = State.FAILED;
                result.fail(failure);
            }
        });
        return result;
    }

    private PgException rolledBackAtCommit() {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "ERROR");
        fields.put('V', "ERROR");
        fields.put('C', "25P02");
        fields.put('M', "the transaction was rolled back, not committed: a statement in it had failed (the server"
                + " answered COMMIT with ROLLBACK)");
        return new PgException(fields, "COMMIT");
    }

    /**
     * Rolls back: {@code ROLLBACK}, or, when nested, {@code ROLLBACK TO SAVEPOINT} and
     * {@code RELEASE SAVEPOINT}. asyncpg's {@code await tr.rollback()}.
     *
     * @return completes once rolled back; fails with the server's error or a
     *     {@link PgConnectionException}
     * @throws IllegalStateException if not started (a start that failed without the server's
     *     answer, such as a timeout, may be rolled back), or already ended
     */
    public Future<Void> rollback() {
        conn.checkThread("PgTransaction.rollback");
        if (!mayBeOpen()) {
            throw new IllegalStateException("rollback() of " + this + ": only a started transaction is rolled back");
        }
        end();
        Future<Void> result = conn.protocol().loop.createFuture();
        rollBack().onDone(f -> {
            if (f.exception() == null) {
                state = State.ROLLED_BACK;
                result.complete(null);
            } else {
                state = State.FAILED;
                result.fail(f.exception());
            }
        });
        return result;
    }

    private void end() {
        state = State.ENDING;
        if (conn.top == this) {
            conn.top = null;
        }
    }

    /** The statement of a rollback, sent; its future never ends cancelled (a cancel becomes a failure). */
    private Future<Void> rollBack() {
        Future<Void> done = conn.protocol().loop.createFuture();
        String sql = nested ? "ROLLBACK TO SAVEPOINT " + savepoint + "; RELEASE SAVEPOINT " + savepoint : "ROLLBACK";
        conn.protocol().submit(sql, new Object[0], Query.Mode.TAG, true).future.onDone(f -> {
            if (f.isCancelled()) {
                done.fail(new PgConnectionException(sql + " was cancelled"));
            } else if (f.exception() != null) {
                done.fail(f.exception());
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Whether this is a savepoint inside another transaction of the connection (known once
     * started).
     *
     * @return true when {@link #start()} sent {@code SAVEPOINT} rather than {@code BEGIN}
     */
    public boolean isNested() {
        return nested;
    }

    /**
     * The characteristics asked for.
     *
     * @return the options given to {@link PgConnection#transaction(Options)}, or the defaults
     */
    public Options options() {
        return options;
    }

    @Override
    public String toString() {
        return "PgTransaction[" + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (nested ? ", savepoint " + savepoint : "")
                + (options.equals(Options.DEFAULTS) ? "" : ", " + options) + "]";
    }
}
