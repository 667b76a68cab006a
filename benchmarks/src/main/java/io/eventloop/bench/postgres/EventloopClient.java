package io.eventloop.bench.postgres;

import io.eventloop.Future;
import io.eventloop.bench.LoopThread;
import io.eventloop.postgres.PgConnection;
import io.eventloop.postgres.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * This library's client ({@code io.eventloop.postgres.PgConnection}) on one loop thread: {@code
 * pool} connections opened with {@code PgConnection.connect(uri)}, and {@code callers} callers, caller
 * k on connection k mod {@code pool}, each running {@code fetchVal(SELECT, i)} or {@code
 * fetch(ROWS)} and the next when it completes. The module has no pool yet, so the callers are
 * spread over the connections as a fixed assignment, and the connection pipelines the queries of
 * the callers that share it (several in flight on one connection) where asyncpg's pool lends a
 * connection to one query at a time. The insert shapes are {@code executeMany(INSERT, rows)} (one
 * call is one implicit transaction, so no {@code BEGIN}/{@code COMMIT} around it, where asyncpg's
 * shape wraps {@code executemany} in {@code conn.transaction()}) and {@code
 * copyRecordsToTable("pg_bench_insert", rows, "a", "b", "c", "d", "e")} (binary COPY), on the
 * first connection.
 */
final class EventloopClient implements PgBench.Client {
    private final LoopThread thread = new LoopThread();
    private final List<PgConnection> connections = new ArrayList<>();
    private final int callers;
    private final List<CompletableFuture<Void>> stopped = new ArrayList<>();

    EventloopClient(PgBench.Settings s) {
        String uri = "postgresql://" + s.user() + "@" + s.host() + ":" + s.port() + "/" + s.database();
        for (int i = 0; i < s.pool(); i++) {
            connections.add(join(() -> PgConnection.connect(uri)));
        }
        callers = s.callers();
    }

    @Override
    public void start(String query, LongAdder done, AtomicBoolean go) {
        boolean select = query.equals(PgBench.SELECT);
        thread.runAndWait(() -> {
            for (int k = 0; k < callers; k++) {
                PgConnection c = connections.get(k % connections.size());
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
                            c.fetchVal(query, arg).onDone(f -> {
                                if (failed(f, end, go)) {
                                    return;
                                }
                                PgBench.checkValue(arg, f.result());
                                done.add(1);
                                run();
                            });
                        } else {
                            c.fetch(query).onDone(f -> {
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
        join(() -> connections.get(0).executeMany(PgBench.INSERT, rows));
        return true;
    }

    @Override
    public boolean copy(List<Object[]> rows) {
        String tag = join(() -> connections.get(0).copyRecordsToTable(PgBench.INSERT_TABLE, rows, "a", "b", "c", "d", "e"));
        if (!tag.equals("COPY " + rows.size())) {
            throw new IllegalStateException("copyRecordsToTable answered " + tag + " for " + rows.size() + " rows");
        }
        return true;
    }

    @Override
    public void truncate() {
        join(() -> connections.get(0).execute("TRUNCATE " + PgBench.INSERT_TABLE));
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
        thread.close();
    }
}
