package io.eventloop.examples;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The program's two groups on fake time: their durations are exact. */
@EventLoopTest
class TaskGroupDemoTest {
    @Test
    void workersFinishByTheirWaitsInThreeSecondsNotSix(TestClock clock) throws Exception {
        List<String> lines = Outputs.lines(() -> assertCompletes(TaskGroupDemo.main(Outputs.UNSCALED)));
        assertEquals(List.of("Worker C finished", "Worker A finished", "Worker B finished"), lines.subList(0, 3));
        assertTrue(lines.get(3).startsWith("group done in "), lines::toString);
        assertEquals(4, lines.size(), lines::toString);
        assertEquals(Duration.ofSeconds(3), clock.elapsed(), "the longest wait, not the sum of them");
    }

    @Test
    void aFailureCancelsTheRestAndTheGroupRaisesIt(TestClock clock) throws Exception {
        List<String> lines = Outputs.lines(() -> assertCompletes(TaskGroupDemo.oneFails(Outputs.UNSCALED)));
        assertEquals(List.of("Worker B fails", "Worker A cancelled", "Worker C cancelled",
                "caught from the group: worker B broke"), lines);
        assertEquals(Duration.ofSeconds(1), clock.elapsed(), "B fails at 1 s and the others are cancelled then");
    }
}
