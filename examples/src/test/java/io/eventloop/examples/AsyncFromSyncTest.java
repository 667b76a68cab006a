package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncFromSyncTest {
    @Test
    void aPlainMethodRunsALoopFromAnyThread() throws Exception {
        assertEquals(List.of("sync_function() = 42", "from another thread: 42", "run_until_complete: 42"),
                Outputs.run(AsyncFromSync::main));
    }
}
