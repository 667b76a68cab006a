package io.eventloop.bench.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * vertx-pg-client (Netty), its settings as they come but for one event-loop thread (the other
 * clients have one loop too): a {@code Pool} of {@code pool} connections, {@code callers} callers
 * each running {@code pool.preparedQuery(sql).execute(tuple)} and the next when it completes (the
 * pool lends a connection per query; prepared statements are cached per connection), started on an
 * event-loop context as a verticle's code would be. Batches are
 * {@code executeBatch} in {@code withTransaction}; the client has no COPY API.
 */
final class VertxClient implements PgBench.Client {
    private final Vertx vertx;
    private final Pool pool;
    private final int callers;
    private final List<CompletableFuture<Void>> stopped = new ArrayList<>();

    VertxClient(PgBench.Settings s) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        PgConnectOptions connect = new PgConnectOptions().setHost(s.host()).setPort(s.port())
                .setUser(s.user()).setDatabase(s.database()).setCachePreparedStatements(true);
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(s.pool())).connectingTo(connect)
                .using(vertx).build();
        callers = s.callers();
    }

    @Override
    public void start(String query, LongAdder done, AtomicBoolean go) {
        // as Vert.x code runs: on an event-loop context (a verticle's), not on the main thread
        CompletableFuture<Void> started = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            startHere(query, done, go);
            started.complete(null);
        });
        started.join();
    }

    private void startHere(String query, LongAdder done, AtomicBoolean go) {
        boolean select = query.equals(PgBench.SELECT);
        for (int k = 0; k < callers; k++) {
            CompletableFuture<Void> end = new CompletableFuture<>();
            stopped.add(end);
            new Runnable() {
                private int i = stopped.size() * 1_000_000;

                @Override
                public void run() {
                    if (!go.get()) {
                        end.complete(null);
                        return;
                    }
                    int arg = i++;
                    var q = pool.preparedQuery(query);
                    (select ? q.execute(Tuple.of(arg)) : q.execute()).onComplete(rows -> {
                        try {
                            if (select) {
                                PgBench.checkValue(arg, rows.iterator().next().getValue(0));
                                done.add(1);
                            } else {
                                int n = 0;
                                for (Row r : rows) {
                                    r.getInteger(0);
                                    r.getString(1);
                                    r.getDouble(2);
                                    r.getLocalDateTime(3);
                                    r.getBoolean(4);
                                    n++;
                                }
                                PgBench.checkRows(n);
                                done.add(n);
                            }
                            run();
                        } catch (Throwable e) {
                            go.set(false);
                            end.completeExceptionally(e);
                        }
                    }, e -> {
                        go.set(false);
                        end.completeExceptionally(e);
                    });
                }
            }.run();
        }
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
        List<Tuple> tuples = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            tuples.add(Tuple.wrap(r));
        }
        await(pool.withTransaction(c -> c.preparedQuery(PgBench.INSERT).executeBatch(tuples)));
        return true;
    }

    @Override
    public boolean copy(List<Object[]> rows) {
        return false;
    }

    @Override
    public void truncate() {
        await(pool.query("TRUNCATE " + PgBench.INSERT_TABLE).execute());
    }

    private static <T> T await(Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public void close() {
        await(pool.close());
        await(vertx.close());
    }
}
