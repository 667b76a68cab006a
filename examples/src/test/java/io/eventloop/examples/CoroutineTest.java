package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoroutineTest {
    @Test
    void runAwaitAndAHotCallThatNobodyAwaits() throws Exception {
        assertEquals(List.of(
                "-- EventLoop.run(myCoroutine)", "Start", "End", "returned result",
                "-- awaited in main", "Start", "End", "result",
                "-- called, not awaited", "Start", "called without waiting; done: false"),
                Outputs.run(Coroutine::main));
    }
}
