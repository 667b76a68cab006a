package io.eventloop.examples.http;

import static io.eventloop.examples.SyncVsAsyncTest.capture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void fetchUrlsPrintsAPreviewOfEachBody() throws Exception {
        String out = capture(() -> FetchUrls.main(new String[0]));
        assertTrue(out.startsWith("{\n  \"method\": \"GET\",\n  \"path\": \"/get\""), out);
        assertTrue(out.contains("\nHello, World!\n"), out);
        String[] lines = out.split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.length() <= 100 && !last.isEmpty(), out);
    }

    @Test
    void aPreviewIsAtMostAHundredCharactersWithControlsShownAsDots() {
        assertEquals("a.b\nc", FetchUrls.preview("a\u0001b\nc"));
        assertEquals(100, FetchUrls.preview("x".repeat(500)).length());
    }
}
