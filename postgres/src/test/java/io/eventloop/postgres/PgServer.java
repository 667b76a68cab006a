package io.eventloop.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster for one test class: {@code initdb} in a temporary directory, started
 * with {@code pg_ctl} on a free loopback port (and a Unix socket in that directory), stopped and
 * deleted by {@link #close()}. PostgreSQL refuses to run as root, so when the tests run as root
 * every server program runs as the {@code postgres} system user ({@code runuser}), and the
 * directory is given to that user.
 *
 * <p>Roles, one per authentication method ({@code pg_hba.conf} has a line per role):
 * <ul>
 *   <li>{@link #USER} (superuser, password {@link #PASSWORD}): {@code scram-sha-256};</li>
 *   <li>{@code md5_user} / {@code md5-pw}: {@code md5} (its password stored as an MD5 hash);</li>
 *   <li>{@code clear_user} / {@code clear-pw}: {@code password} (cleartext);</li>
 *   <li>{@code trust_user}: {@code trust}, no password asked.</li>
 * </ul>
 * A missing PostgreSQL fails the test, naming the Debian package.
 */
public final class PgServer implements AutoCloseable {
    /** A guard against hangs, never an assertion of speed. */
    static final Duration HANG_GUARD = Duration.ofSeconds(60);
    public static final String USER = "tester";
    public static final String PASSWORD = "tester-pw";

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Thread hook = new Thread(() -> {
        try {
            stop();
        } catch (IOException | RuntimeException e) {
            // the JVM is exiting: nobody is left to tell
        }
    }, "pg-test-cluster-stop");
    private final Path bin;
    private final Path dir;
    private final Path data;
    public final int port;

    private PgServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** A new cluster, started, with the roles above; ready when this returns. */
    public static PgServer start() throws IOException {
        return start(false);
    }

    /**
     * A new cluster; {@code tls}: with {@code ssl = on} and a self-signed certificate for
     * 127.0.0.1 and localhost made by {@code openssl}, in {@link #certificate()}.
     */
    static PgServer start(boolean tls) throws IOException {
        Path bin = find();
        int port = freePort();
        Path dir = Files.createTempDirectory("pg-test");
        PgServer server = new PgServer(bin, dir, port);
        // a JVM ended by a signal (a surefire timeout) stops its cluster too
        Runtime.getRuntime().addShutdownHook(server.hook);
        try {
            if (ROOT) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            server.runAsOwner("initdb", "-D", server.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync", "--no-instructions");
            Files.writeString(server.data.resolve("postgresql.conf"), String.join("\n",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + port,
                    "unix_socket_directories = '" + dir + "'",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "max_connections = 50",
                    "shared_buffers = 16MB",
                    "log_min_messages = warning",
                    ""), java.nio.file.StandardOpenOption.APPEND);
            if (tls) {
                server.makeCertificate();
            }
            server.writeHba("local all all trust\nhost all all 127.0.0.1/32 trust\n");
            server.pgCtl("start", "-w", "-t", "60", "-l", dir.resolve("server.log").toString());
            server.psql("CREATE ROLE " + USER + " SUPERUSER LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE ROLE clear_user LOGIN PASSWORD 'clear-pw'",
                    "CREATE ROLE trust_user LOGIN",
                    "SET password_encryption = 'md5'",
                    "CREATE ROLE md5_user LOGIN PASSWORD 'md5-pw'");
            server.writeHba(String.join("\n",
                    "local all all trust",
                    "host all trust_user 127.0.0.1/32 trust",
                    "host all md5_user 127.0.0.1/32 md5",
                    "host all clear_user 127.0.0.1/32 password",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    ""));
            server.pgCtl("reload");
        } catch (IOException | RuntimeException | Error e) {
            String log = server.log();
            server.close();
            throw new AssertionError("PostgreSQL did not start on port " + port + ": " + e + "\nits log:\n" + log, e);
        }
        return server;
    }

    /** {@code postgresql://user:password@127.0.0.1:port/postgres}. */
    public String uri(String user, String password) {
        return "postgresql://" + user + (password != null ? ":" + password : "") + "@127.0.0.1:" + port + "/postgres";
    }

    /** The superuser's URI, over scram-sha-256. */
    public String uri() {
        return uri(USER, PASSWORD);
    }

    /** The server's certificate (PEM), when started with TLS. */
    Path certificate() {
        return dir.resolve("server.crt");
    }

    private void makeCertificate() throws IOException {
        String openssl = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "openssl"))) {
                openssl = Path.of(d, "openssl").toString();
            }
        }
        if (openssl == null) {
            throw new AssertionError("openssl is not installed (not on the PATH): install the Debian package openssl"
                    + " (apt-get install openssl; .ci/run installs it when missing)");
        }
        run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("server.key").toString(), "-out", certificate().toString()));
        if (ROOT) {
            run(List.of("chown", "postgres:postgres", dir.resolve("server.key").toString(), certificate().toString()));
        }
        run(List.of("chmod", "600", dir.resolve("server.key").toString()));
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "ssl = on",
                "ssl_cert_file = '" + certificate() + "'",
                "ssl_key_file = '" + dir.resolve("server.key") + "'",
                ""), java.nio.file.StandardOpenOption.APPEND);
    }

    /** The directory of the Unix socket. */
    public Path socketDirectory() {
        return dir;
    }

    /** Stops the server at once (no shutdown checkpoint), as a crash would. */
    void stopImmediately() throws IOException {
        pgCtl("stop", "-m", "immediate", "-w", "-t", "60");
    }

    /** Starts the server again after {@link #stopImmediately()}. */
    void startAgain() throws IOException {
        pgCtl("start", "-w", "-t", "60", "-l", dir.resolve("server.log").toString());
    }

    /** Runs SQL statements with {@code psql} as the {@code postgres} superuser, over the Unix socket. */
    void psql(String... statements) throws IOException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v",
                "ON_ERROR_STOP=1", "-h", dir.toString(), "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres"));
        for (String s : statements) {
            command.addAll(List.of("-c", s));
        }
        run(command);
    }

    private void writeHba(String text) throws IOException {
        Files.writeString(data.resolve("pg_hba.conf"), text);
    }

    private void pgCtl(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("-D", data.toString()));
        a.addAll(List.of(args));
        runAsOwner("pg_ctl", a.toArray(String[]::new));
    }

    private void runAsOwner(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs {@code command} to its end (bounded), its output in a file; fails with that output. */
    private static void run(List<String> command) throws IOException {
        Path out = Files.createTempFile("pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
                throw new IOException(String.join(" ", command) + " did not finish within " + HANG_GUARD);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with status " + p.exitValue() + ":\n"
                        + Files.readString(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The directory of PostgreSQL's programs, or an assertion failure naming the package. */
    static Path find() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(Path::toString));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new AssertionError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install the"
                + " Debian package postgresql (apt-get install postgresql; .ci/run installs it when missing)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What the server wrote to its log. */
    String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}; if that fails, SIGKILL to the postmaster
     * named in {@code postmaster.pid}) and deletes the directory.
     */
    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stop()
        }
        stop();
    }

    private void stop() throws IOException {
        try {
            Path pidFile = data.resolve("postmaster.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
                try {
                    pgCtl("stop", "-m", "fast", "-w", "-t", "60");
                } catch (IOException e) {
                    postmaster.ifPresent(ProcessHandle::destroyForcibly);
                }
                // pg_ctl returns once postmaster.pid is gone, a moment before the process ends
                postmaster.ifPresent(PgServer::awaitExit);
            }
        } finally {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
        }
    }

    /** Sockets this JVM has open now: the count a test must leave as it found it. */
    public static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }
}
