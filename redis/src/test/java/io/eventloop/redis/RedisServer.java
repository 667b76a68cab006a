package io.eventloop.redis;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for one test class: started on a free loopback port with nothing
 * persisted ({@code --save '' --appendonly no}, its directory a temporary one), ready once it
 * answers on the port, and stopped by {@link #close()} (SIGTERM, then SIGKILL, each wait bounded)
 * with its directory deleted. Its output goes to a file, so there is no pipe and no thread to
 * read it. Missing {@code redis-server} fails the test, naming the Debian package.
 */
final class RedisServer implements AutoCloseable {
    /** A guard against hangs, never an assertion of speed. */
    static final Duration HANG_GUARD = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The server with {@code extra} arguments, ready when this returns. */
    static RedisServer start(String... extra) throws IOException {
        return start(RedisOptions.defaults(), false, extra);
    }

    /**
     * The server with {@code extra} arguments; {@code tls}: the port is a TLS port (given as
     * {@code --tls-port}, with {@code --port 0}), and {@code probe} says how to reach it.
     */
    static RedisServer start(RedisOptions probe, boolean tls, String... extra) throws IOException {
        String program = find("redis-server");
        int port = freePort();
        Path dir = Files.createTempDirectory("redis-test");
        List<String> command = new ArrayList<>(List.of(program));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port)));
        } else {
            command.addAll(List.of("--port", String.valueOf(port)));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(process, dir, port);
        try {
            server.awaitReady(probe);
        } catch (RuntimeException | Error e) {
            String log = server.log();
            server.close();
            throw new AssertionError("redis-server did not start on port " + port + ": " + e + "\nits log:\n" + log, e);
        }
        return server;
    }

    /**
     * Connects until the server answers (an error reply, such as NOAUTH, counts), on a loop of its
     * own; no sleeping thread, and a bound on the whole wait.
     */
    private void awaitReady(RedisOptions probe) {
        RedisOptions once = probe.reconnect(false).connectTimeout(Duration.ofSeconds(2));
        EventLoop.run(() -> Async.timeout(HANG_GUARD, () -> Async.repeat(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue());
            }
            Future<Boolean> answered = RedisClient.connect("127.0.0.1", port, once)
                    .then(c -> c.ping().ensure(c::closeAsync))
                    .map(pong -> false)
                    .recover(RedisException.class, e -> Async.completed(false));
            return answered.recover(RedisConnectionException.class,
                    e -> Async.sleep(Duration.ofMillis(20), true)); // not listening yet
        })));
    }

    /** The absolute path of {@code name} on the PATH, or an assertion failure naming the package. */
    static String find(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed (not on the PATH): install the Debian package redis-server"
                + " (apt-get install redis-server; .ci/run installs it when missing)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What the server wrote to its log. */
    String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's directory, for files it needs (certificates). */
    Path dir() {
        return dir;
    }

    /** Stops it: SIGTERM, SIGKILL if it lingers; waits for it; deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            process.destroy();
            if (!process.waitFor(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (process.isAlive()) {
            throw new AssertionError("redis-server (pid " + process.pid() + ") is still running");
        }
    }

    /** Sockets this JVM has open now: the count a test must leave as it found it. */
    static long openSockets() throws IOException {
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
