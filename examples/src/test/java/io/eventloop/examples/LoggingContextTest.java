package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LoggingContextTest {
    /** "id [thread] METHOD /path what happened". */
    private static final Pattern LINE = Pattern.compile("(\\S+) +\\[([^\\]]+)\\] +(GET /users/7|POST /orders|GET /health) (.*)");
    private static final Map<String, String> IDS = Map.of("GET /users/7", "a3f1", "POST /orders", "7c02", "GET /health", "e9b4");

    @Test
    void everyLineOfARequestCarriesItsIdOnTheLoopAndOnTheWorkerThread() throws Exception {
        List<String> lines = Outputs.run(LoggingContext::main);

        assertEquals(2 + 3 * 5, lines.size(), () -> String.join("\n", lines));
        assertTrue(lines.get(0).matches("- +\\[main\\] +serving 3 requests"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).matches("- +\\[main\\] +all 3 requests answered"), lines.get(lines.size() - 1));
        for (String line : lines.subList(1, lines.size() - 1)) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals(IDS.get(m.group(3)), m.group(1), () -> "the id beside " + m.group(3) + ": " + String.join("\n", lines));
            boolean onWorker = m.group(4).startsWith("loading from the database");
            assertEquals(onWorker, m.group(2).startsWith("eventloop-executor-"), line);
            assertEquals(!onWorker, m.group(2).equals("main"), line);
        }
        // The requests interleave: the quickest to authorise is answered first, though it came second.
        assertTrue(lines.get(1).contains("GET /users/7 received") && lines.get(4).contains("POST /orders authorised"),
                () -> String.join("\n", lines));
    }
}
