package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerConsumerTest {
    @Test
    void threeConsumersTakeTheTenItemsInTurnAndTheProgramEnds() throws Exception {
        assertEquals(List.of(
                "C0 processed task-0", "C1 processed task-1", "C2 processed task-2",
                "C0 processed task-3", "C1 processed task-4", "C2 processed task-5",
                "C0 processed task-6", "C1 processed task-7", "C2 processed task-8",
                "C0 processed task-9"), Outputs.run(ProducerConsumer::main));
    }
}
