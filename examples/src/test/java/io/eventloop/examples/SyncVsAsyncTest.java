package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

public class SyncVsAsyncTest {
    private static final Pattern LINE = Pattern.compile("\\[(.*)] (\\d+\\.\\d+)s");

    @Test
    void gatheredJobsRunAtLeastThreeTimesFasterThanSequentialOnes() throws Exception {
        String out = capture(() -> SyncVsAsync.main(new String[] {"--scale", "0.2"}));
        String[] lines = out.strip().split("\\R");
        assertEquals(2, lines.length, out);
        Matcher sync = LINE.matcher(lines[0]);
        Matcher async = LINE.matcher(lines[1]);
        assertTrue(sync.matches() && async.matches(), out);
        assertEquals("sync 0, sync 1, sync 2, sync 3, sync 4", sync.group(1));
        assertEquals("async 0, async 1, async 2, async 3, async 4", async.group(1));
        double ratio = Double.parseDouble(sync.group(2)) / Double.parseDouble(async.group(2));
        assertTrue(ratio >= 3, "concurrent run should be at least 3x faster: " + out);
    }

    @Test
    void helloReturnsItsGreeting() throws Exception {
        assertEquals("Hello, eventloop!", capture(() -> Hello.main(new String[] {"--scale", "0.2"})).strip());
    }

    public interface Body {
        void run() throws Exception;
    }

    public static String capture(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
