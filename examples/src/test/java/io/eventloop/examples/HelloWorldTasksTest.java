package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelloWorldTasksTest {
    @Test
    void helloAndWorldTogetherInAboutOneSecond() throws Exception {
        List<String> lines = Outputs.run(HelloWorldTasks::main);
        assertEquals(3, lines.size(), lines::toString);
        assertEquals(List.of("Hello", "World"), lines.subList(0, 2));
        double took = Outputs.unscaledSeconds(lines.get(2));
        assertTrue(took >= 0.95 && took < 1.6, "about 1 s, not 2 s: " + lines);
    }
}
