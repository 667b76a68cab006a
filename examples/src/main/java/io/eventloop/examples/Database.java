package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.sync.AsyncLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A database used from the loop ("asyncio fundamentals", "Database: asyncpg"). Python:
 * <pre>
 * import asyncpg
 *
 * async def main():
 *     conn = await asyncpg.connect('postgresql://localhost/mydb')
 *     rows = await conn.fetch('SELECT * FROM users')
 *     await conn.close()
 * </pre>
 * The database is H2, embedded and in memory, so the program needs no server. JDBC blocks, so
 * every call runs on the default executor through {@link Async#toThread}; the loop thread only
 * waits for the result, like any other future. {@link AsyncConnection} wraps the JDBC connection
 * as an {@link AsyncCloseable}, and {@link Async#using} closes it on every path, which
 * {@code await conn.close()} at the end of the Python snippet does only when nothing failed.
 *
 * <p>To show that the loop stays free, a ticker task prints {@code tick} every 0.2 s while a
 * query that takes one second runs (H2 has no sleep function; {@code SLEEP} is a Java alias for
 * {@link Thread#sleep}). The program prints how many ticks it saw: about five.
 *
 * <p>A JDBC connection is not meant for two threads at once. asyncpg refuses a second operation
 * while one is in progress; {@link AsyncConnection} queues it behind an {@link AsyncLock}.
 * {@code --scale F} multiplies the slow query and the ticks.
 *
 * <p>{@code --postgres URI} runs the same program on a PostgreSQL server instead, through the
 * library's own client, {@link io.eventloop.postgres.PgConnection}, whose queries need no executor
 * thread: see {@link DatabasePostgres}. It prints the same lines, and then how many executor
 * threads the queries started: none.
 */
public final class Database {
    private Database() {
    }

    /** A JDBC connection whose calls run off the loop thread, one at a time. */
    static final class AsyncConnection implements AsyncCloseable {
        private final Connection connection;
        private final AsyncLock lock = new AsyncLock();

        private AsyncConnection(Connection connection) {
            this.connection = connection;
        }

        /** {@code await asyncpg.connect(url)}. */
        static Future<AsyncConnection> connect(String url) {
            return Async.toThread(() -> new AsyncConnection(DriverManager.getConnection(url)));
        }

        /** Runs a statement that returns no rows. */
        Future<Void> execute(String sql) {
            return call(() -> {
                try (Statement s = connection.createStatement()) {
                    s.execute(sql);
                }
                return null;
            });
        }

        /** {@code await conn.fetch(sql)}: every row, its columns joined by spaces. */
        Future<List<String>> fetch(String sql) {
            return call(() -> {
                List<String> rows = new ArrayList<>();
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int c = 1; c <= columns; c++) {
                            row.append(c > 1 ? " " : "").append(rs.getString(c));
                        }
                        rows.add(row.toString());
                    }
                }
                return rows;
            });
        }

        /** {@code await conn.close()}. */
        @Override
        public Future<Void> closeAsync() {
            return call(() -> {
                connection.close();
                return null;
            });
        }

        private <T> Future<T> call(Callable<T> work) {
            return lock.withLock(() -> Async.toThread(work));
        }
    }

    static Future<Integer> ticker(Scale scale) {
        int[] ticks = {0};
        return Async.repeat(() -> Async.sleep(scale.seconds(0.2)).map(v -> {
            System.out.println("tick");
            ticks[0]++;
            return true;
        })).map(v -> ticks[0]).recover(java.util.concurrent.CancellationException.class,
                e -> Async.completed(ticks[0]));
    }

    static Future<Void> main(String url, Scale scale) {
        long slowMillis = scale.seconds(1).toMillis();
        return Async.using(AsyncConnection.connect(url), conn -> conn
                .execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))")
                .then(v -> conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob'), (3, 'carol')"))
                .then(v -> conn.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'"))
                .then(v -> conn.fetch("SELECT * FROM users ORDER BY id"))
                .then(rows -> {
                    rows.forEach(System.out::println);
                    System.out.println("slow query started");
                    Task<Integer> ticker = EventLoop.current().createTask(() -> ticker(scale));
                    return conn.fetch("SELECT SLEEP(" + slowMillis + ")").then(r -> {
                        System.out.println("slow query done");
                        ticker.cancel();
                        return ticker;
                    });
                })
                .map(ticks -> {
                    System.out.println("ticks while the query ran: " + ticks);
                    return null;
                }));
    }

    /** The usage of {@code ./run NAME}: the callback form's and the straight-line form's. */
    static String usage(String name) {
        return "./run " + name + " [--scale F] [--postgres URI]\n" + Scale.USAGE
                + "\n--postgres URI runs it on a PostgreSQL server through the library's own client, every query on the loop"
                + " thread\n  (postgresql://user:password@host:port/database, or postgresql://user@/database?host=/var/run/postgresql"
                + " for a Unix socket);\n  without it, on embedded H2 in memory, each JDBC call on an executor thread";
    }

    /** Runs the program: {@code ./run database [--scale F] [--postgres URI]}. */
    public static void main(String[] args) throws SQLException {
        Args options = Args.parse(args, usage("database"), "scale", "1", "postgres", "");
        Scale scale = Scale.of(options);
        String uri = options.get("postgres");
        if (!uri.isEmpty()) {
            DatabasePostgres.run(options, () -> DatabasePostgres.main(uri, scale));
            return;
        }
        // a fresh private in-memory database; it disappears when its one connection closes
        String url = "jdbc:h2:mem:example" + System.nanoTime();
        EventLoop.run(() -> main(url, scale));
    }
}
