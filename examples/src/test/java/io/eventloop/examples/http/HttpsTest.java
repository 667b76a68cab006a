package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Future;
import io.eventloop.examples.LoopThread;
import io.eventloop.examples.Tool;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HttpServer and HttpClient over TLS, on loopback, with a certificate made for each test. */
class HttpsTest {
    @TempDir
    Path dir;

    private static final SelfSignedCertificate LOCALHOST = SelfSignedCertificate.generate();

    private static <T> T withClient(HttpFixture f, HttpClient.Options options, Function<HttpClient, Future<T>> body)
            throws Exception {
        return f.call(() -> {
            HttpClient client = new HttpClient(f.t.loop, options);
            return body.apply(client).ensure(client::closeAsync);
        });
    }

    /** The client trusting exactly the certificate in the PEM file it was written to: {@code --cacert FILE}. */
    private HttpClient.Options trusting(SelfSignedCertificate cert) throws IOException {
        Path pem = dir.resolve("ca.pem");
        cert.writeTo(pem, dir.resolve("key.pem"));
        return HttpClient.Options.defaults().tls(TlsConfig.clientTrusting(pem));
    }

    @Test
    void theClientFetchesOverTlsTrustingTheServersCertificateAndReusesTheConnection() throws Exception {
        try (HttpFixture f = new HttpFixture(HttpServer.Limits.defaults(), TlsConfig.server(LOCALHOST.serverContext()))) {
            HttpClient.Options options = trusting(LOCALHOST);
            List<HttpResponse> rs = withClient(f, options, client -> client.get(f.url("/"))
                    .then(hello -> client.get(f.url("/bytes/3000000?chunked=1&seed=9"))
                            .then(chunked -> client.get(f.url("/bytes/3000000?seed=9"))
                                    .map(sized -> List.of(hello, chunked, sized)))));
            assertEquals("Hello, World!", rs.get(0).text());
            assertEquals("chunked", rs.get(1).header("Transfer-Encoding"));
            assertEquals(3_000_000, rs.get(1).body().length);
            assertArrayEquals(rs.get(2).body(), rs.get(1).body());
            assertEquals(1, f.accepted(), "one TLS connection carried the three requests");
            byte[] body = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
            HttpResponse echoed = withClient(f, options, client -> client.request("POST", f.url("/echo"), null, body));
            assertArrayEquals(body, echoed.body());
        }
    }

    @Test
    void theClientRefusesAnUntrustedCertificateNamingTheHost() throws Exception {
        try (HttpFixture f = new HttpFixture(HttpServer.Limits.defaults(), TlsConfig.server(LOCALHOST.serverContext()))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> withClient(f, HttpClient.Options.defaults(), client -> client.get(f.url("/"))));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            String message = e.getCause().getMessage();
            assertTrue(message.contains("the TLS handshake with localhost:" + f.port() + " failed")
                    && message.contains("not trusted"), message);
        }
    }

    @Test
    void theClientRefusesACertificateForAnotherHost() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("www.example.test");
        try (HttpFixture f = new HttpFixture(HttpServer.Limits.defaults(), TlsConfig.server(other.serverContext()))) {
            HttpClient.Options options = trusting(other);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> withClient(f, options, client -> client.get(f.url("/"))));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            String message = e.getCause().getMessage();
            assertTrue(message.contains("localhost:" + f.port()) && message.contains("not valid for localhost"), message);
        }
    }

    @Test
    void theServerPicksHttp11ByAlpnForAClientThatOffersH2Too() throws Exception {
        try (HttpFixture f = new HttpFixture(HttpServer.Limits.defaults(), TlsConfig.server(LOCALHOST.serverContext()))) {
            TlsConfig curlLike = TlsConfig.client(LOCALHOST.trustingContext()).applicationProtocols("h2", "http/1.1");
            String chosen = f.call(() -> Net.openConnection(f.t.loop, "localhost", f.port(), curlLike).map(c -> {
                String p = c.writer().transport().applicationProtocol();
                c.writer().close();
                return p;
            }));
            assertEquals("http/1.1", chosen);
        }
    }

    @Test
    void theClientOffersHttp11ByAlpn() throws Exception {
        AtomicReference<String> offered = new AtomicReference<>();
        try (LoopThread t = new LoopThread("alpn-loop")) {
            TlsConfig server = TlsConfig.server(LOCALHOST.serverContext()).applicationProtocols("h2", "http/1.1");
            Server s = t.call(() -> Net.createServer(t.loop, () -> new Protocol() {
                private Transport transport;

                @Override
                public void connectionMade(Transport tr) {
                    transport = tr;
                    offered.set(tr.applicationProtocol()); // the server's pick among what the client offered
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    transport.close();
                }
            }, "127.0.0.1", 0, server));
            HttpClient.Options options = trusting(LOCALHOST);
            String body = t.call(() -> {
                HttpClient client = new HttpClient(t.loop, options);
                return client.get("https://localhost:" + s.port() + "/").map(HttpResponse::text).ensure(client::closeAsync);
            });
            assertEquals("ok", body);
            assertEquals("http/1.1", offered.get());
            t.call(() -> {
                s.close();
                return s.waitClosed();
            });
        }
    }

    /**
     * An error response over TLS, where there is no half-close: the lingering close sends it,
     * then {@code close_notify}, instead of a {@code writeEof} that TLS refuses. The fixture
     * checks that nothing reached the loop's exception handler.
     */
    @Test
    void aMalformedRequestOverTlsGetsItsErrorAndTheConnectionCloses() throws Exception {
        try (HttpFixture f = new HttpFixture(HttpServer.Limits.defaults(), TlsConfig.server(LOCALHOST.serverContext()));
                SSLSocket s = (SSLSocket) LOCALHOST.trustingContext().getSocketFactory().createSocket("127.0.0.1", f.port())) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(30_000); // a hang guard
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1); // to the close
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.contains("Connection: close"), response);
        }
    }

    /** The client against a TLS server this project did not write: {@code openssl s_server -WWW} (HTTP/1.0, body to the close). */
    @Test
    void theClientFetchesFromOpensslsServer() throws Exception {
        Tool.Result made = Tool.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
                "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString());
        assertEquals(0, made.exit(), made.toString());
        Files.writeString(dir.resolve("hello.txt"), "hello from openssl\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // free a moment ago; s_server cannot say which port it took
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-WWW", "-accept", "127.0.0.1:" + port,
                "-cert", "c.pem", "-key", "k.pem", "-alpn", "http/1.1").directory(dir.toFile()).start(); // serves dir
        try (LoopThread t = new LoopThread("openssl-client-loop")) {
            awaitLine(server, "ACCEPT");
            HttpClient.Options options = HttpClient.Options.defaults().tls(TlsConfig.clientTrusting(dir.resolve("c.pem")));
            List<Object> got = t.call(() -> {
                HttpClient client = new HttpClient(t.loop, options);
                return client.get("https://localhost:" + port + "/hello.txt")
                        .then(r -> client.get("https://localhost:" + port + "/hello.txt")
                                .map(again -> List.<Object>of(r.status(), r.text(), again.text(), client.connectionsOpened())))
                        .ensure(client::closeAsync);
            });
            assertEquals(List.of(200, "hello from openssl\n", "hello from openssl\n", 2L), got,
                    "an HTTP/1.0 body ends with the connection: one connection per request");
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads {@code process}'s output until a line equal to {@code wanted}; fails if it ends first. */
    private static void awaitLine(Process process, String wanted) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.equals(wanted)) {
                return;
            }
            seen.add(line);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (InputStream e = process.getErrorStream()) {
            e.transferTo(err);
        }
        throw new AssertionError("the process ended before printing " + wanted + ": " + seen + "\n" + err);
    }
}
