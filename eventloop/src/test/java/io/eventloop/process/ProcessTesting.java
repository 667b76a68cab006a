package io.eventloop.process;

import static org.junit.jupiter.api.Assertions.fail;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.NoLeaks;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Helpers for the subprocess tests, and the check after each of them: no pipe thread left, and
 * as many pipes, sockets and selectors open ({@code /proc/self/fd} entries that are not files) as
 * before.
 */
final class ProcessTesting implements BeforeEachCallback, AfterEachCallback {
    /** How long a test waits for anything before calling it a hang: a guard, never an assertion. */
    static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ProcessTesting.class);

    static {
        warmUp();
    }

    /**
     * The JDK keeps one socket open for good once the first socket channel is closed (see
     * {@code io.eventloop.NioWarmUp}): open and close one before the first baseline, so that it is
     * part of it.
     */
    private static void warmUp() {
        try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open();
                java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            c.connect(s.getLocalAddress());
            sel.selectNow();
        } catch (IOException e) {
            throw new AssertionError("cannot open a loopback connection", e);
        }
    }

    /** Runs the loop until {@code f} is done, failing with a TimeoutException after {@link #HANG_GUARD}. */
    static <T> T await(EventLoop loop, Future<T> f) {
        return loop.runUntilComplete(Async.waitFor(f, HANG_GUARD));
    }

    /** {@link #await(EventLoop, Future)} with a longer guard, for work that forks many processes on a busy machine. */
    static <T> T await(EventLoop loop, Future<T> f, Duration hangGuard) {
        return loop.runUntilComplete(Async.waitFor(f, hangGuard));
    }

    /** Runs the loop until {@code f} is done and returns its failure (null if it succeeded). */
    static Throwable failure(EventLoop loop, Future<?> f) {
        Future<Object> done = loop.createFuture();
        f.onDone(x -> done.complete(null));
        await(loop, done);
        return f.isCancelled() ? null : f.exception();
    }

    /** Runs {@code n} iterations. */
    static void iterate(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.stop();
            loop.runForever();
        }
    }

    /** The absolute path of {@code name} on the PATH; fails the test, naming the Debian package, if there is none. */
    static String require(String name, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath().toString();
                }
            }
        }
        return fail("this test needs " + name + " on the PATH: install the Debian package " + debianPackage
                + " (.ci/run does when it is missing)");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("descriptors", descriptors());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws Exception {
        awaitNoPipeThreads();
        NoLeaks.assertNoDescriptorsLeft((List<String>) context.getStore(NS).get("descriptors"));
    }

    /** Pipes, sockets, selectors (epoll, eventfd) the process has open now. */
    static List<String> descriptors() {
        return NoLeaks.descriptors();
    }

    /** The live threads of child pipes. */
    static List<Thread> pipeThreads() {
        List<Thread> live = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("eventloop-subprocess-")) {
                live.add(t);
            }
        }
        return live;
    }

    /**
     * Waits (a hang guard only) for the pipe threads to end: a thread posts a pipe's end to the loop
     * and then returns, so it may still be finishing when the loop has seen the end.
     */
    static void awaitNoPipeThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<Thread> live = pipeThreads();
            if (live.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("pipe threads still alive: " + live);
            }
            live.get(0).join(100);
        }
    }
}
