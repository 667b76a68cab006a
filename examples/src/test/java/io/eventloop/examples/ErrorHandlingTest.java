package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {
    @Test
    void theErrorIsCaughtInsideThenHandledAfterGather() throws Exception {
        assertEquals(List.of("Caught exception: An error has occurred!", "Outcome: null",
                "risky failed: An error has occurred!", "safe returned 7"), Outputs.run(ErrorHandling::main));
    }
}
