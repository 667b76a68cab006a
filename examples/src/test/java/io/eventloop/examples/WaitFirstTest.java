package io.eventloop.examples;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The program on fake time: it returns exactly when the 1 s fetch ends. */
@EventLoopTest
class WaitFirstTest {
    @Test
    void theFastestFinishesAndTheOthersEndCancelled(TestClock clock) throws Exception {
        List<String> lines = Outputs.lines(() -> assertCompletes(WaitFirst.main(Outputs.UNSCALED)));
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("first done: url-1 -> page of url-1 after "), lines::toString);
        assertEquals(Duration.ofSeconds(1), clock.elapsed(), "returns when the 1 s fetch ends, before the 2 s one");
        assertEquals(List.of("url-2 cancelled", "url-3 cancelled"), lines.subList(1, 3));
    }
}
