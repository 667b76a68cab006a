package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * BEHAVIOURS O.155 after every test: no loop or executor thread left, and the process holds as
 * many sockets, pipes and selectors ({@code /proc/self/fd} entries that are not files) as before
 * the test. Files are not counted: the class loader opens jars lazily and keeps them.
 */
public final class NoLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaks.class);

    static {
        warmUp();
    }

    /**
     * The JDK keeps one socket open for good once the first socket channel is closed (the Unix
     * socket {@code sun.nio.ch.FileDispatcherImpl} opens in its initialiser; see
     * {@code io.eventloop.NioWarmUp}): create and close one of each kind before the first
     * baseline, so that it is part of it.
     */
    private static void warmUp() {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open();
                    java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                    java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
                s.bind(new java.net.InetSocketAddress(host, 0));
                c.connect(s.getLocalAddress());
                sel.selectNow();
            } catch (IOException e) {
                // IPv6 may be missing; the IPv4 round is what matters
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("descriptors", descriptors());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws Exception {
        awaitNoLoopThreads();
        assertNoDescriptorsLeft((List<String>) context.getStore(NS).get("descriptors"));
    }

    /** Fails, naming them, if the process has more descriptors of {@link #descriptors()}'s kinds than {@code before}. */
    public static void assertNoDescriptorsLeft(List<String> before) {
        List<String> after = descriptors();
        if (after.size() != before.size()) {
            List<String> extra = new ArrayList<>(after);
            before.forEach(extra::remove);
            assertEquals(before.size(), after.size(), "descriptors left open by the test: " + extra);
        }
    }

    /** Sockets, pipes, selectors (epoll, eventfd) the process has open now. */
    public static List<String> descriptors() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // the directory stream's own descriptor, gone already
                }
                if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                    out.add(target);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return out;
    }

    /** Waits (as a hang guard only) for loop-owned threads to end: executor and shutdown waiters. */
    static void awaitNoLoopThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<Thread> live = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith("eventloop-")) {
                    live.add(t);
                }
            }
            if (live.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("threads of the loop still alive: " + live);
            }
            live.get(0).join(100);
        }
    }
}
