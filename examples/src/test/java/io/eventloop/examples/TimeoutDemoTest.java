package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutDemoTest {
    @Test
    void theFiveSecondJobTimesOutAfterAboutOneSecond() throws Exception {
        List<String> lines = Outputs.run(TimeoutDemo::main);
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("Timed out!", lines.get(0));
        double waited = Outputs.unscaledSeconds(lines.get(1));
        assertTrue(waited >= 0.95 && waited < 2.5, "gave up after the 1 s timeout, well before the 5 s job: " + lines);
    }
}
