package io.eventloop.examples.http;

import static io.eventloop.examples.SyncVsAsyncTest.capture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fetch examples, on their in-process server, scaled down; timing only as loose ratios. */
class FetchExamplesTest {
    private static final Pattern TIME = Pattern.compile("Time: (\\d+\\.\\d\\d)s");

    @Test
    void fetchDelaysPrintsStatusesInUrlOrderAndTakesAboutTheLongestDelay() throws Exception {
        String out = capture(() -> FetchDelays.main(new String[] {"--scale", "0.2"}));
        String[] lines = out.strip().split("\\R");
        assertEquals(4, lines.length, out);
        assertTrue(lines[0].matches("200 http://127\\.0\\.0\\.1:\\d+/delay/0\\.2"), out);
        assertTrue(lines[1].matches("200 http://127\\.0\\.0\\.1:\\d+/delay/0\\.4"), out);
        assertTrue(lines[2].matches("200 http://127\\.0\\.0\\.1:\\d+/delay/0\\.6"), out);
        Matcher m = Pattern.compile("elapsed: (\\d+\\.\\d\\d)s").matcher(lines[3]);
        assertTrue(m.matches(), out);
        double elapsed = Double.parseDouble(m.group(1));
        // gathered: about 0.6 s, the longest; one after another would be 1.2 s
        assertTrue(elapsed >= 0.6 && elapsed < 1.2, out);
    }

    @Test
    void fetchSyncVsAsyncIsFasterGathered() throws Exception {
        String out = capture(() -> FetchSyncVsAsync.main(new String[] {"--count", "5", "--scale", "0.2"}));
        Matcher m = TIME.matcher(out);
        assertTrue(m.find(), out);
        double sync = Double.parseDouble(m.group(1));
        assertTrue(m.find(), out);
        double async = Double.parseDouble(m.group(1));
        assertTrue(out.startsWith("sync"), out);
        assertTrue(sync / async >= 2.5, "five gathered requests should be well over twice as fast: " + out);
    }

    @Test
    void fetchUrlsPrintsJsonDecodedTextAsItCameAndTheSizeOfBytes() throws Exception {
        String out = capture(() -> FetchUrls.main(new String[0]));
        String[] lines = out.split("\n");
        assertEquals(3, lines.length, out);
        // /get: decoded, then written back compactly, its first 100 characters
        assertTrue(lines[0].startsWith("{\"method\":\"GET\",\"path\":\"/get\",\"args\":{\"show\":\"preview\"},\"headers\":{"), out);
        assertEquals(100, lines[0].length(), out);
        assertEquals("Hello, World!", lines[1]);
        assertEquals("64 bytes (application/octet-stream)", lines[2]);
    }

    @Test
    void aReplyIsShownByItsContentType() throws Exception {
        byte[] json = "{\n  \"a\": [1, 2],\n  \"b\": null\n}\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"a\":[1,2],\"b\":null}", FetchUrls.show(reply("application/json", json)));
        assertEquals("{\"a\":[1,2],\"b\":null}", FetchUrls.show(reply("application/problem+json; charset=utf-8", json)));
        assertEquals("<p>hi</p>", FetchUrls.show(reply("text/html; charset=utf-8", "<p>hi</p>\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("3 bytes (image/png)", FetchUrls.show(reply("image/png", new byte[] {1, 2, 3})));
        assertEquals("2 bytes (no Content-Type)", FetchUrls.show(new HttpResponse(200, new HttpHeaders(), new byte[] {0, 1})));
    }

    @Test
    void aJsonReplyThatIsNotJsonFailsSayingWhereAndItsContentType() {
        IOException e = assertThrows(IOException.class,
                () -> FetchUrls.show(reply("application/json", "{\"a\": 1,}".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("the body is not JSON (Content-Type application/json): "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at line 1, column 9"), e.getMessage());
    }

    @Test
    void aPreviewIsAtMostAHundredCharactersWithControlsShownAsDotsAndNoFinalLineBreak() {
        assertEquals("a.b\nc", FetchUrls.preview("a\u0001b\nc\r\n"));
        assertEquals(100, FetchUrls.preview("x".repeat(500)).length());
    }

    private static HttpResponse reply(String contentType, byte[] body) {
        return new HttpResponse(200, HttpHeaders.of("Content-Type", contentType), body);
    }
}
