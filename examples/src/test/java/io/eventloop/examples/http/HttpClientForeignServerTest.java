package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.examples.LoopThread;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HttpClient against servers this project did not write: Python's http.server, and a bare HTTP/1.0 one. */
class HttpClientForeignServerTest {
    @TempDir
    static Path dir;
    private static Process python;
    private static int pythonPort;
    private static LoopThread t;

    @BeforeAll
    static void startPython() throws Exception {
        t = new LoopThread("http-client-loop");
        Files.writeString(dir.resolve("hello.txt"), "hello from python\n");
        Files.write(dir.resolve("big.bin"), new byte[300_000]);
        try (ServerSocket s = new ServerSocket(0)) {
            pythonPort = s.getLocalPort();
        }
        try {
            python = new ProcessBuilder("python3", "-m", "http.server", "--bind", "127.0.0.1", Integer.toString(pythonPort))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException missing) {
            Assumptions.abort("python3 is not installed: " + missing.getMessage());
        }
        for (int i = 0; i < 600; i++) { // up to about 30 s: a hang guard
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", pythonPort), 1000);
                return;
            } catch (IOException notYet) {
                if (!python.isAlive()) {
                    throw new IllegalStateException("python3 -m http.server exited with " + python.exitValue());
                }
                python.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("python3 -m http.server did not open port " + pythonPort);
    }

    @AfterAll
    static void stopPython() throws Exception {
        if (python != null) {
            python.destroy();
            if (!python.waitFor(30, TimeUnit.SECONDS)) {
                python.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (t != null) {
            t.close();
        }
    }

    @Test
    void pythonsHttpServerIsFetchedOneConnectionPerRequest() throws Exception {
        String base = "http://127.0.0.1:" + pythonPort;
        List<Object> got = t.call(() -> {
            HttpClient client = new HttpClient(t.loop);
            return client.get(base + "/hello.txt")
                    .then(hello -> client.get(base + "/big.bin")
                            .then(big -> client.get(base + "/")
                                    .then(listing -> client.get(base + "/missing")
                                            .map(missing -> List.<Object>of(hello.status(), hello.text(), big.body().length,
                                                    listing.text().contains("hello.txt"), missing.status(),
                                                    client.connectionsOpened())))))
                    .ensure(client::closeAsync);
        });
        // HTTP/1.0 without keep-alive: the client must not reuse the connection
        assertEquals(List.of(200, "hello from python\n", 300_000, true, 404, 4L), got);
    }

    @Test
    void aCloseDelimitedBodyEndsWithTheConnection() throws Exception {
        byte[] body = "no length, no chunks: the close ends me".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] head = new byte[4];
                    while (!new String(head, StandardCharsets.US_ASCII).equals("\r\n\r\n")) { // read the request head
                        System.arraycopy(head, 1, head, 0, 3);
                        head[3] = (byte) in.read();
                    }
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().write(body);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            peer.start();
            String text = t.call(() -> {
                HttpClient client = new HttpClient(t.loop);
                return client.get("http://127.0.0.1:" + server.getLocalPort() + "/").map(HttpResponse::text)
                        .ensure(client::closeAsync);
            });
            peer.join(30_000);
            assertEquals(new String(body, StandardCharsets.US_ASCII), text);
        }
        assertTrue(t.call(() -> Async.completed(true)));
    }
}
