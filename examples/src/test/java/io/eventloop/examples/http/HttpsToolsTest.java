package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.examples.ExampleProcess;
import io.eventloop.examples.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run http-server --tls} as a process, against curl, and the fetch programs against it,
 * as a user would run them: trusting the certificate the server printed, or one made by openssl
 * (.ci/run installs curl and openssl).
 */
class HttpsToolsTest {
    @TempDir
    Path dir;

    /** Runs a fetch program to its end; returns its output (stdout and stderr together). */
    private static String fetch(int expectedExit, String... args) throws Exception {
        try (ExampleProcess p = ExampleProcess.start(List.of(), args)) {
            assertTrue(p.awaitExit(), "still running: " + String.join(" ", args));
            String out = p.rest();
            assertEquals(expectedExit, p.exitValue(), out);
            assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
            return out;
        }
    }

    @Test
    void theServerAnswersCurlTrustingThePrintedCertificateAndCurlWithoutItRefuses() throws Exception {
        Path cert;
        try (ExampleProcess http = ExampleProcess.start(List.of(), "http-server", "--port", "0", "--tls")) {
            int port = http.port();
            cert = http.selfSignedCertificate();
            String url = "https://localhost:" + port + "/";
            assertTrue(http.printedBefore().contains("(curl --cacert " + cert + " " + url + ")"), http.printedBefore());

            Tool.Result ok = Tool.run("curl", "-sS", "--cacert", cert.toString(), "-w", "\n%{http_code} HTTP/%{http_version}", url);
            assertEquals(0, ok.exit(), ok.toString());
            assertEquals("Hello, World!\n200 HTTP/1.1", ok.out());
            Tool.Result byAddress = Tool.run("curl", "-sS", "--cacert", cert.toString(), "https://127.0.0.1:" + port + "/get?tls=1");
            assertEquals(0, byAddress.exit(), byAddress.toString());
            assertTrue(byAddress.out().contains("\"tls\": \"1\""), byAddress.out());

            Tool.Result untrusted = Tool.run("curl", "-sS", url);
            assertEquals(60, untrusted.exit(), "curl's 'peer certificate cannot be authenticated': " + untrusted);

            // the fetch programs: trusting the printed certificate, and not
            String fetched = fetch(0, "fetch-urls", "--cacert", cert.toString(), url, url + "get");
            assertTrue(fetched.startsWith("Hello, World!\n{\"method\":\"GET\",\"path\":\"/get\""), fetched);
            String refused = fetch(1, "fetch-urls", url);
            assertTrue(refused.contains("error: the TLS handshake with localhost:" + port
                    + " failed: its certificate is not trusted"), refused);
            assertTrue(refused.contains("--cacert FILE"), refused);
            String delays = fetch(0, "fetch-delays", "--cacert", cert.toString(), url + "delay/0", url + "status/204");
            assertTrue(delays.startsWith("200 " + url + "delay/0\n204 " + url + "status/204\nelapsed: "), delays);
            String syncAndAsync = fetch(0, "fetch-sync-vs-async", "--cacert", cert.toString(), url, url);
            assertTrue(syncAndAsync.contains("sync (one after another): Time: ")
                    && syncAndAsync.contains("async (gathered):         Time: "), syncAndAsync);
            String syncRefused = fetch(1, "fetch-sync-vs-async", url);
            assertTrue(syncRefused.contains("error: the TLS handshake for " + url + " (HttpURLConnection) failed"), syncRefused);

            http.terminate();
            assertTrue(http.awaitExit(), "the server did not exit");
            assertEquals(0, http.exitValue());
            String rest = http.rest();
            assertFalse(rest.contains("ERROR"), rest);
        }
        assertFalse(Files.exists(cert.getParent()), "the certificate made for the run is deleted when the server exits");
    }

    @Test
    void aCertificateAndKeyMadeByOpensslServeCurl() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        Tool.Result made = Tool.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString());
        assertEquals(0, made.exit(), made.toString());
        try (ExampleProcess http = ExampleProcess.start(List.of(), "http-server", "--port", "0", "--tls",
                "--cert", cert.toString(), "--key", key.toString())) {
            int port = http.port();
            assertFalse(http.printedBefore().contains("TLS certificate"), "nothing is made: " + http.printedBefore());
            Tool.Result ok = Tool.run("curl", "-sS", "--cacert", cert.toString(), "https://localhost:" + port + "/status/201");
            assertEquals(0, ok.exit(), ok.toString());
            assertEquals("201 Created\n", ok.out());
            String fetched = fetch(0, "fetch-urls", "--cacert", cert.toString(), "https://localhost:" + port + "/");
            assertEquals("Hello, World!\n", fetched);
            http.terminate();
            assertTrue(http.awaitExit(), "the server did not exit");
            assertEquals(0, http.exitValue());
        }
    }
}
