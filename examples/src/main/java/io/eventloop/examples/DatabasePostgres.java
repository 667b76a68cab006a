package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.ThrowingSupplier;
import io.eventloop.postgres.PgConnection;
import io.eventloop.postgres.PgConnectionException;
import io.eventloop.postgres.PgException;
import io.eventloop.postgres.Row;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link Database} on a real PostgreSQL server: {@code ./run database --postgres URI}. The same
 * program, line for line what the asyncpg snippet does, on {@link PgConnection}:
 * <pre>
 * conn = await asyncpg.connect('postgresql://app:pw@127.0.0.1:5432/shop')
 * rows = await conn.fetch('SELECT * FROM users')
 * await conn.close()
 * </pre>
 * It creates a temporary {@code users} table (gone when the connection closes, and hiding any
 * {@code users} table of the database meanwhile), inserts three rows with {@code $1}-style
 * parameters, fetches them, and runs a one-second {@code pg_sleep} while the same ticker as the
 * H2 path prints {@code tick} every 0.2 s. It prints what the H2 path prints, then one line of its
 * own, measured: how many executor threads the queries started.
 *
 * <p>That line is the point of the comparison. The H2 path blocks a thread of the default executor
 * in every JDBC call ({@link Async#toThread}); {@link PgConnection} speaks PostgreSQL's protocol
 * on a non-blocking socket registered with the loop, so every query, the slow one included, runs
 * on the loop thread, which waits in {@code select} while the server works, and the ticker's
 * timers fire in between: {@code executor threads the queries started: 0}. Connecting is not
 * counted: the client may hand the default executor a host <em>name</em>'s lookup (asyncio's
 * {@code getaddrinfo} does the same), a TLS handshake's key computations ({@code sslmode=prefer},
 * the default, against a server with {@code ssl = on}) and SCRAM's password salting (thousands of
 * HMACs), each once per connection, so that other connections on the loop do not wait for them.
 * A {@code trust} login over a Unix socket needs no thread at all.
 *
 * <p>The URI is libpq's: {@code postgresql://user:password@host:port/database}, or
 * {@code postgresql://user@/database?host=/var/run/postgresql} for the server's Unix socket. A URI
 * the client refuses ends the program with status 2 and the message, as a bad option does; a
 * server that cannot be reached or refuses the login (SQLSTATE {@code 28P01} for a wrong password)
 * ends it with status 1 and one line on stderr naming the server, never the password.
 */
public final class DatabasePostgres {
    /** The default executors' workers: {@code eventloop-executor-N}. */
    private static final Pattern EXECUTOR_THREAD = Pattern.compile("eventloop-executor-\\d+");

    private DatabasePostgres() {
    }

    /** A URI that {@link PgConnection#connect(String)} refused, before any I/O: a usage error. */
    static final class BadUri extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadUri(IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** {@link PgConnection#connect(String)}, its refusal of the URI as a {@link BadUri}. */
    static Future<PgConnection> connect(String uri) {
        try {
            return PgConnection.connect(uri);
        } catch (IllegalArgumentException e) {
            throw new BadUri(e);
        }
    }

    static Future<Void> main(String uri, Scale scale) {
        double slowSeconds = scale.seconds(1).toNanos() / 1e9;
        return Async.using(connect(uri), conn -> {
            Set<Thread> executors = executorThreads(); // connected: from here on, only queries
            return conn.execute("CREATE TEMPORARY TABLE users (id int PRIMARY KEY, name varchar(20))")
                    .then(tag -> conn.execute("INSERT INTO users VALUES ($1, $2), ($3, $4), ($5, $6)",
                            1, "alice", 2, "bob", 3, "carol"))
                    .then(tag -> conn.fetch("SELECT * FROM users ORDER BY id"))
                    .then(rows -> {
                        rows.forEach(row -> System.out.println(line(row)));
                        System.out.println("slow query started");
                        Task<Integer> ticker = EventLoop.current().createTask(() -> Database.ticker(scale));
                        return conn.fetch("SELECT pg_sleep($1)", slowSeconds).then(r -> {
                            System.out.println("slow query done");
                            ticker.cancel();
                            return ticker;
                        });
                    })
                    .map(ticks -> {
                        System.out.println("ticks while the query ran: " + ticks);
                        System.out.println(executorsStarted(executors));
                        return null;
                    });
        });
    }

    /** A row as the H2 path prints one: its columns' values joined by spaces. */
    static String line(Row row) {
        StringJoiner line = new StringJoiner(" ");
        for (int c = 0; c < row.size(); c++) {
            line.add(String.valueOf(row.get(c)));
        }
        return line.toString();
    }

    /** The default executors' threads alive now. */
    static Set<Thread> executorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> EXECUTOR_THREAD.matcher(t.getName()).matches())
                .collect(Collectors.toSet());
    }

    /**
     * The program's last line: how many executor threads are alive now that were not at
     * {@code before}. A pool thread ends only after 60 s idle, and the pool starts a new one for
     * each task while it has fewer than its core size, so any query handed to the executor shows.
     */
    static String executorsStarted(Set<Thread> before) {
        long started = executorThreads().stream().filter(t -> !before.contains(t)).count();
        return "executor threads the queries started: " + started;
    }

    /**
     * Runs {@code program} on a new loop ({@link EventLoop#run}). A URI the client refused: the
     * message and the usage, status 2 ({@link Args#fail}). The server refusing something, the
     * connection failing or timing out: one line on stderr, status 1. Anything else is a bug and
     * keeps its stack trace.
     */
    static void run(Args args, ThrowingSupplier<? extends Future<Void>> program) {
        String failure;
        try {
            EventLoop.run(program);
            return;
        } catch (BadUri e) {
            args.fail("--postgres: " + e.getMessage());
            return;
        } catch (PgException e) {
            failure = e.getMessage();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof PgConnectionException || e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            failure = e.getCause().getMessage();
        }
        System.err.println("error: " + failure);
        System.exit(1);
    }
}
