package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.net.SelfSignedCertificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example servers' TLS options ({@link ServerTls}): what {@code --tls} writes, and every bad combination. */
class ServerTlsTest {
    @TempDir
    Path dir;

    private static ServerTls parse(String... args) {
        return ServerTls.parse(Args.parse(args, "test", ServerTls.options("host", "127.0.0.1")), ServerTls.Client.CURL);
    }

    @Test
    void withoutTlsTheServerIsPlain() {
        ServerTls plain = parse();
        assertNull(plain.config());
        assertNull(plain.selfSignedCertificate());
    }

    @Test
    void tlsAloneWritesACertificateForTheLoopbackNamesIntoAnOwnerOnlyDirectory() throws Exception {
        ServerTls tls = parse("--tls");
        Path cert = tls.selfSignedCertificate();
        try {
            assertNotNull(tls.config());
            assertTrue(tls.config().isServer());
            assertTrue(cert.getFileName().toString().equals("cert.pem") && cert.getParent().getFileName().toString()
                    .startsWith("eventloop-tls-"), cert.toString());
            Path key = cert.resolveSibling("key.pem");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert.getParent())));
            X509Certificate x509;
            try (InputStream in = Files.newInputStream(cert)) {
                x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            List<String> names = new ArrayList<>();
            x509.getSubjectAlternativeNames().forEach(n -> names.add(n.get(1).toString()));
            assertEquals(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
        } finally {
            Files.deleteIfExists(cert.resolveSibling("key.pem"));
            Files.deleteIfExists(cert);
            Files.deleteIfExists(cert.getParent());
        }
    }

    @Test
    void anotherHostIsAddedToTheCertificatesNamesAndAWildcardIsNot() {
        assertEquals(List.of("localhost", "127.0.0.1", "::1", "chat.example.test"), ServerTls.names("chat.example.test"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1", "192.0.2.7"), ServerTls.names("192.0.2.7"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), ServerTls.names("0.0.0.0"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), ServerTls.names("::"));
        assertEquals(List.of("localhost", "127.0.0.1", "::1"), ServerTls.names("LOCALHOST"));
    }

    @Test
    void aCertificateAndKeyOfYourOwnAreUsedAndNothingIsWritten() throws Exception {
        SelfSignedCertificate.generate("localhost").writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));
        ServerTls tls = parse("--tls", "--cert", dir.resolve("c.pem").toString(), "--key", dir.resolve("k.pem").toString());
        assertTrue(tls.config().isServer());
        assertNull(tls.selfSignedCertificate());
    }

    /** Runs {@code ./run ARGS} to its end: it must exit with status 2, say {@code message}, and show no stack trace. */
    private static void refused(String message, String... args) throws Exception {
        try (ExampleProcess p = ExampleProcess.start(List.of(), args)) {
            assertTrue(p.awaitExit(), "still running: " + String.join(" ", args));
            String out = p.rest();
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains(message), "expected '" + message + "' in:\n" + out);
            assertTrue(out.contains("usage: ./run " + args[0]), out);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), out);
            assertFalse(out.contains("listening on"), out);
        }
    }

    @Test
    void badTlsOptionsAreUsageErrorsNamingTheFileWithStatus2() throws Exception {
        SelfSignedCertificate.generate("localhost").writeTo(dir.resolve("c.pem"), dir.resolve("k.pem"));
        SelfSignedCertificate.generate("localhost").writeTo(dir.resolve("other-c.pem"), dir.resolve("other-k.pem"));
        Files.writeString(dir.resolve("not-pem.txt"), "hello\n");
        String cert = dir.resolve("c.pem").toString();
        String key = dir.resolve("k.pem").toString();
        String missing = dir.resolve("missing.pem").toString();

        refused("--cert " + cert + " needs --key FILE too", "echo", "--port", "0", "--tls", "--cert", cert);
        refused("--key " + key + " needs --cert FILE too", "chat", "--port", "0", "--tls", "--key", key);
        refused("--cert and --key go with --tls", "http-server", "--port", "0", "--cert", cert, "--key", key);
        refused(missing + ": no such file", "echo-protocol", "--port", "0", "--tls", "--cert", missing, "--key", key);
        refused(dir.resolve("not-pem.txt") + ": no certificate found", "echo", "--port", "0", "--tls",
                "--cert", dir.resolve("not-pem.txt").toString(), "--key", key);
        refused("private key does not belong to the certificate", "http-server", "--port", "0", "--tls",
                "--cert", cert, "--key", dir.resolve("other-k.pem").toString());
        refused("--tls is a switch", "echo", "--port", "0", "--tls=maybe");
    }
}
