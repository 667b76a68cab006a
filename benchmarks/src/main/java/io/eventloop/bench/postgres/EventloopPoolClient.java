package io.eventloop.bench.postgres;

import io.eventloop.Future;
import io.eventloop.bench.LoopThread;
import io.eventloop.postgres.PgPool;
import io.eventloop.postgres.PgPoolOptions;
import io.eventloop.postgres.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * This library's pool ({@code io.eventloop.postgres.PgPool}) on one loop thread, in asyncpg's pool
 * shape: {@code PgPool.create(uri)} with {@code minSize = maxSize = pool}, and {@code callers}
 * callers, each running the shortcut {@code pool.fetchVal(SELECT, i)} or {@code pool.fetch(ROWS)}
 * (acquire, query, release with asyncpg's reset) and the next when it completes. One query per
 * connection at a time, as with asyncpg's {@code pool.fetchval}; nothing is pipelined. As
 * {@code eventloop-pool-noreset}, the pool sends no reset ({@code resetQuery("")}): a connection
 * outside a transaction is idle again as soon as its caller's query has answered. The insert
 * shapes print nothing.
 */
final class EventloopPoolClient implements PgBench.Client {
    private final LoopThread thread = new LoopThread();
    private final PgPool pool;
    private final int callers;
    private final List<CompletableFuture<Void>> stopped = new ArrayList<>();

    /** {@code reset}: true for asyncpg's reset on every release (the default), false for {@code resetQuery("")}. */
    EventloopPoolClient(PgBench.Settings s, boolean reset) {
        String uri = "postgresql://" + s.user() + "@" + s.host() + ":" + s.port() + "/" + s.database();
        PgPoolOptions options = PgPoolOptions.defaults().minSize(s.pool()).maxSize(s.pool());
        pool = join(() -> PgPool.create(uri, reset ? options : options.resetQuery("")));
        callers = s.callers();
    }

    @Override
    public void start(String query, LongAdder done, AtomicBoolean go) {
        boolean select = query.equals(PgBench.SELECT);
        thread.runAndWait(() -> {
            for (int k = 0; k < callers; k++) {
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
                            pool.fetchVal(query, arg).onDone(f -> {
                                if (failed(f, end, go)) {
                                    return;
                                }
                                PgBench.checkValue(arg, f.result());
                                done.add(1);
                                run();
                            });
                        } else {
                            pool.fetch(query).onDone(f -> {
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
        return false;
    }

    @Override
    public boolean copy(List<Object[]> rows) {
        return false;
    }

    @Override
    public void truncate() {
        join(() -> pool.execute("TRUNCATE " + PgBench.INSERT_TABLE));
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
        join(pool::closeAsync);
        thread.close();
    }
}
