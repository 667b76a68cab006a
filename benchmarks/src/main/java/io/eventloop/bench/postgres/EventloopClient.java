package io.eventloop.bench.postgres;

import io.eventloop.Future;
import io.eventloop.bench.LoopThread;
import io.eventloop.postgres.PgConnection;
import io.eventloop.postgres.PgPool;
import io.eventloop.postgres.PgPoolOptions;
import io.eventloop.postgres.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * This library's client on one loop thread, in two shapes. With connections ({@code eventloop},
 * {@code eventloop-conn}): {@code pool} connections opened with {@code PgConnection.connect(uri)},
 * and {@code callers} callers, caller k on connection k mod {@code pool}, each running {@code
 * fetchVal(SELECT, i)} or {@code fetch(ROWS)} and the next when it completes; the connection
 * pipelines the queries of the callers that share it (several in flight on one connection) where a
 * pool lends a connection to one query at a time. With the pool ({@code eventloop-pool}):
 * {@code PgPool.create(uri)} with {@code minSize = maxSize = pool}, each caller running the
 * shortcuts {@code pool.fetchVal} / {@code pool.fetch} (acquire, query, release with asyncpg's
 * reset), asyncpg's pool shape; as {@code eventloop-pool-noreset}, with {@code resetQuery("")}.
 * The insert shapes, with connections only, are {@code executeMany(INSERT, rows)} (one call is
 * one implicit transaction, so no {@code BEGIN}/{@code COMMIT} around it, where asyncpg's shape
 * wraps {@code executemany} in {@code conn.transaction()}) and {@code
 * copyRecordsToTable("pg_bench_insert", rows, "a", "b", "c", "d", "e")} (binary COPY), on the
 * first connection.
 */
final class EventloopClient implements PgBench.Client {
    private final LoopThread thread = new LoopThread();
    private final List<PgConnection> connections = new ArrayList<>();
    /** The pool in the pool shapes, else null. */
    private final PgPool pool;
    private final int callers;
    private final List<CompletableFuture<Void>> stopped = new ArrayList<>();

    /** Connections, no pool. */
    EventloopClient(PgBench.Settings s) {
        String uri = uri(s);
        for (int i = 0; i < s.pool(); i++) {
            connections.add(join(() -> PgConnection.connect(uri)));
        }
        pool = null;
        callers = s.callers();
    }

    /** A pool; {@code reset}: true for asyncpg's reset on every release (the default), false for {@code resetQuery("")}. */
    EventloopClient(PgBench.Settings s, boolean reset) {
        PgPoolOptions options = PgPoolOptions.defaults().minSize(s.pool()).maxSize(s.pool());
        pool = join(() -> PgPool.create(uri(s), reset ? options : options.resetQuery("")));
        callers = s.callers();
    }

    private static String uri(PgBench.Settings s) {
        return "postgresql://" + s.user() + "@" + s.host() + ":" + s.port() + "/" + s.database();
    }

    @Override
    public void start(String query, LongAdder done, AtomicBoolean go) {
        boolean select = query.equals(PgBench.SELECT);
        thread.runAndWait(() -> {
            for (int k = 0; k < callers; k++) {
                PgConnection c = pool == null ? connections.get(k % connections.size()) : null;
                CompletableFuture<Void> end = new CompletableFuture<>();
                stopped.add(end);
                int first = k * 1_000_000;
                new Runnable() {
                    private int i = first;

                    @Override
                    public void run() {
                        if (!go.get()) {
                            end.complete(null);
                            return;
                        }
                        int arg = i++;
                        if (select) {
                            (c != null ? c.fetchVal(query, arg) : pool.fetchVal(query, arg)).onDone(f -> {
                                if (failed(f, end, go)) {
                                    return;
                                }
                                PgBench.checkValue(arg, f.result());
                                done.add(1);
                                run();
                            });
                        } else {
                            (c != null ? c.fetch(query) : pool.fetch(query)).onDone(f -> {
                                if (failed(f, end, go)) {
                                    return;
                                }
                                int n = 0;
                                for (Row r : f.result()) {
                                    r.get(0);
                                    r.get(1);
                                    r.get(2);
                                    r.get(3);
                                    r.get(4);
                                    n++;
                                }
                                PgBench.checkRows(n);
                                done.add(n);
                                run();
                            });
                        }
                    }
                }.run();
            }
        });
    }

    private static boolean failed(Future<?> f, CompletableFuture<Void> end, AtomicBoolean go) {
        if (f.isCancelled() || f.exception() != null) {
            go.set(false);
            end.completeExceptionally(f.isCancelled() ? new IllegalStateException("query cancelled") : f.exception());
            return true;
        }
        return false;
    }

    @Override
    public void drain() {
        for (CompletableFuture<Void> f : stopped) {
            f.join();
        }
        stopped.clear();
    }

    @Override
    public boolean executeMany(List<Object[]> rows) {
        if (pool != null) {
            return false;
        }
        join(() -> connections.get(0).executeMany(PgBench.INSERT, rows));
        return true;
    }

    @Override
    public boolean copy(List<Object[]> rows) {
        if (pool != null) {
            return false;
        }
        String tag = join(() -> connections.get(0).copyRecordsToTable(PgBench.INSERT_TABLE, rows, "a", "b", "c", "d", "e"));
        if (!tag.equals("COPY " + rows.size())) {
            throw new IllegalStateException("copyRecordsToTable answered " + tag + " for " + rows.size() + " rows");
        }
        return true;
    }

    @Override
    public void truncate() {
        join(() -> pool != null ? pool.execute("TRUNCATE " + PgBench.INSERT_TABLE)
                : connections.get(0).execute("TRUNCATE " + PgBench.INSERT_TABLE));
    }

    /** Runs {@code call} on the loop thread and waits for the future it returns. */
    private <T> T join(java.util.function.Supplier<Future<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.runAndWait(() -> call.get().onDone(f -> {
            if (f.isCancelled()) {
                result.completeExceptionally(new IllegalStateException("cancelled"));
            } else if (f.exception() != null) {
                result.completeExceptionally(f.exception());
            } else {
                result.complete(f.result());
            }
        }));
        return result.join();
    }

    @Override
    public void close() throws Exception {
        for (PgConnection c : connections) {
            join(c::closeAsync);
        }
        if (pool != null) {
            join(pool::closeAsync);
        }
        thread.close();
    }
}
