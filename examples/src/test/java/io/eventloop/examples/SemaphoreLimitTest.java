package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SemaphoreLimitTest {
    @Test
    void everyItemIsDoneOnceWithNeverMoreThanFiveAtOnce() throws Exception {
        List<String> lines = Outputs.run(SemaphoreLimit::main, "--seed", "7");
        assertEquals(32, lines.size(), lines::toString);
        List<String> done = new ArrayList<>(lines.subList(0, 30));
        done.sort(null);
        List<String> expected = IntStream.range(0, 30).mapToObj(i -> "done: item-" + i).sorted()
                .collect(Collectors.toList());
        assertEquals(expected, done);
        assertEquals("Total: 30", lines.get(30));
        assertEquals("at most 5 at once", lines.get(31));
    }
}
