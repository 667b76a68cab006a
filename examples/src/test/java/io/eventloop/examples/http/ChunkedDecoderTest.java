package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one chunked decoder the server and the client share, fed whole and byte by byte. */
class ChunkedDecoderTest {
    private static final String BODY = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";

    private final ByteArrayOutputStream decoded = new ByteArrayOutputStream();

    private ChunkedDecoder decoder() {
        return new ChunkedDecoder(1024, 1000, 1 << 20);
    }

    /** Feeds {@code text} in pieces of {@code step} bytes, as a buffer that keeps what was not consumed; returns where decoding stopped. */
    private int feed(ChunkedDecoder d, String text, int step) throws BadMessageException {
        byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
        int consumed = 0;
        for (int end = Math.min(step, all.length); ; end = Math.min(end + step, all.length)) {
            consumed = d.decode(all, consumed, end, (b, from, n) -> decoded.write(b, from, n));
            if (d.isDone() || end == all.length) {
                return consumed;
            }
        }
    }

    @Test
    void aBodyDecodesTheSameWholeAndByteByByteAndStopsAtItsEnd() throws Exception {
        for (int step : new int[] {1, 2, 3, 7, BODY.length()}) {
            decoded.reset();
            ChunkedDecoder d = decoder();
            int stop = feed(d, BODY, step);
            assertTrue(d.isDone(), "step " + step);
            assertEquals("hello, world", decoded.toString(StandardCharsets.ISO_8859_1), "step " + step);
            assertEquals(BODY.indexOf("NEXT"), stop, "step " + step);
        }
    }

    @Test
    void aBareLfSizeLineIsRefusedAtOnceNotWaitedOn() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "5\nhello\n0\n\n", 100));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("bare LF"), e.getMessage());
    }

    @Test
    void aBareLfTrailerIsRefused() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "0\r\nX: y\n\r\n", 1));
        assertEquals(400, e.status());
    }

    @Test
    void trailerFieldsCountTogetherAgainstTheirLimit() {
        String many = "0\r\n" + "X: y\r\n".repeat(200) + "\r\n"; // 1,200 bytes of short lines, limit 1,000
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), many, 64));
        assertEquals(431, e.status());
    }

    @Test
    void anUnfinishedTrailerLineCountsAgainstTheLimitToo() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "0\r\nX: " + "y".repeat(2000), 100));
        assertEquals(431, e.status());
    }

    @Test
    void chunkDataMustEndInCrlf() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "3\r\nabcXY0\r\n\r\n", 100));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("CRLF"), e.getMessage());
    }

    @Test
    void aLongSizeLineIsRefusedBeforeItEnds() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "5;" + "e".repeat(2000), 10));
        assertEquals(400, e.status());
    }

    @Test
    void sizesOverTheBodyLimitAreRefusedWithoutOverflowing() {
        BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), "fffffffffffffffffffff\r\n", 100));
        assertEquals(413, e.status());
        BadMessageException sum = assertThrows(BadMessageException.class,
                () -> feed(new ChunkedDecoder(1024, 1000, 10), "6\r\nabcdef\r\n6\r\n", 100));
        assertEquals(413, sum.status());
    }

    @Test
    void aSizeWithGarbageIsRefused() {
        for (String bad : new String[] {"zz\r\n", "\r\n", "5 x\r\n", "5 \r\n", "-5\r\n", "0x5\r\n"}) {
            BadMessageException e = assertThrows(BadMessageException.class, () -> feed(decoder(), bad, 100), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void nothingIsDecodedPastTheEndUntilMoreComes() throws Exception {
        ChunkedDecoder d = decoder();
        assertEquals(6, feed(d, "5\r\nhel", 100));
        assertFalse(d.isDone());
        assertEquals("hel", decoded.toString(StandardCharsets.ISO_8859_1));
    }
}
