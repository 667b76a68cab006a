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
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BEHAVIOURS L.108–L.115, with bytes fed by hand as asyncio's test_streams does. */
@ExtendWith(NoLeaks.class)
class StreamReaderTest {
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private StreamReader reader(int limit, String... chunks) {
        StreamReader r = new StreamReader(loop, limit);
        for (String c : chunks) {
            r.feedData(b(c));
        }
        return r;
    }

    @Test
    void aTaskWaitingOnAReadSaysWhichReadInItsDescription() {
        StreamReader r = reader(100);
        Task<String> t = loop.createTask("reader", r::readLine);
        loop.runUntilComplete(Async.yieldNow());
        String described = t.toString(); // "created at ..." in between when the suite runs in debug mode
        assertTrue(described.startsWith("Task[reader, pending, ")
                && described.endsWith(", waiting on StreamReader.readLine[pending]]"), described);
        r.feedEof();
        assertNull(loop.runUntilComplete(t));
    }

    // L.108
    @Test
    void aLimitOfZeroOrLessIsRejectedAndTheDefaultIs64KiB() {
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(loop, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(loop, -1));
        assertEquals(65536, new StreamReader(loop, StreamReader.DEFAULT_LIMIT).limit());
        assertEquals(65536, new StreamReader().limit());
    }

    // L.109
    @Test
    void readLineReturnsTheLineWithoutItsTerminatorThePartialLastLineThenNull() {
        StreamReader r = reader(100, "line1\nline", "2\r\nlast");
        r.feedEof();
        assertEquals("line1", await(loop, r.readLine()));
        assertEquals("line2", await(loop, r.readLine()));
        assertEquals("last", await(loop, r.readLine()));
        assertNull(await(loop, r.readLine()));
        assertTrue(r.atEof());
    }

    @Test
    void readUntilNewlineIsTheRawFormWithTheSeparator() {
        StreamReader r = reader(100, "line1\r\nrest");
        assertEquals("line1\r\n", s(await(loop, r.readUntil(b("\n")))));
        assertEquals(4, r.buffered());
    }

    @Test
    void readLineWaitsForTheRestOfALine() {
        StreamReader r = reader(100, "hal");
        Future<String> line = r.readLine();
        assertFalse(line.isDone());
        loop.callLater(Duration.ofMillis(1), () -> r.feedData(b("f\n")));
        assertEquals("half", await(loop, line));
    }

    // L.110
    @Test
    void aLineAsLongAsTheLimitIsAcceptedOneByteMoreFails() {
        StreamReader r = reader(7, "1234567\n12345678\nabc\n");
        assertEquals("1234567", await(loop, r.readLine()));
        Throwable e = NetTesting.failure(loop, r.readLine());
        assertInstanceOf(LimitOverrunException.class, e);
        assertEquals("abc", await(loop, r.readLine()), "the long line was dropped through its separator");
    }

    @Test
    void anOverlongLineWithoutSeparatorClearsTheBuffer() {
        StreamReader r = reader(7, "12345678");
        assertInstanceOf(LimitOverrunException.class, NetTesting.failure(loop, r.readLine()));
        assertEquals(0, r.buffered());
        r.feedData(b("9\nnext\n"));
        assertEquals("9", await(loop, r.readLine()), "the tail of the long line comes as a line");
        assertEquals("next", await(loop, r.readLine()));
    }

    @Test
    void anOverlongLineArrivingInPiecesFailsOnceItPassesTheLimit() {
        StreamReader r = reader(3, "li");
        Future<String> line = r.readLine();
        r.feedData(b("ne1\nline2\n"));
        assertInstanceOf(LimitOverrunException.class, NetTesting.failure(loop, line));
        r.feedEof();
        assertInstanceOf(LimitOverrunException.class, NetTesting.failure(loop, r.readLine()), "line2 is 5 bytes");
    }

    // L.111
    @Test
    void readUntilBeyondTheLimitFailsAndLeavesTheBufferIntact() {
        StreamReader r = reader(3, "aaaaa!");
        LimitOverrunException found = (LimitOverrunException) NetTesting.failure(loop, r.readUntil(b("!")));
        assertTrue(found.getMessage().contains("is found"), found.getMessage());
        assertEquals(5, found.consumed());
        assertTrue(found.separatorFound());
        assertEquals(6, r.buffered());
        StreamReader r2 = reader(3, "aaaaa");
        LimitOverrunException notFound = (LimitOverrunException) NetTesting.failure(loop, r2.readUntil(b("!")));
        assertTrue(notFound.getMessage().contains("not found"), notFound.getMessage());
        assertFalse(notFound.separatorFound());
        assertEquals(5, r2.buffered());
    }

    @Test
    void anEmptySeparatorIsRejected() {
        StreamReader r = reader(10, "abc");
        assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0]));
    }

    @Test
    void aSeparatorSplitAcrossChunksIsFound() {
        StreamReader r = reader(100, "ab!");
        Future<byte[]> f = r.readUntil(b("!@#"));
        assertFalse(f.isDone());
        r.feedData(b("@"));
        r.feedData(b("#cd"));
        assertEquals("ab!@#", s(await(loop, f)));
        assertEquals("cd", s(await(loop, r.read(10))));
    }

    // L.112
    @Test
    void readExactlyAtEofFailsWithThePartialBytesAndEmptiesTheBuffer() {
        String data = "chunk1\nchunk2\nchu";
        StreamReader r = reader(100, data);
        Future<byte[]> f = r.readExactly(36);
        r.feedEof();
        IncompleteReadException e = (IncompleteReadException) NetTesting.failure(loop, f);
        assertEquals("17 bytes read on a total of 36 expected bytes", e.getMessage());
        assertArrayEquals(b(data), e.partial());
        assertEquals(36, e.expected());
        assertEquals(0, r.buffered());
        assertInstanceOf(java.io.EOFException.class, e);
    }

    @Test
    void theMessageCountsWhatWasReadAndExpected() {
        StreamReader r = reader(100, "123456789012345678");
        r.feedEof();
        IncompleteReadException e = (IncompleteReadException) NetTesting.failure(loop, r.readExactly(36));
        assertEquals("18 bytes read on a total of 36 expected bytes", e.getMessage());
    }

    @Test
    void readUntilAtEofFailsWithThePartialBytesAndNoExpectedSize() {
        StreamReader r = reader(100, "no separator");
        r.feedEof();
        IncompleteReadException e = (IncompleteReadException) NetTesting.failure(loop, r.readUntil(b("\n")));
        assertNull(e.expected());
        assertEquals("no separator", s(e.partial()));
        assertEquals("12 bytes read on a total of undefined expected bytes", e.getMessage());
        assertEquals(0, r.buffered());
    }

    @Test
    void readExactlyZeroIsEmptyAndNegativeIsRejected() {
        StreamReader r = reader(100, "abc");
        assertEquals(0, await(loop, r.readExactly(0)).length);
        assertThrows(IllegalArgumentException.class, () -> r.readExactly(-1));
        assertEquals(3, r.buffered());
    }

    // L.113
    @Test
    void readReturnsWhatIsThereWithoutWaitingToFill() {
        StreamReader r = reader(100, "abc");
        assertEquals("abc", s(await(loop, r.read(30))));
        Future<byte[]> waiting = r.read(30);
        assertFalse(waiting.isDone());
        r.feedData(b("de"));
        assertEquals("de", s(await(loop, waiting)));
        assertEquals(0, await(loop, r.read(0)).length);
    }

    @Test
    void readMinusOneReadsToEofAndReadAtEofIsEmpty() {
        StreamReader r = reader(2, "chunk1\n", "chunk2");
        Future<byte[]> all = r.read(-1);
        r.feedData(b("\nend"));
        r.feedEof();
        assertEquals("chunk1\nchunk2\nend", s(await(loop, all)));
        assertEquals(0, await(loop, r.read(10)).length);
        assertTrue(r.atEof());
    }

    @Test
    void theLimitDoesNotApplyToReadOrReadExactly() {
        StreamReader r = reader(3, "0123456789abcdefghij");
        assertEquals("0123456789", s(await(loop, r.readExactly(10))));
        assertEquals("abcdefghij", s(await(loop, r.read(10))));
    }

    // L.114
    @Test
    void setExceptionWakesAWaitingReadAndFailsLaterReads() {
        StreamReader r = reader(100);
        Future<byte[]> waiting = r.read(10);
        IOException boom = new IOException("reset");
        r.setException(boom);
        assertSame(boom, NetTesting.failure(loop, waiting));
        assertSame(boom, NetTesting.failure(loop, r.readLine()));
        assertSame(boom, NetTesting.failure(loop, r.readExactly(3)));
        assertSame(boom, r.exception());
    }

    @Test
    void aReadCancelledBeforeSetExceptionLeavesNoWaiterBehind() {
        StreamReader r = reader(100);
        Future<byte[]> cancelled = r.read(10);
        cancelled.cancel();
        r.setException(new IOException("later"));
        assertThrows(CancellationException.class, () -> await(loop, cancelled));
        assertFalse(r.toString().contains("waiting"), r::toString);
        assertInstanceOf(IOException.class, NetTesting.failure(loop, r.read(1)));
    }

    @Test
    void aCancelledReadLineConsumesNothing() {
        StreamReader r = reader(100, "par");
        Future<String> first = r.readLine();
        first.cancel();
        r.feedData(b("tial\n"));
        assertThrows(CancellationException.class, () -> await(loop, first));
        assertEquals("partial", await(loop, r.readLine()));
    }

    // L.115
    @Test
    void aSecondReadWhileOneWaitsIsRejected() {
        StreamReader r = reader(100);
        Future<String> first = r.readLine();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(1));
        assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
        r.feedData(b("x\n"));
        assertEquals("x", await(loop, first));
    }

    @Test
    void feedingAfterEofIsRejected() {
        StreamReader r = reader(100);
        r.feedEof();
        assertThrows(IllegalStateException.class, () -> r.feedData(b("late")));
    }
}
