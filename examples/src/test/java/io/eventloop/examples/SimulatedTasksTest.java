package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedTasksTest {
    @Test
    void tasksFinishInTheOrderTheirWaitsEndInAboutTheLongestWait() throws Exception {
        List<String> lines = Outputs.run(SimulatedTasks::main);
        assertEquals(4, lines.size(), lines::toString);
        assertEquals(List.of("Task 3 complete", "Task 1 complete", "Task 2 complete"), lines.subList(0, 3));
        double took = Outputs.unscaledSeconds(lines.get(3));
        assertTrue(took >= 2.9 && took < 4.5, "about 3 s, not 6 s: " + lines);
    }
}
