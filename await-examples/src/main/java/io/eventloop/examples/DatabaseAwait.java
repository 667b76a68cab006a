package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.postgres.PgConnection;
import io.eventloop.postgres.Row;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * {@link Database} in straight-line form: the asyncpg snippet line for line, each JDBC call an
 * {@code await} of {@link Database.AsyncConnection}'s future (the call runs on the default
 * executor; the loop thread only waits), and {@code await conn.close()} in a {@code finally}, so
 * the connection is closed on every path. Python:
 * <pre>
 * async def main():
 *     conn = await asyncpg.connect('postgresql://localhost/mydb')
 *     rows = await conn.fetch('SELECT * FROM users')
 *     await conn.close()
 * </pre>
 * The ticker is a coroutine task that counts until it is cancelled and then returns its count,
 * as an asyncio task that catches {@code CancelledError} and returns does.
 *
 * <p>{@code --postgres URI}: the same on a PostgreSQL server through {@link PgConnection}
 * ({@link #onPostgres}), each query an {@code await} of the client's own future: no executor
 * thread for the queries, the loop thread waits on the server's socket. It prints what
 * {@code ./run database --postgres URI} prints and fails as it does ({@link DatabasePostgres}).
 */
public final class DatabaseAwait {
    private DatabaseAwait() {
    }

    static Task<Integer> ticker(Scale scale) {
        return async(() -> {
            int ticks = 0;
            try {
                while (true) {
                    await(Async.sleep(scale.seconds(0.2)));
                    System.out.println("tick");
                    ticks++;
                }
            } catch (CancellationException e) {
                return ticks;
            }
        });
    }

    static Task<Void> main(String url, Scale scale) {
        return async(() -> {
            long slowMillis = scale.seconds(1).toMillis();
            Database.AsyncConnection conn = await(Database.AsyncConnection.connect(url));
            try {
                await(conn.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))"));
                await(conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob'), (3, 'carol')"));
                await(conn.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'"));
                List<String> rows = await(conn.fetch("SELECT * FROM users ORDER BY id"));
                rows.forEach(System.out::println);
                System.out.println("slow query started");
                Task<Integer> ticker = ticker(scale);
                await(conn.fetch("SELECT SLEEP(" + slowMillis + ")"));
                System.out.println("slow query done");
                ticker.cancel();
                System.out.println("ticks while the query ran: " + await(ticker));
            } finally {
                await(conn.closeAsync());
            }
            return null;
        });
    }

    static Task<Void> onPostgres(String uri, Scale scale) {
        return async(() -> {
            double slowSeconds = scale.seconds(1).toNanos() / 1e9;
            PgConnection conn = await(DatabasePostgres.connect(uri));
            try {
                Set<Thread> executors = DatabasePostgres.executorThreads(); // connected: from here on, only queries
                await(conn.execute("CREATE TEMPORARY TABLE users (id int PRIMARY KEY, name varchar(20))"));
                await(conn.execute("INSERT INTO users VALUES ($1, $2), ($3, $4), ($5, $6)", 1, "alice", 2, "bob", 3, "carol"));
                List<Row> rows = await(conn.fetch("SELECT * FROM users ORDER BY id"));
                rows.forEach(row -> System.out.println(DatabasePostgres.line(row)));
                System.out.println("slow query started");
                Task<Integer> ticker = ticker(scale);
                await(conn.fetch("SELECT pg_sleep($1)", slowSeconds));
                System.out.println("slow query done");
                ticker.cancel();
                System.out.println("ticks while the query ran: " + await(ticker));
                System.out.println(DatabasePostgres.executorsStarted(executors));
            } finally {
                await(conn.closeAsync());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run database --await [--scale F] [--postgres URI]}. */
    public static void main(String[] args) {
        Args options = Args.parse(args, Database.usage("database --await"), "scale", "1", "postgres", "");
        Scale scale = Scale.of(options);
        String uri = options.get("postgres");
        if (!uri.isEmpty()) {
            DatabasePostgres.run(options, () -> onPostgres(uri, scale));
            return;
        }
        // a fresh private in-memory database; it disappears when its one connection closes
        String url = "jdbc:h2:mem:example" + System.nanoTime();
        EventLoop.run(() -> main(url, scale));
    }
}
