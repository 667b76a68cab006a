package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadBlockingTest {
    @Test
    void twoBlockingCallsOnTheExecutorOverlap() throws Exception {
        // Threads of a fresh executor take a while to start: at half scale that stays small
        // next to the 0.5 s the second call would add if the calls did not overlap.
        List<String> lines = Outputs.runScaled(0.5, OffloadBlocking::main);
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("[9, 16]", lines.get(0));
        double took = Outputs.unscaledSeconds(lines.get(1)) * Outputs.SCALE / 0.5;
        assertTrue(took >= 0.95 && took < 1.7, "two 1 s calls should take about one, not two: " + lines);
        assertEquals("done", lines.get(2));
    }
}
