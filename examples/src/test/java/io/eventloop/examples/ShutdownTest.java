package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.Transport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The servers' shutdown: stop accepting, let the clients finish, abort what is left after the grace period. */
class ShutdownTest {
    private static final long HANG_GUARD_SECONDS = 30;
    /** Long enough for a client on a busy machine to read 48 KiB; the test takes at least this long. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** Less than the high-water mark, so the server reads all of it without pausing. */
    private static final int POLITE_BYTES = 48 * 1024;
    /** Kernel buffers small enough that most of {@link #POLITE_BYTES} waits in the server's write buffer. */
    private static final int SMALL_SOCKET_BUFFER = 4096;

    /** The example's echo protocol, watched from the test thread. */
    static final class Watched implements Protocol {
        final EchoProtocolServer.Echo echo = new EchoProtocolServer.Echo();
        /** Completes once the server's write buffer has passed the high-water mark. */
        final CompletableFuture<Void> paused = new CompletableFuture<>();
        /** Completes once {@link #POLITE_BYTES} have been read from the peer. */
        final CompletableFuture<Void> readPolite = new CompletableFuture<>();
        Transport transport; // loop thread
        private long received; // loop thread

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            try {
                t.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_SOCKET_BUFFER);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            echo.connectionMade(t);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            received += data.remaining();
            echo.dataReceived(data);
            if (received >= POLITE_BYTES) {
                readPolite.complete(null);
            }
        }

        @Override
        public void pauseWriting() {
            echo.pauseWriting();
            paused.complete(null);
        }

        @Override
        public void resumeWriting() {
            echo.resumeWriting();
        }
    }

    /** A client that sends without reading, from its own thread, until its connection fails. */
    private static Thread sendForever(Socket s, CompletableFuture<Throwable> ended) {
        Thread t = new Thread(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                OutputStream out = s.getOutputStream();
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                ended.complete(e);
            }
        }, "stuck-client");
        t.start();
        return t;
    }

    @Test
    void aStuckConnectionIsAbortedAfterTheGraceWhileAPoliteOneGetsItsEchoFirst() throws Exception {
        BlockingQueue<Watched> accepted = new LinkedBlockingQueue<>();
        byte[] sent = new byte[POLITE_BYTES];
        new Random(1).nextBytes(sent);
        try (LoopThread t = new LoopThread("shutdown-loop")) {
            Server server = t.call(() -> Net.createServer(t.loop, () -> {
                Watched w = new Watched();
                accepted.add(w);
                return w;
            }, "127.0.0.1", 0, Server.DEFAULT_BACKLOG));
            CompletableFuture<Throwable> stuckEnded = new CompletableFuture<>();
            try (Socket stuck = new Socket(); Socket polite = new Socket()) {
                stuck.setReceiveBufferSize(SMALL_SOCKET_BUFFER); // else the kernel takes in what the server holds
                stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
                Thread sender = sendForever(stuck, stuckEnded);
                Watched stuckSide = accepted.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                stuckSide.paused.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS); // the server stopped reading it

                polite.setReceiveBufferSize(SMALL_SOCKET_BUFFER);
                polite.connect(new InetSocketAddress("127.0.0.1", server.port()));
                polite.setSoTimeout((int) TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
                polite.getOutputStream().write(sent);
                Watched politeSide = accepted.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                politeSide.readPolite.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                long pending = t.call(() -> Async.completed(politeSide.transport.writeBufferSize()));
                assertTrue(pending > 0, "the polite client's echo is not waiting in the server");

                long start = System.nanoTime();
                CompletableFuture<Integer> aborted = t.loop.submit(() -> Shutdown.stop(server, GRACE, server::closeClients));
                byte[] back = new byte[sent.length];
                InputStream in = polite.getInputStream();
                new DataInputStream(in).readFully(back);
                assertArrayEquals(sent, back, "the echo pending at shutdown is delivered");
                assertEquals(-1, in.read(), "then the connection is closed");

                assertEquals(1, aborted.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "only the stuck one is aborted");
                assertTrue(System.nanoTime() - start >= GRACE.toNanos(), "aborted before the grace period was over");
                assertInstanceOf(IOException.class, stuckEnded.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
                sender.join();
            }
            assertFalse(t.call(() -> Async.completed(server.isServing())));
            assertEquals(0, (int) t.call(() -> Async.completed(server.connectionCount())));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close(),
                    "the listening socket is closed");
        }
    }

    @Test
    void theServersOwnFinishActionRunsInPlaceOfClosingTheClients() throws Exception {
        AtomicBoolean finished = new AtomicBoolean();
        try (LoopThread t = new LoopThread("shutdown-loop")) {
            Server server = t.call(() -> EchoServer.start(t.loop, "127.0.0.1", 0));
            try (Socket idle = new Socket("127.0.0.1", server.port())) {
                idle.getOutputStream().write('x');
                assertEquals('x', idle.getInputStream().read()); // the handler is running
                int aborted = t.call(() -> Shutdown.stop(server, Duration.ofMillis(200), () -> finished.set(true)));
                assertTrue(finished.get());
                assertEquals(1, aborted, "an action that closes nothing leaves the idle client to the deadline");
                assertEquals(-1, idle.getInputStream().read());
            }
        }
    }

    @Test
    void withNoConnectionsTheShutdownEndsAtOnceAndAbortsNothing() throws Exception {
        try (LoopThread t = new LoopThread("shutdown-loop")) {
            Server server = t.call(() -> EchoProtocolServer.start(t.loop, "127.0.0.1", 0));
            // an hour's grace: LoopThread.call's hang guard fails the test if the shutdown waits for it
            assertEquals(0, (int) t.call(() -> Shutdown.stop(server, Duration.ofHours(1), server::closeClients)));
        }
    }
}
