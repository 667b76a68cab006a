package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CancelCleanupTest {
    @Test
    void theTaskWorksThreeTimesThenCleansUpAndIsCancelled() throws Exception {
        assertEquals(List.of("working...", "working...", "working...", "cancelling: cleaning up...", "task cancelled"),
                Outputs.run(CancelCleanup::main));
    }
}
