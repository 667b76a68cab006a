package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CreateTaskTest {
    @Test
    void tasksStartAtOnceAndTheirWaitsOverlap() throws Exception {
        List<String> lines = Outputs.run(CreateTask::main);
        assertEquals(4, lines.size(), lines::toString);
        assertEquals(List.of("Tasks started", "<html>url1</html>", "<html>url2</html>"), lines.subList(0, 3));
        double took = Outputs.unscaledSeconds(lines.get(3));
        assertTrue(took >= 0.95 && took < 1.6, "two 1 s fetches in about 1 s: " + lines);
    }
}
