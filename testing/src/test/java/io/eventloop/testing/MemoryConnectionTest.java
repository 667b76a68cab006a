package io.eventloop.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import io.eventloop.net.Connection;
import io.eventloop.net.Protocol;
import io.eventloop.net.StreamReader;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryConnectionTest {
    private EventLoop loop;
    /** What reached the loop's exception handler. */
    private final List<ErrorContext> reported = new ArrayList<>();
    /** Both recorders write here, each line prefixed with its side. */
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
        loop.setExceptionHandler((l, context) -> reported.add(context));
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    // ------------------------------------------------------------------ pair

    @Test
    void connectionMadeIsCalledOnBothEndsClientFirstBeforePairReturns() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        assertEquals(List.of("client made", "server made"), log);
        assertSame(c.client(), ((Recorder) c.client().protocol()).transport);
        assertSame(c.server(), ((Recorder) c.server().protocol()).transport);
    }

    @Test
    void echoProtocolSendsBackWhatTheClientWrote() {
        Recorder client = new Recorder("client");
        MemoryConnection c = MemoryConnection.pair(loop, client, new Echo());

        c.client().write("hello".getBytes(UTF_8));
        step(2); // one iteration to the server, one back

        assertEquals(List.of("client made", "client data hello"), log);
    }

    @Test
    void writeIsDeliveredByALoopCallbackNeverInsideWrite() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        c.client().write("hi".getBytes(UTF_8));
        assertEquals(List.of("client made", "server made"), log);
        assertEquals(2, c.client().writeBufferSize());

        step(1);
        assertEquals(List.of("client made", "server made", "server data hi"), log);
        assertEquals(0, c.client().writeBufferSize());
    }

    @Test
    void writtenBytesAreCopiedSoTheCallerMayReuseItsBuffer() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));
        byte[] bytes = "abc".getBytes(UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);

        c.client().write(buffer);
        assertEquals(0, buffer.position()); // left as it was, as Transport.write promises
        bytes[0] = 'x';
        step(1);

        assertEquals("server data abc", log.get(2));
    }

    @Test
    void eachWriteIsDeliveredWholeByDefault() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        c.client().write("ab".getBytes(UTF_8));
        c.client().write("cde".getBytes(UTF_8));
        step(1);

        assertEquals(List.of("server data ab", "server data cde"), log.subList(2, log.size()));
    }

    @Test
    void fragmentDeliversExactlyTheChosenChunkSizesInOrderRestartingTheCycleEachWrite() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"),
                MemoryConnection.Options.defaults().fragment(1, 2, 3));

        c.client().write("abcdefghij".getBytes(UTF_8));
        c.client().write("xyz".getBytes(UTF_8));
        step(1); // without lockstep, everything buffered goes in one callback

        assertEquals(List.of("server data a", "server data bc", "server data def", "server data g",
                "server data hi", "server data j", "server data x", "server data yz"), log.subList(2, log.size()));
    }

    @Test
    void lockstepDeliversOneChunkPerIteration() {
        Recorder server = new Recorder("server");
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), server,
                MemoryConnection.Options.defaults().fragment(1).lockstep(true));

        c.client().write("abcd".getBytes(UTF_8));
        List<String> received = new ArrayList<>();
        List<Long> buffered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loop.runOnce(Duration.ZERO);
            received.add(server.data.toString());
            buffered.add(c.client().writeBufferSize());
        }

        assertEquals(List.of("a", "ab", "abc", "abcd"), received);
        assertEquals(List.of(3L, 2L, 1L, 0L), buffered);
    }

    @Test
    void lockstepDeliversTheEofInAnIterationOfItsOwn() {
        Recorder server = new Recorder("server");
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), server,
                MemoryConnection.Options.defaults().lockstep(true));

        c.client().write("ab".getBytes(UTF_8));
        c.client().writeEof();
        step(1);
        assertEquals(List.of("server data ab"), log.subList(2, log.size()));
        step(1);
        assertEquals(List.of("server data ab", "server eof"), log.subList(2, log.size()));
    }

    @Test
    void aReaderThatPausesMakesTheWriterPauseAboveHighWaterAndResumeOnceDrained() {
        Recorder client = new Recorder("client");
        Recorder server = new Recorder("server");
        MemoryConnection c = MemoryConnection.pair(loop, client, server);
        c.server().pauseReading();
        log.clear();

        c.client().write(new byte[64 * 1024]);
        assertEquals(List.of(), log, "at the high-water mark, not above it");
        c.client().write(new byte[1]);
        c.client().write(new byte[1]);
        assertEquals(List.of("client pause"), log, "once, however many writes follow");
        assertEquals(64 * 1024 + 2, c.client().writeBufferSize());

        step(3);
        assertEquals(List.of("client pause"), log, "nothing reaches a paused reader");
        assertEquals(0, server.data.length());

        c.server().resumeReading();
        assertEquals(List.of("client pause"), log, "resumeReading delivers on a later iteration");
        step(1);

        assertEquals(64 * 1024 + 2, server.data.length());
        assertEquals(0, c.client().writeBufferSize());
        assertEquals(List.of("client pause", "server data 65536 bytes", "client resume", "server data 1 bytes",
                "server data 1 bytes"), log, "resumed as soon as the buffer is at the low-water mark");
    }

    @Test
    void writeBufferLimitsOptionSetsTheWaterMarksOfBothEnds() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"),
                MemoryConnection.Options.defaults().writeBufferLimits(4, 1));
        log.clear();

        assertEquals(4, c.server().writeBufferHighWaterMark());
        assertEquals(1, c.client().writeBufferLowWaterMark());
        c.client().write(new byte[5]);
        assertEquals(List.of("client pause"), log);
        step(1);
        assertEquals(List.of("client pause", "server data 5 bytes", "client resume"), log);
    }

    @Test
    void flushedCompletesOnceThePeerHasTheBytes() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        c.client().write("abc".getBytes(UTF_8));
        Future<Void> flushed = c.client().flushed();
        assertFalse(flushed.isDone());
        step(1);

        assertTrue(flushed.isDone());
        assertNull(flushed.exception());
    }

    // ------------------------------------------------------------------ closing

    @Test
    void writeEofHalfClosesAndThePeerMayStillAnswer() {
        Recorder server = new Recorder("server") {
            @Override
            public boolean eofReceived() {
                super.eofReceived();
                transport.write("bye".getBytes(UTF_8));
                transport.close();
                return true;
            }
        };
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), server);

        c.client().write("hi".getBytes(UTF_8));
        c.client().writeEof();
        assertTrue(c.client().canWriteEof());
        assertFalse(c.client().isClosing(), "a half-closed end is still open");
        assertThrows(IllegalStateException.class, () -> c.client().write(new byte[1]));
        step(4);

        assertEquals(List.of("client made", "server made", "server data hi", "server eof", "client data bye",
                "client eof", "server lost null", "client lost null"), log);
    }

    @Test
    void eofReceivedReturningFalseClosesThatEnd() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        c.client().writeEof();
        step(1);
        assertTrue(c.server().isClosing());
        step(2);

        assertEquals(List.of("client made", "server made", "server eof", "server lost null", "client eof",
                "client lost null"), log);
    }

    @Test
    void gracefulCloseDeliversBufferedBytesBeforeConnectionLostOnBothEnds() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));
        c.server().pauseReading();

        c.client().write("abc".getBytes(UTF_8));
        c.client().close();
        assertTrue(c.client().isClosing());
        step(3);
        assertEquals(List.of("client made", "server made"), log, "closing waits for the bytes to be delivered");

        c.server().resumeReading();
        step(3);

        assertEquals(List.of("client made", "server made", "server data abc", "server eof", "client lost null",
                "server lost null"), log);
    }

    @Test
    void abortDropsBufferedBytesAndThePeerReadsEof() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));
        c.server().pauseReading();
        c.client().write("abc".getBytes(UTF_8));
        Future<Void> flushed = c.client().flushed();

        c.client().abort();
        assertEquals(0, c.client().writeBufferSize());
        c.server().resumeReading();
        step(3);

        assertEquals(List.of("client made", "server made", "server eof", "client lost null", "server lost null"), log);
        assertInstanceOf(ClosedChannelException.class, flushed.exception());
    }

    @Test
    void resetGivesBothEndsConnectionLostWithAnIoExceptionAndDropsUndeliveredBytes() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));
        c.client().write("abc".getBytes(UTF_8));
        Future<Void> flushed = c.client().flushed();

        c.reset();
        assertTrue(c.client().isClosing());
        assertTrue(c.server().isClosing());
        step(2);

        assertEquals(List.of("client made", "server made", "client lost IOException: Connection reset by peer",
                "server lost IOException: Connection reset by peer"), log);
        assertEquals("Connection reset by peer", flushed.exception().getMessage());
    }

    @Test
    void writingAfterALocalCloseThrowsAndAfterLosingTheConnectionIsDropped() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        c.client().close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.client().write(new byte[1]));
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        c.client().close(); // idempotent
        step(2);

        assertTrue(c.server().isClosing(), "the server read EOF and closed");
        c.server().write(new byte[1]); // not closed locally: dropped, as asyncio drops it
        assertEquals(0, c.server().writeBufferSize());
    }

    @Test
    void bytesSentToAnEndThatClosedAreDroppedWithoutAReset() {
        Recorder client = new Recorder("client") {
            @Override
            public boolean eofReceived() {
                super.eofReceived();
                return true; // stay half-open and keep writing
            }
        };
        MemoryConnection c = MemoryConnection.pair(loop, client, new Recorder("server"));

        c.server().close();
        step(2);
        c.client().write("late".getBytes(UTF_8));
        step(2);

        assertEquals(0, c.client().writeBufferSize());
        assertFalse(c.client().isClosing());
        assertEquals(List.of("client made", "server made", "server lost null", "client eof"), log);
    }

    @Test
    void aProtocolThatThrowsIsReportedAndLosesItsConnectionWithTheException() {
        IllegalStateException boom = new IllegalStateException("boom");
        Recorder server = new Recorder("server") {
            @Override
            public void dataReceived(ByteBuffer data) {
                throw boom;
            }
        };
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), server);

        c.client().write("x".getBytes(UTF_8));
        step(3);

        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertEquals(List.of("client made", "server made", "server lost IllegalStateException: boom", "client eof",
                "client lost null"), log);
    }

    // ------------------------------------------------------------------ the rest of Transport

    @Test
    void addressesAreMadeUpLoopbackOnesMirroredBetweenTheEnds() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        assertEquals(new InetSocketAddress("127.0.0.1", 1), c.server().localAddress());
        assertEquals(new InetSocketAddress("127.0.0.1", 2), c.client().localAddress());
        assertEquals(c.server().localAddress(), c.client().remoteAddress());
        assertEquals(c.client().localAddress(), c.server().remoteAddress());

        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 6000);
        MemoryConnection d = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"),
                MemoryConnection.Options.defaults().addresses(a, b));
        assertEquals(a, d.client().localAddress());
        assertEquals(b, d.server().localAddress());
    }

    @Test
    void socketOptionsAreRememberedNotApplied() throws IOException {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        assertNull(c.client().getOption(StandardSocketOptions.TCP_NODELAY));
        c.client().setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertEquals(Boolean.TRUE, c.client().getOption(StandardSocketOptions.TCP_NODELAY));
        assertNull(c.server().getOption(StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    void ofFindsThePairOfATransport() {
        MemoryConnection c = MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));

        assertSame(c, MemoryConnection.of(c.server()));
        assertSame(loop, c.client().loop());
    }

    @Test
    void pairFromAnotherThreadThrows() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                MemoryConnection.pair(loop, new Recorder("client"), new Recorder("server"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join();

        assertInstanceOf(IllegalStateException.class, thrown.get());
    }

    // ------------------------------------------------------------------ options

    @Test
    void badOptionValuesThrowNamingTheValue() {
        MemoryConnection.Options o = MemoryConnection.Options.defaults();

        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.fragment(0)).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.fragment(3, -2)).getMessage()
                .contains("got -2 at index 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.fragment()).getMessage().contains("none"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.writeBufferLimits(1, 2)).getMessage()
                .contains("high=1, low=2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.writeBufferLimits(4, -1)).getMessage()
                .contains("low=-1"));
    }

    @Test
    void optionsAreImmutable() {
        MemoryConnection.Options o = MemoryConnection.Options.defaults();
        int[] sizes = {2};
        MemoryConnection.Options p = o.fragment(sizes).lockstep(true);
        sizes[0] = 9;

        assertEquals(0, o.fragments().length);
        assertFalse(o.lockstep());
        assertEquals(2, p.fragments()[0]);
        assertTrue(p.lockstep());
    }

    // ------------------------------------------------------------------ streams

    @Test
    void streamsServesALineEchoHandlerEvenWithOneByteFragments() {
        List<String> serverLines = new ArrayList<>();
        Connection c = MemoryConnection.streams(loop, (reader, writer) -> Async.repeat(() -> reader.readLine()
                .map(line -> {
                    if (line == null) {
                        return false;
                    }
                    serverLines.add(line);
                    writer.write(line.toUpperCase() + "\n");
                    return true;
                })), MemoryConnection.Options.defaults().fragment(1));

        c.writer().write("first\nsecond\r\nthird\n");
        List<String> lines = loop.runUntilComplete(readLines(c.reader(), 3));

        assertEquals(List.of("first", "second", "third"), serverLines);
        assertEquals(List.of("FIRST", "SECOND", "THIRD"), lines);
        assertEquals(List.of(), reported);
    }

    @Test
    void theHandlersFutureCompletingClosesTheConnectionAfterFlushing() {
        Connection c = MemoryConnection.streams(loop, (reader, writer) -> {
            writer.write("hello\nworld\n");
            return Async.completed(null);
        });

        List<String> lines = loop.runUntilComplete(readLines(c.reader(), 3));

        assertEquals(List.of("hello", "world"), lines.subList(0, 2));
        assertNull(lines.get(2), "EOF after the handler's bytes");
        assertTrue(c.reader().atEof());
        c.writer().close();
        loop.runUntilComplete(c.writer().waitClosed());
    }

    @Test
    void theClientClosingEndsTheHandlersReadsWithEof() {
        Connection c = MemoryConnection.streams(loop, (reader, writer) -> reader.readLine().map(line -> {
            writer.write("got " + line + "\n");
            return null;
        }));

        c.writer().write("a");
        c.writer().writeEof();
        List<String> lines = loop.runUntilComplete(readLines(c.reader(), 2));

        assertEquals(java.util.Arrays.asList("got a", null), lines);
    }

    @Test
    void aHandlerFailureIsReportedAndOnlyClosesItsConnection() {
        IllegalStateException boom = new IllegalStateException("boom");
        Connection c = MemoryConnection.streams(loop, (reader, writer) -> Async.failed(boom));

        assertNull(loop.runUntilComplete(c.reader().readLine()));

        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
    }

    @Test
    void aHandlerEndingWithTheConnectionsResetIsNotReported() {
        Connection c = MemoryConnection.streams(loop, (reader, writer) -> reader.readLine());

        loop.runOnce(Duration.ZERO); // the handler starts and waits for a line
        MemoryConnection.of(c.writer().transport()).reset();
        Future<Void> closed = c.writer().waitClosed();
        step(3);

        assertEquals("Connection reset by peer", closed.exception().getMessage());
        assertEquals(List.of(), reported);
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code n} iterations without waiting for I/O (there is none). */
    private void step(int n) {
        for (int i = 0; i < n; i++) {
            loop.runOnce(Duration.ZERO);
        }
    }

    /** Reads {@code n} lines in turn; a null in the list is EOF. */
    private static Future<List<String>> readLines(StreamReader reader, int n) {
        List<String> lines = new ArrayList<>();
        return Async.repeat(() -> reader.readLine().map(line -> {
            lines.add(line);
            return lines.size() < n && line != null;
        })).map(v -> lines);
    }

    /** Echoes every byte back. */
    private static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /** Writes each event to {@link #log}, prefixed with its side; keeps what it received. */
    private class Recorder implements Protocol {
        final String side;
        final StringBuilder data = new StringBuilder();
        Transport transport;

        Recorder(String side) {
            this.side = side;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            log.add(side + " made");
        }

        @Override
        public void dataReceived(ByteBuffer bytes) {
            String s = UTF_8.decode(bytes.duplicate()).toString();
            data.append(s);
            log.add(side + " data " + (s.chars().allMatch(ch -> ch == 0) ? s.length() + " bytes" : s));
        }

        @Override
        public boolean eofReceived() {
            log.add(side + " eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable cause) {
            log.add(side + " lost " + (cause == null ? "null" : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        }

        @Override
        public void pauseWriting() {
            log.add(side + " pause");
        }

        @Override
        public void resumeWriting() {
            log.add(side + " resume");
        }
    }
}
