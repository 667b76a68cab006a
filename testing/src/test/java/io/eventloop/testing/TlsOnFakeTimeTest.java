package io.eventloop.testing;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Connection;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS layer's timers and flow control, over in-memory connections on fake time: a minute of
 * handshake timeout in milliseconds, and a peer that never reads, exactly.
 */
class TlsOnFakeTimeTest {
    private static SelfSignedCertificate cert;
    private static TlsConfig serverTls;
    private static TlsConfig clientTls;

    @BeforeAll
    static void certificate() {
        cert = SelfSignedCertificate.generate("localhost");
        serverTls = TlsConfig.server(cert.serverContext());
        clientTls = TlsConfig.client(cert.trustingContext()).serverName("localhost");
    }

    /** A memory pair whose server runs {@code handler} after upgrading to TLS; the client is returned, still plain. */
    private static MemoryConnection pair(EventLoop loop, TlsConfig server,
            BiFunction<StreamReader, StreamWriter, Future<?>> handler, MemoryConnection.Options options) {
        Protocol serverSide = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT),
                (r, w) -> w.startTls(server).then(v -> {
                    Future<Object> done = loop.createFuture();
                    Future<?> f = handler.apply(r, w);
                    if (f != null) {
                        f.onDone(x -> {
                            if (x.exception() != null) {
                                done.fail(x.exception());
                            } else {
                                done.complete(null);
                            }
                        });
                    } else {
                        w.waitClosed().onDone(x -> done.complete(null)); // null: kept until the writer closes
                    }
                    return done;
                }));
        Protocol clientSide = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT), null);
        return MemoryConnection.pair(loop, clientSide, serverSide, options);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A memory pair whose server only upgrades, recording how that ended; the client stays plain. */
    private static MemoryConnection upgradingServer(EventLoop loop, Future<Throwable> upgrade) {
        Protocol serverSide = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT),
                (r, w) -> {
                    w.startTls(serverTls).onDone(f -> upgrade.complete(f.exception()));
                    return null;
                });
        Protocol clientSide = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT), null);
        return MemoryConnection.pair(loop, clientSide, serverSide);
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void aClientThatNeverStartsTheHandshakeIsAbortedAfterTheHandshakeTimeout(EventLoop loop, TestClock clock) {
        Future<Throwable> upgrade = loop.createFuture();
        MemoryConnection c = upgradingServer(loop, upgrade);
        clock.runUntilIdle();
        clock.advance(TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT.minusMillis(1));
        assertFalse(upgrade.isDone(), "gave up before the timeout");
        clock.advance(Duration.ofMillis(1));
        Throwable e = assertCompletes(upgrade);
        assertTrue(e instanceof SocketTimeoutException, String.valueOf(e));
        assertTrue(e.getMessage().contains("did not finish within 60000 ms"), e.getMessage());
        assertEquals(0, assertCompletes(Net.connection(c.client()).reader().read(-1)).length, "the client reads EOF");
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void aPeerThatNeverAnswersCloseNotifyCostsAtMostTheShutdownTimeout(EventLoop loop, TestClock clock) {
        Future<StreamWriter> serverWriter = loop.createFuture();
        MemoryConnection c = pair(loop, serverTls, (r, w) -> {
            serverWriter.complete(w);
            return null; // kept until its writer closes
        }, MemoryConnection.Options.defaults());
        Connection client = Net.connection(c.client());
        assertCompletes(client.writer().startTls(clientTls));
        StreamWriter w = assertCompletes(serverWriter);
        w.write("bye\n");
        assertEquals("bye", assertCompletes(client.reader().readLine()));
        c.client().setProtocol(new Protocol() { // the client goes deaf: close_notify goes unanswered
        });
        w.close();
        Future<Void> closed = w.waitClosed();
        clock.advance(TlsConfig.DEFAULT_SHUTDOWN_TIMEOUT.minusMillis(1));
        assertFalse(closed.isDone(), "gave up before the shutdown timeout");
        clock.advance(Duration.ofMillis(1));
        assertCompletes(closed); // everything was sent: a clean close, not an error
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void aPeerThatNeverReadsFailsTheShutdownWithWhatWasLeftUnsent(EventLoop loop, TestClock clock) {
        Future<StreamWriter> serverWriter = loop.createFuture();
        MemoryConnection c = pair(loop, serverTls, (r, w) -> {
            serverWriter.complete(w);
            return null;
        }, MemoryConnection.Options.defaults());
        Connection client = Net.connection(c.client());
        assertCompletes(client.writer().startTls(clientTls));
        StreamWriter w = assertCompletes(serverWriter);
        client.writer().transport().pauseReading();
        w.write(random(256 * 1024));
        w.close();
        Future<Throwable> closed = loop.createFuture();
        w.waitClosed().onDone(f -> closed.complete(f.exception()));
        clock.advance(TlsConfig.DEFAULT_SHUTDOWN_TIMEOUT.minusMillis(1));
        assertFalse(closed.isDone(), "gave up before the shutdown timeout");
        clock.advance(Duration.ofMillis(1));
        Throwable e = assertCompletes(closed);
        assertTrue(e instanceof SocketTimeoutException, String.valueOf(e));
        assertTrue(e.getMessage().contains("unsent"), e.getMessage());
    }

    @Test
    @EventLoopTest
    Future<?> theHandshakeAndDataSurviveEveryByteArrivingAlone(EventLoop loop) {
        byte[] data = random(40_000);
        MemoryConnection c = pair(loop, serverTls, (r, w) -> r.readExactly(data.length).then(b -> {
            w.write(b);
            return w.drain();
        }), MemoryConnection.Options.defaults().fragment(1, 7, 300, 5000));
        Connection client = Net.connection(c.client());
        return client.writer().startTls(clientTls).then(v -> {
            client.writer().write(data);
            return client.reader().readExactly(data.length);
        }).map(back -> {
            assertArrayEquals(data, back);
            return null;
        });
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void aWriterToAPeerThatDoesNotReadIsPausedNearTheHighWaterMark(EventLoop loop, TestClock clock) {
        int total = 4 << 20;
        byte[] data = random(total);
        int[] written = {0};
        Future<Void> writing = loop.createFuture();
        Future<StreamWriter> serverWriter = loop.createFuture();
        MemoryConnection c = pair(loop, serverTls, (r, w) -> {
            serverWriter.complete(w);
            Future<Void> f = Async.repeat(() -> {
                if (written[0] == total) {
                    return Async.completed(false);
                }
                w.write(ByteBuffer.wrap(data, written[0], 16 * 1024));
                written[0] += 16 * 1024;
                return w.drain().map(v -> true);
            });
            f.onDone(x -> writing.complete(null));
            return f;
        }, MemoryConnection.Options.defaults());
        Connection client = Net.connection(c.client());
        assertCompletes(client.writer().startTls(clientTls));
        Transport clientTransport = client.writer().transport();
        clientTransport.pauseReading();
        clock.runUntilIdle();
        Transport serverTransport = assertCompletes(serverWriter).transport();
        long buffered = serverTransport.writeBufferSize();
        assertTrue(buffered <= serverTransport.writeBufferHighWaterMark() + 2 * 16_709,
                "buffered " + buffered + " bytes for a peer that does not read");
        assertTrue(written[0] < total, "the writer was never paused");
        assertFalse(writing.isDone());
        clientTransport.resumeReading();
        assertArrayEquals(data, assertCompletes(client.reader().readExactly(total)));
        assertCompletes(writing);
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void theRecordsOfOneReadReachTheProtocolInOneCall(EventLoop loop, TestClock clock) {
        List<Integer> deliveries = new ArrayList<>();
        Protocol counting = new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                Net.startTls(transport, serverTls);
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                deliveries.add(data.remaining());
                data.position(data.limit());
            }
        };
        Protocol clientSide = Net.streamReaderProtocol(loop, new StreamReader(loop, StreamReader.DEFAULT_LIMIT), null);
        MemoryConnection c = MemoryConnection.pair(loop, clientSide, counting);
        Connection client = Net.connection(c.client());
        assertCompletes(client.writer().startTls(clientTls));
        client.writer().write(random(64 * 1024)); // the JDK makes five records of it, sent in one raw write
        clock.runUntilIdle();
        assertEquals(List.of(64 * 1024), deliveries, "plaintext per dataReceived");
    }

    @Test
    @EventLoopTest(autoAdvance = false)
    void garbageInsteadOfAClientHelloFailsTheUpgradeSayingWithWhom(EventLoop loop, TestClock clock) {
        Future<Throwable> upgrade = loop.createFuture();
        MemoryConnection c = upgradingServer(loop, upgrade);
        Connection client = Net.connection(c.client());
        client.writer().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Throwable e = assertCompletes(upgrade);
        assertTrue(e instanceof SSLHandshakeException, String.valueOf(e));
        assertTrue(e.getMessage().startsWith("the TLS handshake with "), e.getMessage());
        assertCompletes(client.reader().read(-1)); // an alert, then EOF
        assertTrue(c.server().isClosing());
    }
}
