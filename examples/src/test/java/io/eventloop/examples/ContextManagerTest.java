package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContextManagerTest {
    @Test
    void theResourceIsReleasedAfterUseAndAlsoWhenTheBodyFails() throws Exception {
        assertEquals(List.of(
                "Asynchronously acquiring resource...", "Using the resource.", "Asynchronously releasing resource...",
                "connecting", "query: SELECT * FROM users", "disconnecting", "users: [alice, bob]",
                "connecting", "query: SELECT * FROM nowhere", "disconnecting",
                "failed after the release: no such table in: SELECT * FROM nowhere"),
                Outputs.run(ContextManager::main));
    }
}
