package io.eventloop.redis;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.TlsConfig;
import io.eventloop.testing.EventLoopTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client over TLS against {@code redis-server --tls-port} (Debian builds it with TLS), with a
 * self-signed certificate made for the run: commands, a subscription and the pool all go through
 * TLS, and a client that does not trust the certificate is refused.
 */
@EventLoopTest
class RedisTlsTest {
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    private static Path pems;
    private static RedisServer server;

    @BeforeAll
    static void startServer() throws Exception {
        pems = Files.createTempDirectory("redis-tls");
        Path cert = pems.resolve("cert.pem");
        Path key = pems.resolve("key.pem");
        CERT.writeTo(cert, key);
        server = RedisServer.start(trusting(), true, "--tls-cert-file", cert.toString(), "--tls-key-file",
                key.toString(), "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            server.close();
        } finally {
            for (String f : List.of("cert.pem", "key.pem")) {
                Files.deleteIfExists(pems.resolve(f));
            }
            Files.deleteIfExists(pems);
        }
    }

    private static RedisOptions trusting() {
        return RedisOptions.defaults().tls(TlsConfig.client(CERT.trustingContext()));
    }

    @Test
    void commandsSubscriptionsAndBlockingCommandsRunOverTls() {
        RedisClient client = assertCompletes(RedisClient.connect("127.0.0.1", server.port, trusting()));
        try {
            assertNotNull(client.shared().transport().sslSession(), "the connection is TLS");
            assertEquals("OK", assertCompletes(client.set("secret", "value")));
            assertEquals("value", assertCompletes(client.get("secret")));
            Subscription s = assertCompletes(client.subscribe("tls"));
            assertCompletes(client.publish("tls", "encrypted"));
            assertEquals("encrypted", assertCompletes(s.next()).orElseThrow().message());
            assertCompletes(s.closeAsync());
            assertCompletes(client.command("RPUSH", "q", "x"));
            assertEquals(List.of("q", "x"), assertCompletes(client.blpop(Duration.ofSeconds(5), "q")));
        } finally {
            assertCompletes(client.closeAsync());
        }
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedIsRefused() {
        RedisConnectionException e = assertFails(RedisConnectionException.class, RedisClient.connect("127.0.0.1",
                server.port, RedisOptions.defaults().tls(TlsConfig.client())));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + server.port + ": "), e.getMessage());
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }
}
