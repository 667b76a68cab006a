package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncIteratorDemoTest {
    @Test
    void asyncRangeCountsOneToFive() throws Exception {
        assertEquals(List.of("1", "2", "3", "4", "5"), Outputs.run(AsyncIteratorDemo::main));
    }
}
