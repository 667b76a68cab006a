package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One test's worth of TLS against outside peers: a loop whose exception handler keeps what it is
 * given, the warnings of the TLS layer, and the servers, peer threads and programs the test
 * started. {@link #close()} ends them all (programs, then threads, then servers), checks that the
 * loop has no channel left, closes it, and fails if anything reached the exception handler: a
 * misbehaving peer is the peer's doing and must be logged, not reported as our error.
 */
final class PeerFixture implements AutoCloseable {
    /** How long a blocking peer's socket waits for anything: a guard against hangs, never an assertion. */
    static final int SOCKET_TIMEOUT_MILLIS = (int) NetTesting.HANG_GUARD.toMillis();

    final EventLoop loop;
    final TlsLog log;
    private final List<ErrorContext> errors = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<PeerThread<?>> threads = new ArrayList<>();
    private final List<PeerProcess> processes = new ArrayList<>();

    PeerFixture() {
        log = TlsLog.capture();
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    /** Closes {@code server} (and waits for its connections to go) when the test ends. */
    Server add(Server server) {
        servers.add(server);
        return server;
    }

    /** Runs a blocking peer on a plain thread, joined when the test ends. */
    <T> PeerThread<T> thread(String name, Callable<T> body) {
        PeerThread<T> t = PeerThread.start(loop, name, body);
        threads.add(t);
        return t;
    }

    /** Starts a program in {@code dir} with its input from {@code stdin} (null: none); ended when the test ends. */
    PeerProcess process(Path dir, Path stdin, String... command) {
        try {
            PeerProcess p = PeerProcess.start(dir, stdin, List.of(command));
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * A server that answers each line with "echo LINE", and "bye" (or EOF) with "bye" and a close;
     * records each connection's TLS version.
     */
    Server lineServer(TlsConfig tls, List<String> versions) {
        return add(await(loop, Net.startServer(loop, (r, w) -> {
            versions.add(w.transport().sslSession().getProtocol());
            return Async.repeat(() -> r.readLine().then(line -> {
                if (line == null || line.equals("bye")) {
                    w.write(line == null ? "" : "bye\n");
                    w.close();
                    return Async.completed(false);
                }
                w.write("echo " + line + "\n");
                return w.drain().map(v -> true);
            }));
        }, "127.0.0.1", 0, tls)));
    }

    /**
     * A JDK client socket connected to 127.0.0.1:{@code port}, checking the certificate against
     * {@code trust} and the host (the address) as HTTPS does, allowing {@code version} only.
     */
    static SSLSocket jdkClient(SSLContext trust, int port, String version) throws IOException {
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
            s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setProtocols(new String[] {version});
            s.setSSLParameters(p);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            for (PeerProcess p : processes) {
                p.close();
            }
            for (PeerThread<?> t : threads) {
                t.join();
            }
            for (Server s : servers) {
                s.close();
                await(loop, s.waitClosed());
            }
            NetTesting.finish(loop);
        } finally {
            log.close();
        }
        assertEquals(List.of(), errors, "reported to the exception handler");
    }
}
