package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupDemoTest {
    @Test
    void workersFinishByTheirWaitsThenAFailureCancelsTheRest() throws Exception {
        List<String> lines = Outputs.run(TaskGroupDemo::main);
        assertEquals(8, lines.size(), lines::toString);
        assertEquals(List.of("Worker C finished", "Worker A finished", "Worker B finished"), lines.subList(0, 3));
        double took = Outputs.unscaledSeconds(lines.get(3));
        assertTrue(took >= 2.9 && took < 4.5, "about 3 s, not 6 s: " + lines);
        assertEquals(List.of("Worker B fails", "Worker A cancelled", "Worker C cancelled",
                "caught from the group: worker B broke"), lines.subList(4, 8));
    }
}
