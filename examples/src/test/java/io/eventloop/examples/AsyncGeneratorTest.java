package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncGeneratorTest {
    @Test
    void asyncCounterYieldsZeroToFour() throws Exception {
        assertEquals(List.of("0", "1", "2", "3", "4"), Outputs.run(AsyncGenerator::main));
    }
}
