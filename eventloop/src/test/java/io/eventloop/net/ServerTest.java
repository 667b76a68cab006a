package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ServerTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    private final List<Recorder> accepted = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        NetTesting.finish(loop);
    }

    private Server server() {
        return await(loop, loop.createServer(() -> {
            Recorder r = new Recorder(loop);
            accepted.add(r);
            return r;
        }, "127.0.0.1", 0));
    }

    private Recorder peer(int i) {
        while (accepted.size() <= i) {
            await(loop, Async.yieldNow());
        }
        await(loop, accepted.get(i).made);
        return accepted.get(i);
    }

    @Test
    void afterCloseNewConnectsAreRefused() {
        Server server = server();
        Future<Void> serving = server.serveForever();
        int port = server.port();
        assertTrue(server.isServing());
        server.close();
        server.close(); // idempotent
        assertFalse(server.isServing());
        assertTrue(serving.isDone(), "serveForever ends with the server");
        assertEquals(port, server.port(), "the port is still known after close");
        // continuations run after the next select, which releases the listening descriptor
        Future<Transport> f = Async.yieldNow().then(v -> loop.createConnection(() -> new Recorder(loop), "127.0.0.1", port));
        assertInstanceOf(ConnectException.class, NetTesting.failure(loop, f));
        await(loop, server.waitClosed());
        assertThrows(IllegalStateException.class, server::serveForever);
    }

    @Test
    void bindingAnAddressInUseFailsWithBindExceptionAndLeavesNoSocket() {
        Server first = server();
        Future<Server> second = loop.createServer(() -> new Recorder(loop), "127.0.0.1", first.port());
        Throwable e = NetTesting.failure(loop, second);
        assertInstanceOf(BindException.class, e);
        first.close();
        await(loop, first.waitClosed());
    }

    @Test
    void acceptFailureStopsAcceptingReportsItAndRetriesAfterTheDelayWithoutSpinning() throws Exception {
        Server server = server();
        List<Long> calls = new ArrayList<>();
        server.acceptRetryDelay = Duration.ofMillis(200);
        server.acceptor = channel -> {
            calls.add(loop.time());
            if (calls.size() <= 2) {
                throw new IOException("Too many open files");
            }
            return channel.accept();
        };
        try (Socket client = new Socket("127.0.0.1", server.port())) { // completes in the kernel's backlog
            assertTrue(client.isConnected());
            Recorder peer = peer(0);
            assertEquals(2, errors.size(), errors::toString);
            for (ErrorContext c : errors) {
                assertEquals("Too many open files", c.exception().getMessage());
                assertTrue(c.message().contains("accept"), c.message());
            }
            assertTrue(calls.size() >= 3, calls::toString);
            long delay = 200_000_000L;
            assertTrue(calls.get(1) - calls.get(0) >= delay, "no accept during the pause: " + calls);
            assertTrue(calls.get(2) - calls.get(1) >= delay, "no accept during the pause: " + calls);
            assertTrue(server.isServing(), "the listening socket stays open");
            peer.transport.close();
            await(loop, peer.lost);
        }
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void acceptFindingNothingIsNotAnError() throws Exception {
        Server server = server();
        int[] calls = {0};
        server.acceptor = channel -> ++calls[0] == 1 ? null : channel.accept();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            assertTrue(client.isConnected());
            Recorder peer = peer(0);
            assertTrue(errors.isEmpty(), errors::toString);
            assertTrue(server.isServing());
            peer.transport.close();
            await(loop, peer.lost);
        }
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void aProtocolFactoryThatThrowsOnAcceptClosesThatSocketAndIsReported() throws Exception {
        IllegalStateException boom = new IllegalStateException("factory");
        Server server = await(loop, loop.createServer(() -> {
            throw boom;
        }, "127.0.0.1", 0));
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            InputStream in = client.getInputStream();
            while (errors.isEmpty()) {
                await(loop, Async.yieldNow());
            }
            assertSame(boom, errors.get(0).exception());
            assertEquals(-1, in.read(), "the accepted socket was closed");
        }
        assertTrue(server.isServing());
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void waitClosedWaitsForTheAcceptedConnectionsToEnd() throws Exception {
        Server server = server();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            Recorder peer = peer(0);
            assertEquals(1, server.connectionCount());
            server.close();
            Future<Void> closed = server.waitClosed();
            NetTesting.iterate(loop, 3);
            assertFalse(closed.isDone(), "a connection is still open");
            assertTrue(peer.transport.isReading(), "close() leaves accepted connections alone");
            server.closeClients();
            assertNull(await(loop, closed));
            assertEquals(0, server.connectionCount());
            assertEquals(List.of("made", "lost:null"), peer.events);
            assertEquals(-1, client.getInputStream().read());
        }
    }

    @Test
    void abortClientsDropsWhatTheyBuffered() throws Exception {
        Server server = server();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            assertTrue(client.isConnected());
            Recorder peer = peer(0);
            peer.transport.setWriteBufferLimits(Integer.MAX_VALUE);
            peer.transport.write(new byte[8 << 20]);
            assertTrue(peer.transport.writeBufferSize() > 0);
            server.close();
            server.abortClients();
            await(loop, server.waitClosed());
            assertEquals(0, peer.transport.writeBufferSize());
        }
    }

    @Test
    void cancellingServeForeverClosesTheServer() {
        Server server = server();
        Future<Void> serving = server.serveForever();
        serving.cancel();
        assertThrows(CancellationException.class, () -> await(loop, serving));
        await(loop, server.waitClosed());
        assertFalse(server.isServing());
    }

    @Test
    void aWildcardHostListensOnEveryInterface() {
        Server server = await(loop, loop.createServer(() -> new Recorder(loop), null, 0));
        assertTrue(server.addresses().get(0).getAddress().isAnyLocalAddress(), server::toString);
        Recorder client = new Recorder(loop);
        Transport t = await(loop, loop.createConnection(() -> client, "127.0.0.1", server.port()));
        t.close();
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void anErrorFromAcceptIsReportedAndAcceptingResumesAfterTheDelay() throws Exception {
        Server server = server();
        server.acceptRetryDelay = Duration.ofMillis(200);
        NoClassDefFoundError missing = new NoClassDefFoundError("Could not initialize class sun.nio.ch.FileDispatcherImpl");
        List<Long> calls = new ArrayList<>();
        server.acceptor = channel -> {
            calls.add(loop.time());
            if (calls.size() == 1) {
                throw missing;
            }
            return channel.accept();
        };
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            Recorder peer = peer(0); // the loop ran on after the Error, and accepted on the retry
            assertEquals(1, errors.size(), errors::toString);
            assertSame(missing, errors.get(0).exception());
            assertTrue(errors.get(0).message().contains("accept"), errors.get(0).message());
            assertTrue(calls.get(1) - calls.get(0) >= 200_000_000L, "no accept during the pause: " + calls);
            assertTrue(server.isServing());
            peer.transport.close();
            await(loop, peer.lost);
        }
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void anErrorFromTheProtocolFactoryClosesThatConnectionAndPausesAccepting() throws Exception {
        ExceptionInInitializerError broken = new ExceptionInInitializerError("a protocol class failed to initialise");
        int[] made = {0};
        Server server = await(loop, loop.createServer(() -> {
            if (++made[0] == 1) {
                throw broken;
            }
            Recorder r = new Recorder(loop);
            accepted.add(r);
            return r;
        }, "127.0.0.1", 0));
        server.acceptRetryDelay = Duration.ofMillis(50);
        try (Socket first = new Socket("127.0.0.1", server.port()); Socket second = new Socket("127.0.0.1", server.port())) {
            Recorder peer = peer(0);
            assertEquals(-1, first.getInputStream().read(), "the connection whose set-up failed was closed");
            assertEquals(1, errors.size(), errors::toString);
            assertSame(broken, errors.get(0).exception());
            assertTrue(errors.get(0).message().contains("set up an accepted connection"), errors.get(0).message());
            peer.transport.close();
            await(loop, peer.lost);
        }
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void aVirtualMachineErrorFromAcceptEndsTheRun() throws Exception {
        Server server = server();
        OutOfMemoryError oom = new OutOfMemoryError("test");
        server.acceptor = channel -> {
            throw oom;
        };
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            assertTrue(client.isConnected());
            assertSame(oom, assertThrows(OutOfMemoryError.class, () -> await(loop, loop.createFuture())));
            assertTrue(errors.isEmpty(), errors::toString);
        }
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void oneReadinessAcceptsAtMostOneBatch() throws Exception {
        Server server = server();
        int queued = 2 * Server.ACCEPT_BATCH + 3;
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < queued; i++) {
                clients.add(new Socket("127.0.0.1", server.port())); // completes in the kernel's backlog
            }
            List<Integer> perIteration = new ArrayList<>();
            while (accepted.size() < queued) {
                int before = accepted.size();
                NetTesting.iterate(loop, 1);
                perIteration.add(accepted.size() - before);
            }
            assertTrue(perIteration.stream().allMatch(n -> n <= Server.ACCEPT_BATCH), perIteration::toString);
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
        server.abortClients();
        server.close();
        await(loop, server.waitClosed());
    }

    @Test
    void aBurstOfConnectsPastOneThousandIsAcceptedWhole() throws Exception {
        int burst = 1_100;
        assumeTrue(descriptorLimit() >= 4L * burst, "needs room for " + 2 * burst + " sockets");
        Future<Void> all = loop.createFuture();
        Server server = await(loop, loop.createServer(() -> {
            Recorder r = new Recorder(loop);
            accepted.add(r);
            if (accepted.size() == burst) {
                all.complete(null);
            }
            return r;
        }, "127.0.0.1", 0));
        List<Socket> clients = new ArrayList<>();
        Thread connector = new Thread(() -> connect(server.port(), burst, clients, all), "burst");
        connector.start();
        try {
            await(loop, all); // the loop accepts while the other thread connects
            connector.join();
            assertEquals(burst, clients.size());
            for (Recorder r : accepted) {
                assertEquals(List.of("made"), r.events);
            }
        } finally {
            connector.join();
            for (Socket c : clients) {
                c.close();
            }
        }
        server.abortClients();
        server.close();
        await(loop, server.waitClosed());
        assertTrue(errors.isEmpty(), errors::toString);
    }

    /** Blocking connects, one after another, as a burst of clients makes them; a failure fails {@code all}. */
    private void connect(int port, int n, List<Socket> sockets, Future<Void> all) {
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new Socket("127.0.0.1", port)); // read after join()
            }
        } catch (IOException e) {
            loop.callSoonThreadsafe(() -> all.fail(e));
        }
    }

    private static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }
}
