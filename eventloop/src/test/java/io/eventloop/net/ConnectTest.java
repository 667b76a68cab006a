package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ConnectTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    private final AtomicInteger protocolsMade = new AtomicInteger();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        NetTesting.finish(loop);
    }

    private Recorder counted() {
        protocolsMade.incrementAndGet();
        return new Recorder(loop);
    }

    /** A port nothing listens on (bound then released; nothing else on this machine takes it meanwhile). */
    private static int closedPort() throws Exception {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }

    @Test
    void aRefusedConnectFailsWithConnectExceptionMakesNoProtocolAndLeavesNoSocket() throws Exception {
        int port = closedPort();
        Future<Transport> f = loop.createConnection(this::counted, "127.0.0.1", port);
        Throwable e = NetTesting.failure(loop, f);
        assertInstanceOf(ConnectException.class, e);
        assertEquals("connect to 127.0.0.1:" + port + " failed: Connection refused", e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause(), "the JDK's own exception is the cause");
        assertEquals(0, protocolsMade.get(), "no protocol before the connection exists");
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void aRefusedConnectToAHostNameNamesTheAddressTriedToo() throws Exception {
        int port = closedPort();
        Throwable e = NetTesting.failure(loop, loop.createConnection(this::counted, "localhost", port));
        assertInstanceOf(ConnectException.class, e);
        assertTrue(e.getMessage().matches("connect to localhost:" + port
                + " \\((127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)\\) failed: Connection refused"), e.getMessage());
    }

    @Test
    void aTimedOutConnectFailsWithSocketTimeoutAndClosesTheSocket() throws Exception {
        try (BlackHole hole = new BlackHole()) {
            long start = loop.time();
            Future<Transport> f = loop.createConnection(this::counted, "127.0.0.1", hole.address().getPort(),
                    Duration.ofMillis(300));
            Throwable e = NetTesting.failure(loop, f);
            long elapsedMillis = (loop.time() - start) / 1_000_000;
            assertInstanceOf(SocketTimeoutException.class, e);
            assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
            assertTrue(elapsedMillis >= 300, "not before the timeout: " + elapsedMillis);
            assertTrue(elapsedMillis < 10_000, "not long after it: " + elapsedMillis);
            assertEquals(0, protocolsMade.get());
            NetTesting.assertNoChannels(loop);
        }
    }

    @Test
    void aCancelledConnectClosesTheSocketAndUnregistersIt() throws Exception {
        try (BlackHole hole = new BlackHole()) {
            Future<Transport> f = loop.createConnection(this::counted, "127.0.0.1", hole.address().getPort());
            NetTesting.iterate(loop, 3); // the connect is in progress, registered for OP_CONNECT
            assertEquals(1, loop.metrics().registeredChannels());
            assertTrue(f.cancel());
            NetTesting.assertNoChannels(loop);
            assertThrows(CancellationException.class, f::result);
            assertEquals(0, protocolsMade.get());
        }
    }

    @Test
    void aCancelledConnectWhoseLookupIsStillRunningLeavesNothingBehind() {
        Future<Transport> f = loop.createConnection(this::counted, "localhost", 9);
        f.cancel();
        NetTesting.assertNoChannels(loop);
        await(loop, loop.shutdownDefaultExecutor(Duration.ofSeconds(30)));
        assertEquals(0, protocolsMade.get());
    }

    @Test
    void aProtocolFactoryThatThrowsFailsTheConnectAndClosesTheSocket() {
        Server server = await(loop, loop.createServer(() -> new Recorder(loop), "127.0.0.1", 0));
        IllegalStateException boom = new IllegalStateException("factory");
        Future<Transport> f = loop.createConnection(() -> {
            throw boom;
        }, "127.0.0.1", server.port());
        Throwable e = NetTesting.failure(loop, f);
        assertSame(boom, e);
        server.close();
        await(loop, server.waitClosed()); // the server's side saw the socket close
    }

    @Test
    void aHostNameIsResolvedOffTheLoopAndConnects() {
        String echoed = EventLoop.run(() -> {
            EventLoop l = EventLoop.current();
            return l.createServer(() -> new TransportTest.Echo(l), "localhost", 0).then(server -> {
                Recorder client = new Recorder(l);
                return l.createConnection(() -> client, "localhost", server.port()).then(t -> {
                    t.write("over dns".getBytes(StandardCharsets.US_ASCII));
                    return client.receive(8);
                }).map(bytes -> {
                    client.transport.close();
                    server.close();
                    return new String(bytes, StandardCharsets.US_ASCII);
                }).then(s -> server.waitClosed().map(v -> s));
            });
        });
        assertEquals("over dns", echoed);
    }

    @Test
    void aConnectNeedsAHost() {
        assertThrows(IllegalArgumentException.class, () -> loop.createConnection(this::counted, null, 80));
        assertThrows(IllegalArgumentException.class, () -> loop.createConnection(this::counted, "127.0.0.1", 70000));
    }

    @Test
    void aFailedConnectToSeveralAddressesReportsTheFirstFailure() throws Exception {
        int port = closedPort();
        Future<Transport> f = loop.createConnection(this::counted, "127.0.0.1", port, null);
        assertInstanceOf(ConnectException.class, NetTesting.failure(loop, f));
        await(loop, Async.yieldNow());
    }
}
