package io.eventloop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JDK initialise its socket I/O classes while descriptors are free: once per JVM, when
 * the first {@link NioPoller} is made, one loopback connection is opened, written, read and
 * closed.
 *
 * <p>Why: the JDK initialises some NIO classes on a socket's first write or close, and one of
 * them needs a descriptor to initialise. On JDK 17, {@code sun.nio.ch.FileDispatcherImpl} (which
 * {@code SocketDispatcher} calls to write, gather-write and close a socket) opens a
 * {@code socketpair} in its static initialiser and keeps one end (the {@code preCloseFD} it
 * {@code dup2}s over a descriptor closed under a blocked thread); JDK 21 moved that to
 * {@code UnixDispatcher}. A server whose first write or close comes when the process is out of
 * descriptors gets an {@code ExceptionInInitializerError} ("Too many open files") from inside
 * {@code Selector.select} (which closes the channels whose keys were cancelled), and a
 * {@code NoClassDefFoundError} from every later write or close: the loop ends and cannot serve
 * again. Opening the first socket has the JDK load {@code libextnet} for the extended socket
 * options ({@code jdk.net.LinuxSocketOptions}), which also takes a descriptor while it loads; the
 * cycle does that too.
 *
 * <p>A real connection rather than naming the classes: no reflection into {@code sun.nio.ch},
 * and whatever a JDK version initialises lazily on this path gets initialised. A {@code Pipe}
 * would cost less (about 2 ms against 7 ms, cold, on the first loop only) but would not run the
 * socket paths. If loopback is unavailable the warm-up is skipped with a debug log.
 *
 * <p>Any thread; the work runs once.
 */
final class NioWarmUp {
    private static final Logger log = LoggerFactory.getLogger(NioWarmUp.class);
    /** Whether the warm-up has run in this JVM. Guarded by the class lock. */
    private static boolean done;

    private NioWarmUp() {
    }

    /** Runs the warm-up unless it already ran in this JVM. */
    static synchronized void ensure() {
        if (!done) {
            done = true;
            run();
        }
    }

    private static void run() {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback, 1);
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept()) {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.write(ByteBuffer.wrap(new byte[] {1}));
            client.shutdownOutput();
            accepted.configureBlocking(false);
            accepted.read(ByteBuffer.allocate(2));
        } catch (IOException | RuntimeException e) {
            log.debug("could not warm up the JDK's socket I/O on loopback", e);
        }
    }
}
