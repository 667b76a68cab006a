package io.eventloop.bench.postgres;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives one PostgreSQL server with one Java client library, as a user of that library would, and
 * prints what it got, shape by shape; the Python peer (benchmarks/python/pg_bench.py, asyncpg on
 * uvloop) runs the same shapes and prints the same lines. Driven by benchmarks/run-postgres.sh,
 * which creates the server and its tables.
 *
 * <pre>
 * java -cp benchmarks.jar io.eventloop.bench.postgres.PgBench --client pgjdbc|vertx|eventloop|eventloop-pool
 *     [--host 127.0.0.1] [--port 5432] [--user postgres] [--database postgres]
 *     [--pool 10] [--callers 50] [--threads 10] [--warmup 2] [--duration 4]
 *     [--insert-rows 100000] [--shapes select,rows,executemany,copy] [--name LABEL]
 * </pre>
 *
 * The shapes:
 * <ul>
 *   <li>{@code select}: {@code SELECT $1::int} with a different argument each time, {@code callers}
 *       independent callers over {@code pool} connections, each issuing its next query when the last
 *       one's value has arrived; queries per second.
 *   <li>{@code rows}: {@code SELECT a, b, c, d, e FROM pg_bench_rows} (1,000 rows of int4, text,
 *       float8, timestamp, bool), the same callers and connections; every value of every row is read
 *       as its Java type; rows per second.
 *   <li>{@code executemany}: {@code insert-rows} rows of the same five columns inserted into the
 *       empty table {@code pg_bench_insert} by one parameterised INSERT executed for each row as the
 *       library's batch API does it, in one transaction, on one connection; rows per second.
 *   <li>{@code copy}: the same rows with the library's COPY FROM STDIN API; rows per second.
 * </ul>
 * A shape a library has no API for prints nothing. Output, one line per figure: {@code result
 * client shape value}. Every shape is warmed up first: the query shapes for {@code warmup} seconds
 * before the {@code duration} measured, the inserts by one unmeasured insert of a fifth of the rows.
 * {@code --name} prints another name for the client (the same client with other settings).
 */
public final class PgBench {
    /** The query of the {@code select} shape. */
    static final String SELECT = "SELECT $1::int";
    /** The query of the {@code rows} shape: 1,000 rows of five columns. */
    static final String ROWS = "SELECT a, b, c, d, e FROM pg_bench_rows";
    /** How many rows the {@code rows} query returns (run-postgres.sh fills the table). */
    static final int ROW_COUNT = 1000;
    /** The table the insert shapes fill, emptied before each insert. */
    static final String INSERT_TABLE = "pg_bench_insert";
    /** The insert shapes' statement (pgjdbc and Vert.x; asyncpg writes the same). */
    static final String INSERT = "INSERT INTO pg_bench_insert (a, b, c, d, e) VALUES ($1, $2, $3, $4, $5)";
    private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);

    private PgBench() {
    }

    /** The settings every client gets. */
    record Settings(String host, int port, String user, String database, int pool, int callers, int threads) {
    }

    /** One client library: the shapes as that library's user would write them. */
    interface Client extends AutoCloseable {
        /**
         * Starts {@code callers} callers that run {@code query} over and over ({@link #SELECT} with
         * an argument of their own, or {@link #ROWS}) until {@code running} turns false; each
         * completed query adds the number of rows it got to {@code done}.
         */
        void start(String query, LongAdder done, AtomicBoolean running) throws Exception;

        /** Waits until every caller has seen {@code running} false and its last query has ended. */
        void drain() throws Exception;

        /** Inserts {@code rows} with the library's batch API (one transaction); false if it has none. */
        boolean executeMany(List<Object[]> rows) throws Exception;

        /** Inserts {@code rows} with the library's COPY FROM API; false if it has none. */
        boolean copy(List<Object[]> rows) throws Exception;

        /** Empties the insert table. */
        void truncate() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String client = null;
        String name = null;
        String host = "127.0.0.1";
        int port = 5432;
        String user = "postgres";
        String database = "postgres";
        int pool = 10;
        int callers = 50;
        int threads = -1;
        double warmup = 2;
        double duration = 4;
        int insertRows = 100_000;
        List<String> shapes = List.of("select", "rows", "executemany", "copy");
        for (int i = 0; i < args.length; i += 2) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[i + 1];
            switch (a) {
                case "--client" -> client = v;
                case "--name" -> name = v;
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--user" -> user = v;
                case "--database" -> database = v;
                case "--pool" -> pool = Integer.parseInt(v);
                case "--callers" -> callers = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--insert-rows" -> insertRows = Integer.parseInt(v);
                case "--shapes" -> shapes = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (client == null || pool < 1 || callers < 1 || insertRows < 5) {
            throw new IllegalArgumentException("usage: --client pgjdbc|vertx|eventloop|eventloop-pool [--pool N] [--callers N] ...");
        }
        for (String s : shapes) {
            if (!List.of("select", "rows", "executemany", "copy").contains(s)) {
                throw new IllegalArgumentException("unknown shape " + s + " (select, rows, executemany, copy)");
            }
        }
        String label = name != null ? name : client;
        Settings settings = new Settings(host, port, user, database, pool, callers, threads < 1 ? pool : threads);
        try (Client c = open(client, settings)) {
            for (String shape : shapes) {
                switch (shape) {
                    case "select" -> print(label, shape, queries(c, SELECT, warmup, duration));
                    case "rows" -> print(label, shape, queries(c, ROWS, warmup, duration));
                    default -> {
                        boolean copy = shape.equals("copy");
                        List<Object[]> warm = records(insertRows / 5);
                        List<Object[]> rows = records(insertRows);
                        c.truncate();
                        if (!(copy ? c.copy(warm) : c.executeMany(warm))) {
                            continue; // no such API in this library
                        }
                        c.truncate();
                        long start = System.nanoTime();
                        if (copy) {
                            c.copy(rows);
                        } else {
                            c.executeMany(rows);
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        c.truncate();
                        print(label, shape, rows.size() / seconds);
                    }
                }
            }
        }
    }

    private static Client open(String name, Settings s) throws Exception {
        return switch (name) {
            case "pgjdbc" -> new PgjdbcClient(s);
            case "vertx" -> new VertxClient(s);
            case "eventloop" -> new EventloopClient(s);
            case "eventloop-pool" -> new EventloopClient(s, true);
            case "eventloop-pool-noreset" -> new EventloopClient(s, false);
            default -> throw new IllegalArgumentException("unknown client " + name + " (eventloop, eventloop-pool, pgjdbc, vertx)");
        };
    }

    private static double queries(Client c, String query, double warmup, double duration) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        c.start(query, done, running);
        Thread.sleep((long) (warmup * 1000));
        long before = done.sum();
        long start = System.nanoTime();
        Thread.sleep((long) (duration * 1000));
        long count = done.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        c.drain();
        return count / seconds;
    }

    private static void print(String client, String shape, double perSecond) {
        System.out.printf(Locale.ROOT, "result %s %s %.0f%n", client, shape, perSecond);
    }

    /**
     * The rows the insert shapes write, the same values as pg_bench.py's: (i, "name-i", i / 4.0,
     * 2026-01-01 plus i seconds, i even), built before the clock starts.
     */
    static List<Object[]> records(int n) {
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {i, "name-" + i, i / 4.0, EPOCH.plusSeconds(i), i % 2 == 0});
        }
        return rows;
    }

    /** Checks a {@code rows} result: the whole table, every time. */
    static void checkRows(int got) {
        if (got != ROW_COUNT) {
            throw new IllegalStateException("expected " + ROW_COUNT + " rows from pg_bench_rows, got " + got);
        }
    }

    /** Checks a {@code select} result: the argument back. */
    static void checkValue(int expected, Object got) {
        if (!(got instanceof Integer v) || v != expected) {
            throw new IllegalStateException("SELECT $1::int with " + expected + " returned " + got);
        }
    }
}
