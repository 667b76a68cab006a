package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LockCounterTest {
    @Test
    void theLockKeepsEveryIncrementAndWithoutItOnlyOneSurvives() throws Exception {
        assertEquals(List.of("Final counter value: 10", "without the lock: Final counter value: 1"),
                Outputs.run(LockCounter::main));
    }
}
