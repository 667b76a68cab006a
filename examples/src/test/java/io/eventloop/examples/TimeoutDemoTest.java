package io.eventloop.examples;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The program on fake time: the timeout is exact, and the test takes no wall time. */
@EventLoopTest
class TimeoutDemoTest {
    @Test
    void theFiveSecondJobTimesOutAfterExactlyOneSecond(TestClock clock) throws Exception {
        List<String> lines = Outputs.lines(() -> assertCompletes(TimeoutDemo.main(Outputs.UNSCALED)));
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("Timed out!", lines.get(0));
        assertTrue(lines.get(1).startsWith("gave up after "), lines::toString);
        assertEquals(Duration.ofSeconds(1), clock.elapsed(), "gave up at the 1 s timeout, not after the 5 s job");
    }
}
