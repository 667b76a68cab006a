package io.eventloop.bench.redis;

import io.eventloop.Future;
import io.eventloop.bench.LoopThread;
import io.eventloop.redis.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Drives one Redis server with one client library, as a user of that library would, and prints
 * the commands per second it got: {@code callers} independent callers share one connection, each
 * issuing {@code depth} commands at once (depth 1: one at a time) and issuing the next batch when
 * every reply of the last one has arrived. The same shape as {@code redis-benchmark -c callers
 * -P depth}, except that the callers share one connection instead of opening one each: that is how
 * both clients are meant to be used (one connection, commands of concurrent callers pipelined).
 *
 * <pre>
 * java -cp benchmarks.jar io.eventloop.bench.redis.RedisClientBench --client eventloop|lettuce|lettuce-flush
 *     [--host 127.0.0.1] [--port 6379] [--callers 50] [--depth 1] [--op set|get]
 *     [--warmup 2] [--duration 5] [--rounds 3]
 * </pre>
 *
 * {@code lettuce} is Lettuce as it comes (every command written and flushed as it is issued);
 * {@code lettuce-flush} is Lettuce's own pipelining, {@code setAutoFlushCommands(false)} with each
 * caller calling {@code flushCommands()} after issuing its batch.
 *
 * <p>Output, one line per round: {@code round N client op callers depth ops_per_second}. The key is
 * {@code key:__rand_int__} and the value 3 bytes, redis-benchmark's defaults.
 */
public final class RedisClientBench {
    private static final String KEY = "key:__rand_int__";
    private static final String VALUE = "xxx";

    private RedisClientBench() {
    }

    /** One client library: starts the callers and stops them. */
    private interface Driver extends AutoCloseable {
        /** Starts every caller; each completed command adds one to {@code done}. */
        void start(int callers, int depth, boolean set, LongAdder done, AtomicBoolean running) throws Exception;

        /** Waits until every caller has seen {@code running} false and its last replies. */
        void drain() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String client = null;
        String host = "127.0.0.1";
        int port = 6379;
        int callers = 50;
        int depth = 1;
        String op = "set";
        double warmup = 2;
        double duration = 5;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--client" -> client = v;
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--callers" -> callers = Integer.parseInt(v);
                case "--depth" -> depth = Integer.parseInt(v);
                case "--op" -> op = v;
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        if (client == null || !(op.equals("set") || op.equals("get")) || callers < 1 || depth < 1) {
            throw new IllegalArgumentException("usage: --client eventloop|lettuce [--op set|get] [--callers N] [--depth N] ...");
        }
        try (Driver driver = switch (client) {
            case "eventloop" -> new Eventloop(host, port);
            case "lettuce" -> new Lettuce(host, port, true);
            case "lettuce-flush" -> new Lettuce(host, port, false);
            default -> throw new IllegalArgumentException("unknown client " + client);
        }) {
            LongAdder done = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            driver.start(callers, depth, op.equals("set"), done, running);
            Thread.sleep((long) (warmup * 1000));
            for (int r = 1; r <= rounds; r++) {
                long before = done.sum();
                long start = System.nanoTime();
                Thread.sleep((long) (duration * 1000));
                long count = done.sum() - before;
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "round %d %s %s %d %d %.0f%n", r, client, op, callers, depth, count / seconds);
            }
            running.set(false);
            driver.drain();
        }
    }

    /** A caller's batch: counts replies down, and issues the next batch when the last arrives. */
    private abstract static class Caller implements Consumer<Object> {
        final int depth;
        final boolean set;
        final LongAdder done;
        final AtomicBoolean running;
        final CompletableFuture<Void> stopped = new CompletableFuture<>();
        int outstanding;

        Caller(int depth, boolean set, LongAdder done, AtomicBoolean running) {
            this.depth = depth;
            this.set = set;
            this.done = done;
            this.running = running;
        }

        abstract void issue(boolean set);

        /** After a batch is issued; Lettuce's manual pipelining flushes here. */
        void issued() {
        }

        final void batch() {
            outstanding = depth;
            for (int i = 0; i < depth; i++) {
                issue(set);
            }
            issued();
        }

        /** One reply arrived (on the client's I/O thread). */
        @Override
        public final void accept(Object reply) {
            if (--outstanding == 0) {
                done.add(depth);
                if (running.get()) {
                    batch();
                } else {
                    stopped.complete(null);
                }
            }
        }
    }

    /** This library's client: one loop thread, one connection, commands pipelined per iteration. */
    private static final class Eventloop implements Driver {
        private final LoopThread thread = new LoopThread();
        private final RedisClient client;
        private final List<Caller> callers = new ArrayList<>();

        Eventloop(String host, int port) {
            CompletableFuture<RedisClient> connected = new CompletableFuture<>();
            thread.runAndWait(() -> RedisClient.connect(host, port).onDone(f -> {
                if (f.exception() != null) {
                    connected.completeExceptionally(f.exception());
                } else {
                    connected.complete(f.result());
                }
            }));
            client = connected.join();
        }

        @Override
        public void start(int n, int depth, boolean set, LongAdder done, AtomicBoolean running) {
            thread.runAndWait(() -> {
                for (int i = 0; i < n; i++) {
                    Caller c = new Caller(depth, set, done, running) {
                        private final Consumer<Future<String>> onReply = f -> {
                            if (f.exception() != null) {
                                throw new IllegalStateException("command failed", f.exception());
                            }
                            accept(f);
                        };

                        @Override
                        void issue(boolean set) {
                            (set ? client.set(KEY, VALUE) : client.get(KEY)).onDone(onReply);
                        }
                    };
                    callers.add(c);
                    c.batch();
                }
            });
        }

        @Override
        public void drain() {
            for (Caller c : callers) {
                c.stopped.join();
            }
        }

        @Override
        public void close() throws Exception {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            thread.runAndWait(() -> client.closeAsync().onDone(f -> closed.complete(null)));
            closed.join();
            thread.close();
        }
    }

    /** Lettuce: one connection (Netty, one I/O thread for it), the asynchronous API. */
    private static final class Lettuce implements Driver {
        private final io.lettuce.core.RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisAsyncCommands<String, String> commands;
        private final boolean autoFlush;
        private final List<Caller> callers = new ArrayList<>();

        Lettuce(String host, int port, boolean autoFlush) {
            client = io.lettuce.core.RedisClient.create(RedisURI.create(host, port));
            connection = client.connect();
            connection.setAutoFlushCommands(autoFlush);
            commands = connection.async();
            this.autoFlush = autoFlush;
        }

        @Override
        public void start(int n, int depth, boolean set, LongAdder done, AtomicBoolean running) {
            for (int i = 0; i < n; i++) {
                Caller c = new Caller(depth, set, done, running) {
                    @Override
                    void issue(boolean set) {
                        (set ? commands.set(KEY, VALUE) : commands.get(KEY)).whenComplete((v, e) -> {
                            if (e != null) {
                                throw new IllegalStateException("command failed", e);
                            }
                            synchronized (this) { // replies come on Netty's thread; the first batch from here
                                accept(v);
                            }
                        });
                    }

                    @Override
                    void issued() {
                        if (!autoFlush) {
                            connection.flushCommands();
                        }
                    }
                };
                callers.add(c);
                synchronized (c) {
                    c.batch();
                }
            }
        }

        @Override
        public void drain() {
            for (Caller c : callers) {
                c.stopped.join();
            }
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
