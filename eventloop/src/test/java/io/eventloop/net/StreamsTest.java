package io.eventloop.net;

import static io.eventloop.net.NetTesting.await;
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
import java.net.ConnectException;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BEHAVIOURS L.116–L.121: streams over real sockets. */
@ExtendWith(NoLeaks.class)
class StreamsTest {
    private EventLoop loop;
    private final List<ErrorContext> errors = new ArrayList<>();
    /** The server side of each connection, in accept order. */
    private final List<StreamReader> readers = new ArrayList<>();
    private final List<StreamWriter> writers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> errors.add(c));
    }

    @AfterEach
    void tearDown() {
        NetTesting.finish(loop);
    }

    /** A server whose handler records both halves, then runs {@code body}. */
    private Server server(int limit, BiFunction<StreamReader, StreamWriter, Future<?>> body) {
        return await(loop, Net.startServer(loop, (r, w) -> {
            readers.add(r);
            writers.add(w);
            return body.apply(r, w);
        }, "127.0.0.1", 0, limit));
    }

    /** Waits until the {@code i}th connection's handler has started. */
    private void accepted(int i) {
        while (writers.size() <= i) {
            await(loop, Async.yieldNow());
        }
    }

    private void stop(Server server) {
        server.close();
        await(loop, server.waitClosed());
    }

    private static Future<Void> lineEcho(StreamReader r, StreamWriter w) {
        return Async.repeat(() -> r.readLine().then(line -> {
            if (line == null) {
                return Async.completed(false);
            }
            w.write(line + "\n");
            return w.drain().map(v -> true);
        }));
    }

    // L.121
    @Test
    void aLineEchoRoundTripsAndReportsNothing() {
        Server server = server(StreamReader.DEFAULT_LIMIT, StreamsTest::lineEcho);
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        c.writer().write("hello\nworld\n");
        assertEquals("hello", await(loop, c.reader().readLine()));
        assertEquals("world", await(loop, c.reader().readLine()));
        c.writer().close();
        await(loop, c.writer().waitClosed());
        stop(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void aCallbackHandlerThatReturnsNullKeepsTheConnectionUntilItsWriterCloses() {
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> {
            r.readLine().map(line -> {
                w.write("got " + line + "\n");
                w.close();
                return null;
            });
            return null;
        });
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        c.writer().write("ping\n");
        assertEquals("got ping", await(loop, c.reader().readLine()));
        assertNull(await(loop, c.reader().readLine()));
        c.writer().close();
        stop(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void aFailingHandlerClosesOnlyItsConnectionAndIsReportedOnce() {
        IllegalStateException boom = new IllegalStateException("handler bug");
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> r.readLine().then(line -> {
            if (line.equals("crash")) {
                throw boom;
            }
            w.write("ok " + line + "\n");
            return lineEcho(r, w);
        }));
        Connection bad = await(loop, loop.openConnection("127.0.0.1", server.port()));
        Connection good = await(loop, loop.openConnection("127.0.0.1", server.port()));
        bad.writer().write("crash\n");
        assertNull(await(loop, bad.reader().readLine()), "the crashed connection is closed");
        good.writer().write("fine\nagain\n");
        assertEquals("ok fine", await(loop, good.reader().readLine()));
        assertEquals("again", await(loop, good.reader().readLine()));
        assertEquals(1, errors.size(), errors::toString);
        assertSame(boom, errors.get(0).exception());
        bad.writer().close();
        good.writer().close();
        stop(server);
    }

    @Test
    void openingAConnectionToAClosedPortFails() throws Exception {
        int port;
        try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            port = ((java.net.InetSocketAddress) s.getLocalAddress()).getPort();
        }
        assertInstanceOf(ConnectException.class, NetTesting.failure(loop, loop.openConnection("127.0.0.1", port)));
    }

    // L.116
    @Test
    void theReaderPausesTheSocketAboveTwiceTheLimitAndResumesAtTheLimit() {
        Future<Void> release = loop.createFuture();
        Server server = server(1024, (r, w) -> release);
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        accepted(0);
        StreamReader reader = readers.get(0);
        Transport serverSide = writers.get(0).transport();
        c.writer().write(new byte[1_000_000]); // several of the loop's 256 KiB reads
        while (reader.buffered() <= 2048) {
            await(loop, Async.yieldNow());
        }
        NetTesting.iterate(loop, 5);
        assertFalse(serverSide.isReading(), "paused above 2 x limit");
        assertTrue(reader.buffered() < 2048 + 256 * 1024, "at most one read past the mark: " + reader.buffered());
        int before = reader.buffered();
        Future<byte[]> taken = reader.readExactly(before - 1024); // down to the limit: done at once
        assertTrue(taken.isDone());
        assertTrue(serverSide.isReading(), "resumed at the limit");
        c.writer().close();
        release.complete(null);
        stop(server);
    }

    // L.117
    @Test
    void drainIsDoneAtOnceBelowTheHighMarkAndWaitsForTheLowMarkAbove() {
        Future<Void> release = loop.createFuture();
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> release.then(v -> r.read(-1)));
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        StreamWriter w = c.writer();
        assertEquals(65536, w.transport().writeBufferHighWaterMark());
        assertEquals(16384, w.transport().writeBufferLowWaterMark());
        w.write(new byte[1000]);
        Future<Void> quick = w.drain();
        assertTrue(quick.isDone(), "below the high-water mark drain is already done");
        assertSame(quick, w.drain(), "and costs nothing");
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            chunks.add(new byte[64 * 1024]);
        }
        w.writeLines(chunks); // 16 MiB: far more than the socket buffers hold
        Future<Long> slow = w.drain().map(v -> w.transport().writeBufferSize());
        NetTesting.iterate(loop, 5);
        assertFalse(slow.isDone(), "above the mark drain waits");
        release.complete(null);
        long left = await(loop, slow);
        assertTrue(left <= 16384, "released at the low-water mark, " + left + " bytes left");
        w.close();
        await(loop, w.waitClosed());
        stop(server);
    }

    // L.118
    @Test
    void drainFailsWhenThePeerResetsWhileTheWriterLoops() throws Exception {
        Future<Throwable> failure = loop.createFuture();
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> Async.repeat(() -> {
            w.write(new byte[64 * 1024]);
            return w.drain().map(v -> true);
        }).recover(IOException.class, e -> {
            failure.complete(e);
            return Async.completed(null);
        }));
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            InputStream in = raw.getInputStream();
            byte[] some = new byte[100_000];
            int n = 0;
            while (n < some.length) {
                accepted(0);
                await(loop, Async.yieldNow());
                if (in.available() > 0) {
                    n += in.read(some, n, Math.min(in.available(), some.length - n));
                }
            }
            raw.setSoLinger(true, 0);
        }
        assertInstanceOf(IOException.class, await(loop, failure));
        stop(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void writeAndDrainAfterALocalCloseFailFast() {
        Server server = server(StreamReader.DEFAULT_LIMIT, StreamsTest::lineEcho);
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        StreamWriter w = c.writer();
        w.close();
        assertTrue(w.isClosing());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write("late"));
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertInstanceOf(ClosedChannelException.class, NetTesting.failure(loop, w.drain()));
        stop(server);
    }

    // L.119
    @Test
    void severalDrainersAreAllReleased() {
        Future<Void> release = loop.createFuture();
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> release.then(v -> r.read(-1)));
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        StreamWriter w = c.writer();
        w.write(new byte[16 << 20]);
        List<Future<Void>> drains = List.of(w.drain(), w.drain(), w.drain());
        NetTesting.iterate(loop, 3);
        for (Future<Void> d : drains) {
            assertFalse(d.isDone());
        }
        release.complete(null);
        await(loop, Async.gather(drains));
        w.close();
        stop(server);
    }

    // L.120
    @Test
    void closeThenWaitClosedCompletesAndThePeerReaderSeesEof() {
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> r.read(-1));
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        accepted(0);
        c.writer().write("unread by anyone\n".getBytes(StandardCharsets.US_ASCII));
        c.writer().close();
        assertTrue(c.writer().isClosing());
        assertNull(await(loop, c.writer().waitClosed()));
        StreamReader serverReader = readers.get(0);
        await(loop, writers.get(0).waitClosed());
        assertTrue(serverReader.atEof());
        assertEquals(0, await(loop, serverReader.read(10)).length);
        assertNull(await(loop, c.writer().waitClosed()), "waitClosed after the close is done at once");
        stop(server);
        assertEquals(List.of(), errors);
    }

    @Test
    void halfCloseWorksBothWays() {
        Server server = server(StreamReader.DEFAULT_LIMIT, (r, w) -> r.read(-1).then(all -> {
            w.write(("got " + all.length).getBytes(StandardCharsets.US_ASCII));
            w.writeEof();
            return r.read(1); // at EOF: empty
        }));
        Connection c = await(loop, loop.openConnection("127.0.0.1", server.port()));
        assertTrue(c.writer().canWriteEof());
        c.writer().write(new byte[200_000]);
        c.writer().writeEof();
        assertEquals("got 200000", new String(await(loop, c.reader().read(-1)), StandardCharsets.US_ASCII));
        assertTrue(c.reader().atEof());
        c.writer().close();
        await(loop, c.writer().waitClosed());
        stop(server);
        assertEquals(List.of(), errors);
    }
}
