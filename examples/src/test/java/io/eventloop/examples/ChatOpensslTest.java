package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run chat --tls} as a process, with two {@code openssl s_client -quiet} processes for
 * users (nc cannot speak TLS), each trusting only the certificate the server printed (.ci/run
 * installs openssl).
 */
class ChatOpensslTest {
    @Test
    void twoOpensslUsersTalkOverTlsAndAreToldOfTheShutdown() throws Exception {
        try (ExampleProcess chat = ExampleProcess.start(List.of(), "chat", "--port", "0", "--tls")) {
            int port = chat.port();
            Path cert = chat.selfSignedCertificate();
            try (SClient alice = SClient.connect(cert, port); SClient bob = SClient.connect(cert, port)) {
                alice.expect("* welcome to eventloop chat! pick a nickname:");
                alice.type("alice");
                alice.expect("* hello alice! 1 online: alice. /help lists the commands.");
                bob.expect("* welcome to eventloop chat! pick a nickname:");
                bob.type("bob");
                bob.expect("* hello bob! 2 online: alice, bob. /help lists the commands.");
                alice.expect("* bob joined");

                alice.type("hi bob, this went through TLS twice");
                bob.expect("<alice> hi bob, this went through TLS twice");
                bob.type("/me waves back");
                alice.expect("* bob waves back");

                bob.type("/quit");
                bob.expect("* bye");
                alice.expect("* bob left");
                assertTrue(bob.ends(), "s_client ends when the server closes the connection");

                chat.terminate();
                alice.expect("* the server is shutting down, bye");
                assertTrue(alice.ends(), "s_client ends when the server closes the connection");
                assertEquals(List.of(), alice.unread());
            }
            assertTrue(chat.awaitExit(), "the server did not exit");
            assertEquals(0, chat.exitValue());
            String rest = chat.rest();
            assertTrue(rest.contains("chat server stopped"), rest);
            assertFalse(rest.contains("ERROR") || rest.contains("WARN"), rest);
        }
    }
}
