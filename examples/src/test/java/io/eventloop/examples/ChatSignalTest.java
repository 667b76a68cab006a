package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chat server, as a process, shuts down gracefully on SIGTERM through the loop's signal handler. */
class ChatSignalTest {

    @Test
    void sigtermTellsTheClientsClosesAndExitsNormally() throws Exception {
        try (ExampleProcess chat = ExampleProcess.start(List.of(), "chat", "--port", "0")) {
            int port = chat.port();
            try (LineClient alice = LineClient.join(port, "alice")) {
                chat.terminate();
                assertEquals("* the server is shutting down, bye", alice.expect("* the server is shutting down"));
                assertEquals(null, alice.line()); // then the server closes the connection
            }
            assertTrue(chat.awaitExit(), "the server did not exit");
            // 0, not 143: the loop's handler replaced the JVM's exit on TERM and main returned.
            assertEquals(0, chat.exitValue());
            String rest = chat.rest();
            assertTrue(rest.contains("SIGTERM received: shutting down"), rest);
            assertTrue(rest.contains("chat server stopped"), rest);
        }
    }
}
