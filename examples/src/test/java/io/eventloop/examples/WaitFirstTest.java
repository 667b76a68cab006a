package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaitFirstTest {
    @Test
    void theFastestFinishesAndTheOthersEndCancelled() throws Exception {
        List<String> lines = Outputs.run(WaitFirst::main);
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("first done: url-1 -> page of url-1 after "), lines::toString);
        double took = Outputs.unscaledSeconds(lines.get(0));
        assertTrue(took >= 0.95 && took < 1.6, "returns when the 1 s fetch ends, before the 2 s one: " + lines);
        assertEquals(List.of("url-2 cancelled", "url-3 cancelled"), lines.subList(1, 3));
    }
}
