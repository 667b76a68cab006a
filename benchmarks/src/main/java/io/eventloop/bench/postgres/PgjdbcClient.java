package io.eventloop.bench.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * pgjdbc ({@code org.postgresql:postgresql}) on platform threads, its settings as they come: a fixed
 * pool of {@code pool} connections (a blocking queue, as a pool such as HikariCP is at its core) and
 * {@code threads} threads (by default as many as connections, so that no thread waits for the pool),
 * each borrowing a connection for one query and giving it back. Statements are prepared on each use,
 * as JDBC code does; pgjdbc keeps them prepared on the server after five uses of one connection
 * ({@code prepareThreshold}) and then asks for binary results. Batches are {@code addBatch} /
 * {@code executeBatch} (without {@code reWriteBatchedInserts}), COPY is {@code CopyManager.copyIn} of
 * the text format, formatted from the same Java values.
 */
final class PgjdbcClient implements PgBench.Client {
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    private final int threads;
    private final List<Thread> running = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    PgjdbcClient(PgBench.Settings s) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", s.user());
        String url = "jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + s.database();
        pool = new ArrayBlockingQueue<>(s.pool());
        for (int i = 0; i < s.pool(); i++) {
            Connection c = DriverManager.getConnection(url, p);
            all.add(c);
            pool.add(c);
        }
        threads = s.threads();
    }

    @Override
    public void start(String query, LongAdder done, AtomicBoolean go) {
        boolean select = query.equals(PgBench.SELECT);
        String sql = select ? "SELECT ?::int" : query;
        for (int t = 0; t < threads; t++) {
            int first = t * 1_000_000;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = first; go.get(); i++) {
                        Connection c = pool.take();
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            if (select) {
                                ps.setInt(1, i);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    PgBench.checkValue(i, rs.getInt(1));
                                }
                                done.add(1);
                            } else {
                                int n = 0;
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        rs.getInt(1);
                                        rs.getString(2);
                                        rs.getDouble(3);
                                        rs.getObject(4, LocalDateTime.class);
                                        rs.getBoolean(5);
                                        n++;
                                    }
                                }
                                PgBench.checkRows(n);
                                done.add(n);
                            }
                        } finally {
                            pool.put(c);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    go.set(false);
                }
            }, "pgjdbc-" + t);
            running.add(thread);
            thread.start();
        }
    }

    @Override
    public void drain() throws Exception {
        for (Thread t : running) {
            t.join();
        }
        running.clear();
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("a pgjdbc query failed", e);
        }
    }

    @Override
    public boolean executeMany(List<Object[]> rows) throws Exception {
        Connection c = pool.take();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(PgBench.INSERT.replaceAll("\\$[0-9]", "?"))) {
                for (Object[] r : rows) {
                    ps.setInt(1, (Integer) r[0]);
                    ps.setString(2, (String) r[1]);
                    ps.setDouble(3, (Double) r[2]);
                    ps.setObject(4, r[3]);
                    ps.setBoolean(5, (Boolean) r[4]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
            pool.put(c);
        }
        return true;
    }

    @Override
    public boolean copy(List<Object[]> rows) throws Exception {
        Connection c = pool.take();
        try {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + PgBench.INSERT_TABLE + " (a, b, c, d, e) FROM STDIN");
            try {
                StringBuilder line = new StringBuilder(64 * 1024);
                for (Object[] r : rows) {
                    line.append(r[0]).append('\t');
                    appendText(line, (String) r[1]);
                    line.append('\t').append(r[2]).append('\t').append(r[3]).append('\t')
                            .append((Boolean) r[4] ? 't' : 'f').append('\n');
                    if (line.length() > 60 * 1024) {
                        write(in, line);
                    }
                }
                write(in, line);
                long n = in.endCopy();
                if (n != rows.size()) {
                    throw new IllegalStateException("COPY wrote " + n + " rows of " + rows.size());
                }
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } finally {
            pool.put(c);
        }
        return true;
    }

    private static void write(CopyIn in, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    /** COPY's text format: backslash, tab and line ends escaped. */
    private static void appendText(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    @Override
    public void truncate() throws Exception {
        Connection c = pool.take();
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + PgBench.INSERT_TABLE);
        } finally {
            pool.put(c);
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : all) {
            c.close();
        }
    }
}
