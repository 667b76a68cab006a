package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./run echo --tls} and {@code ./run echo-protocol --tls} as processes, with the client
 * their users would run: {@code openssl s_client -quiet}, trusting the certificate the server
 * printed (.ci/run installs openssl).
 */
class EchoOpensslTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"echo", "echo-protocol"})
    void echoesALineToOpensslSClientTrustingThePrintedCertificate(String example) throws Exception {
        Path cert;
        try (ExampleProcess echo = ExampleProcess.start(List.of(), example, "--port", "0", "--tls")) {
            int port = echo.port();
            cert = echo.selfSignedCertificate();
            assertTrue(echo.printedBefore().contains("(openssl s_client -quiet -CAfile " + cert + " -connect localhost:"
                    + port + ")"), echo.printedBefore());
            try (SClient client = SClient.connect(cert, port)) {
                client.type("hello over TLS");
                client.expect("hello over TLS");
                client.type("and again");
                client.expect("and again");
            }
            echo.terminate();
            assertTrue(echo.awaitExit(), "the server did not exit");
            assertEquals(0, echo.exitValue());
            String rest = echo.rest();
            assertFalse(rest.contains("ERROR") || rest.contains("WARN"), rest);
        }
        assertFalse(Files.exists(cert.getParent()), "the certificate made for the run is deleted when the server exits");
    }
}
