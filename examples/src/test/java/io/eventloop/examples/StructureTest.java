package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructureTest {
    @Test
    void theOtherAwaitEndsFirstAndEverythingOverlaps() throws Exception {
        List<String> lines = Outputs.run(Structure::main);
        assertEquals(5, lines.size(), lines::toString);
        assertEquals(List.of("some_other_coro finished", "result: some_other_coro", "coro1 finished", "coro2 finished"),
                lines.subList(0, 4));
        assertTrue(lines.get(4).startsWith("gathered [coro1, coro2] in "), lines::toString);
        double took = Outputs.unscaledSeconds(lines.get(4));
        assertTrue(took >= 1.9 && took < 2.8, "about the longest wait (2 s), not the sum (3.5 s): " + lines);
    }
}
