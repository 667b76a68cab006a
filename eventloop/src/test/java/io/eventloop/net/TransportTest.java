package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class TransportTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    /** Server-side protocols, in accept order. */
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

    /** Echoes what it reads, and records like {@link Recorder}. */
    static class Echo extends Recorder {
        Echo(EventLoop loop) {
            super(loop);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
            super.dataReceived(data);
        }
    }

    private Server echoServer(String host) {
        return await(loop, loop.createServer(() -> {
            Echo e = new Echo(loop);
            accepted.add(e);
            return e;
        }, host, 0));
    }

    private Server recordingServer(java.util.function.Consumer<Recorder> setUp) {
        return await(loop, loop.createServer(() -> {
            Recorder r = new Recorder(loop);
            setUp.accept(r);
            accepted.add(r);
            return r;
        }, "127.0.0.1", 0));
    }

    private Recorder connect(Server server) {
        Recorder client = new Recorder(loop);
        await(loop, loop.createConnection(() -> client, "127.0.0.1", server.port()));
        return client;
    }

    /** The {@code i}th accepted connection's protocol, once it has been made. */
    private Recorder peer(int i) {
        while (accepted.size() <= i) {
            await(loop, Async.yieldNow());
        }
        await(loop, accepted.get(i).made);
        return accepted.get(i);
    }

    private Future<Void> closeServer(Server server) {
        server.close();
        return server.waitClosed();
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void echoRoundTripReachesEveryCallbackInOrderAndReportsNothing() {
        Server server = echoServer("127.0.0.1");
        Recorder client = connect(server);
        client.transport.write("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] back = await(loop, client.receive(5));
        assertEquals("hello", new String(back, StandardCharsets.US_ASCII));
        client.transport.close();
        assertNull(await(loop, client.lost));
        assertNull(await(loop, accepted.get(0).lost)); // the echo side sees EOF and closes
        await(loop, closeServer(server));
        assertEquals(List.of("made", "lost:null"), client.events);
        assertEquals(List.of("made", "eof", "lost:null"), accepted.get(0).events);
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void ipv6LoopbackWorksLikeIpv4() {
        Server server = echoServer("::1");
        assertEquals("/0:0:0:0:0:0:0:1", server.addresses().get(0).getAddress().toString());
        Recorder client = new Recorder(loop);
        Transport t = await(loop, loop.createConnection(() -> client, "::1", server.port()));
        assertEquals(server.port(), ((InetSocketAddress) t.remoteAddress()).getPort());
        t.write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, await(loop, client.receive(3)));
        t.close();
        await(loop, closeServer(server));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void requestResponseChangesNoInterestAfterTheFirstRead() {
        Server server = echoServer("127.0.0.1");
        Recorder client = connect(server);
        SocketTransport c = (SocketTransport) client.transport;
        for (int i = 0; i < 200; i++) {
            c.write(pattern(1024, i));
            await(loop, client.receive(1024 * (i + 1)));
        }
        SocketTransport s = (SocketTransport) accepted.get(0).transport;
        assertEquals(1, c.interestChanges, "client: only 0 -> OP_READ at start");
        assertEquals(1, s.interestChanges, "server: only 0 -> OP_READ at start");
        assertEquals(SelectionKey.OP_READ, s.key().interestOps());
        c.close();
        await(loop, closeServer(server));
    }

    @Test
    void everyConnectionReadsIntoTheSameDirectBuffer() {
        Server server = echoServer("127.0.0.1");
        Recorder a = connect(server);
        Recorder b = connect(server);
        a.transport.write(new byte[] {1});
        await(loop, a.receive(1));
        b.transport.write(new byte[] {2});
        await(loop, b.receive(1));
        assertSame(a.lastBuffer, b.lastBuffer);
        assertTrue(a.lastBuffer.isDirect());
        assertSame(accepted.get(0).lastBuffer, a.lastBuffer);
        a.transport.close();
        b.transport.close();
        await(loop, closeServer(server));
    }

    @Test
    void shortWritesAreBufferedAndFlushedInOrderThenWriteInterestIsDropped() throws IOException {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        Recorder peer = peer(0);
        peer.transport.pauseReading();
        SocketTransport t = (SocketTransport) client.transport;
        t.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        t.setWriteBufferLimits(Integer.MAX_VALUE);
        int chunks = 250;
        int size = 4000;
        for (int i = 0; i < chunks; i++) {
            t.write(pattern(size, i));
        }
        assertTrue(t.writeBufferSize() > 0, "1 MB cannot all fit in the socket");
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, t.key().interestOps());
        peer.transport.resumeReading();
        byte[] all = await(loop, peer.receive(chunks * size));
        for (int i = 0; i < chunks; i++) {
            byte[] expected = pattern(size, i);
            for (int j = 0; j < size; j++) {
                if (all[i * size + j] != expected[j]) {
                    throw new AssertionError("byte " + (i * size + j) + " differs");
                }
            }
        }
        await(loop, t.flushed());
        NetTesting.iterate(loop, 1);
        assertEquals(0, t.writeBufferSize());
        assertEquals(SelectionKey.OP_READ, t.key().interestOps());
        assertEquals(3, t.interestChanges, "read on; write on at the first short write; write off once flushed");
        t.close();
        await(loop, closeServer(server));
    }

    @Test
    void waterMarksPauseAboveHighAndResumeAtLowOncePerTransition() {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        Recorder peer = peer(0);
        peer.transport.pauseReading();
        Transport t = client.transport;
        t.setWriteBufferLimits(64 * 1024, 16 * 1024);
        assertEquals(64 * 1024, t.writeBufferHighWaterMark());
        assertEquals(16 * 1024, t.writeBufferLowWaterMark());
        int written = 0;
        while (!client.events.contains("pause")) {
            t.write(new byte[8192]);
            written += 8192;
        }
        assertTrue(client.bytesAtPause > 64 * 1024, "paused at " + client.bytesAtPause);
        for (int i = 0; i < 10; i++) {
            t.write(new byte[8192]); // still above: no second pause
            written += 8192;
        }
        assertEquals(List.of("made", "pause"), client.events);
        peer.transport.resumeReading();
        await(loop, peer.receive(written));
        assertEquals(List.of("made", "pause", "resume"), client.events);
        assertTrue(client.bytesAtResume <= 16 * 1024, "resumed at " + client.bytesAtResume);
        t.close();
        await(loop, closeServer(server));
    }

    @Test
    void badWaterMarksAreRejected() {
        Server server = echoServer("127.0.0.1");
        Recorder client = connect(server);
        assertThrows(IllegalArgumentException.class, () -> client.transport.setWriteBufferLimits(10, 20));
        assertThrows(IllegalArgumentException.class, () -> client.transport.setWriteBufferLimits(10, -1));
        client.transport.setWriteBufferLimits(400);
        assertEquals(100, client.transport.writeBufferLowWaterMark());
        client.transport.close();
        await(loop, closeServer(server));
    }

    @Test
    void pausedReadingDeliversNothingUntilResumed() {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        Recorder peer = peer(0);
        peer.transport.pauseReading();
        assertFalse(peer.transport.isReading());
        client.transport.write(new byte[100]);
        await(loop, client.transport.flushed());
        NetTesting.iterate(loop, 5);
        assertEquals(0, peer.dataEvents);
        peer.transport.resumeReading();
        assertTrue(peer.transport.isReading());
        assertEquals(100, await(loop, peer.receive(100)).length);
        client.transport.close();
        await(loop, closeServer(server));
    }

    @Test
    void peerHalfCloseDeliversAllDataThenEofOnceAndLocalSideCanStillWrite() {
        Server server = recordingServer(r -> r.keepOpenOnEof = true);
        Recorder client = connect(server);
        client.keepOpenOnEof = true;
        byte[] data = pattern(300_000, 7);
        client.transport.write(data);
        client.transport.writeEof();
        client.transport.writeEof(); // idempotent
        Recorder peer = peer(0);
        await(loop, peer.eof);
        assertArrayEquals(data, peer.received.toByteArray(), "all data before EOF");
        assertFalse(peer.transport.isReading(), "read interest dropped after EOF");
        assertEquals(SelectionKey.OP_READ, ((SocketTransport) client.transport).key().interestOps() & SelectionKey.OP_READ);
        assertEquals(0, ((SocketTransport) peer.transport).key().interestOps());
        peer.transport.write("bye".getBytes(StandardCharsets.US_ASCII));
        peer.transport.writeEof();
        assertEquals("bye", new String(await(loop, client.receive(3)), StandardCharsets.US_ASCII));
        await(loop, client.eof);
        NetTesting.iterate(loop, 3);
        assertEquals(List.of("made", "eof"), peer.events, "EOF exactly once, connection kept open");
        assertThrows(IllegalStateException.class, () -> client.transport.write(new byte[1]), "write after writeEof");
        client.transport.close();
        peer.transport.close();
        assertEquals(List.of("made", "eof", "lost:null"), await(loop, peer.lost.map(c -> peer.events)));
        await(loop, closeServer(server));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void eofWithoutHalfCloseClosesTheConnection() {
        Server server = recordingServer(r -> r.keepOpenOnEof = false);
        Recorder client = connect(server);
        client.keepOpenOnEof = true;
        client.transport.writeEof();
        Recorder peer = peer(0);
        assertNull(await(loop, peer.lost));
        assertEquals(List.of("made", "eof", "lost:null"), peer.events);
        await(loop, client.eof); // the server's close reaches the client as EOF
        client.transport.close();
        await(loop, client.lost);
        await(loop, closeServer(server));
    }

    @Test
    void peerResetReachesTheProtocolOnceAsAnIOExceptionAndIsNotReported() throws Exception {
        Server server = recordingServer(r -> {
        });
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", server.port()));
        Recorder peer = peer(0);
        raw.setSoLinger(true, 0);
        raw.close(); // RST
        Throwable cause = await(loop, peer.lost);
        assertInstanceOf(IOException.class, cause);
        NetTesting.iterate(loop, 3);
        assertEquals(2, peer.events.size(), peer.events::toString);
        assertEquals("made", peer.events.get(0));
        assertTrue(peer.events.get(1).startsWith("lost:") && !peer.events.get(1).equals("lost:null"), peer.events::toString);
        assertTrue(errors.isEmpty(), "an I/O error of one connection is not a program error: " + errors);
        await(loop, closeServer(server));
    }

    @Test
    void normalCloseByThePeerIsNoError() throws Exception {
        Server server = recordingServer(r -> {
        });
        Socket raw = new Socket("127.0.0.1", server.port());
        peer(0);
        raw.close();
        assertNull(await(loop, accepted.get(0).lost));
        assertEquals(List.of("made", "eof", "lost:null"), accepted.get(0).events);
        await(loop, closeServer(server));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void anExceptionInDataReceivedClosesOnlyThatConnectionAndIsReportedOnce() {
        RuntimeException boom = new RuntimeException("boom");
        List<Echo> made = new ArrayList<>();
        Server server = await(loop, loop.createServer(() -> {
            Echo e = made.isEmpty() ? new Echo(loop) {
                @Override
                public void dataReceived(ByteBuffer data) {
                    throw boom;
                }
            } : new Echo(loop);
            made.add(e);
            return e;
        }, "127.0.0.1", 0));
        Recorder bad = connect(server);
        while (made.isEmpty()) {
            await(loop, Async.yieldNow());
        }
        Recorder good = connect(server);
        bad.transport.write(new byte[] {1});
        assertSame(boom, await(loop, made.get(0).lost));
        await(loop, bad.lost); // the peer's side sees the close
        good.transport.write(new byte[] {2, 3});
        assertArrayEquals(new byte[] {2, 3}, await(loop, good.receive(2)));
        NetTesting.iterate(loop, 3);
        assertEquals(1, errors.size(), errors::toString);
        assertSame(boom, errors.get(0).exception());
        assertTrue(errors.get(0).message().contains("dataReceived"), errors.get(0).message());
        good.transport.close();
        await(loop, closeServer(server));
    }

    @Test
    void anExceptionInConnectionMadeClosesTheConnection() {
        IllegalStateException boom = new IllegalStateException("no");
        Server server = await(loop, loop.createServer(() -> new Recorder(loop) {
            @Override
            public void connectionMade(Transport t) {
                super.connectionMade(t);
                throw boom;
            }
        }, "127.0.0.1", 0));
        Recorder client = connect(server);
        await(loop, client.lost);
        assertEquals(1, errors.size());
        assertSame(boom, errors.get(0).exception());
        await(loop, closeServer(server));
    }

    @Test
    void writesStillQueuedFailWithClosedChannelOnAbortAndWritesAfterCloseFailFast() throws IOException {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        Transport t = client.transport;
        t.setOption(StandardSocketOptions.SO_SNDBUF, 1024);
        t.setWriteBufferLimits(Integer.MAX_VALUE);
        t.write(new byte[1 << 20]);
        Future<Void> first = t.flushed();
        t.write(new byte[1 << 20]);
        Future<Void> second = t.flushed();
        t.write(new byte[1 << 20]);
        Future<Void> third = t.flushed();
        first.onDone(f -> t.abort());
        Future<List<Future<Void>>> all = Async.gatherSettled(first, second, third);
        List<Future<Void>> outcomes = await(loop, all);
        assertNull(outcomes.get(0).exception(), "write 1 succeeded");
        assertInstanceOf(ClosedChannelException.class, outcomes.get(1).exception());
        assertInstanceOf(ClosedChannelException.class, outcomes.get(2).exception());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.write(new byte[1]));
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertNull(await(loop, client.lost));
        t.abort();
        t.close(); // both idempotent
        NetTesting.iterate(loop, 2);
        assertEquals(List.of("made", "lost:null"), client.events);
        await(loop, accepted.get(0).lost);
        await(loop, closeServer(server));
    }

    @Test
    void writesAfterThePeerClosedAreDroppedNotThrown() {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        peer(0).transport.abort();
        await(loop, client.lost);
        client.transport.write(new byte[10]); // the protocol could not know yet: dropped
        assertEquals(0, client.transport.writeBufferSize());
        await(loop, closeServer(server));
    }

    @Test
    void closeFlushesTheBufferBeforeClosing() {
        Server server = recordingServer(r -> {
        });
        Recorder client = connect(server);
        Recorder peer = peer(0);
        peer.transport.pauseReading();
        client.transport.setWriteBufferLimits(Integer.MAX_VALUE);
        byte[] data = pattern(2_000_000, 3);
        client.transport.write(data);
        client.transport.close();
        assertTrue(client.transport.isClosing());
        assertThrows(IllegalStateException.class, () -> client.transport.write(new byte[1]));
        peer.transport.resumeReading();
        assertArrayEquals(data, await(loop, peer.receive(data.length)));
        await(loop, peer.eof);
        assertNull(await(loop, client.lost));
        await(loop, closeServer(server));
    }

    @Test
    void transportMethodsFromAnotherThreadThrow() throws Exception {
        Server server = echoServer("127.0.0.1");
        Recorder client = connect(server);
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                client.transport.write(new byte[1]);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Throwable e = thrown.get(30, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        client.transport.close();
        await(loop, closeServer(server));
    }

    @Test
    void rawClientSeesEchoedBytes() throws Exception {
        Server server = echoServer("127.0.0.1");
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            while (accepted.isEmpty() || accepted.get(0).received.size() < 4) {
                await(loop, Async.yieldNow());
            }
            byte[] four = new byte[4];
            int n = 0;
            while (n < 4) {
                n += in.read(four, n, 4 - n);
            }
            assertEquals("ping", new String(four, StandardCharsets.US_ASCII));
        }
        await(loop, accepted.get(0).lost);
        await(loop, closeServer(server));
    }
}
