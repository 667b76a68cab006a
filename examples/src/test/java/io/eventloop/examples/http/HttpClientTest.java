package io.eventloop.examples.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventloop.Async;
import io.eventloop.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HttpClient against HttpServer, both on one loop. */
class HttpClientTest {
    private HttpFixture f;

    @BeforeEach
    void startServer() throws Exception {
        f = new HttpFixture();
    }

    @AfterEach
    void closeServer() throws Exception {
        f.close();
    }

    /** Runs {@code body} with a fresh client on the loop, then closes the client. */
    private <T> T withClient(HttpClient.Options options, Function<HttpClient, Future<T>> body) throws Exception {
        return f.call(() -> {
            HttpClient client = new HttpClient(f.t.loop, options);
            return body.apply(client).ensure(client::closeAsync);
        });
    }

    private <T> T withClient(Function<HttpClient, Future<T>> body) throws Exception {
        return withClient(HttpClient.Options.defaults(), body);
    }

    private static Throwable failure(ExecutionException e) {
        return e.getCause();
    }

    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        long[] opened = new long[1];
        List<String> bodies = withClient(client -> {
            List<String> out = new ArrayList<>();
            return Async.forEach(List.of(1, 2, 3, 4, 5), i -> client.get(f.url("/")).map(r -> out.add(r.text())))
                    .map(v -> {
                        opened[0] = client.connectionsOpened();
                        return out;
                    });
        });
        assertEquals(List.of("Hello, World!", "Hello, World!", "Hello, World!", "Hello, World!", "Hello, World!"), bodies);
        assertEquals(1, opened[0]);
        assertEquals(1, f.accepted());
    }

    @Test
    void concurrentRequestsOpenOneConnectionEachThenReuseThem() throws Exception {
        withClient(client -> Async.gather(client.get(f.url("/delay/0.1")), client.get(f.url("/delay/0.1")))
                .then(first -> Async.gather(client.get(f.url("/")), client.get(f.url("/")))));
        assertEquals(2, f.accepted());
    }

    @Test
    void aChunkedResponseIsDecoded() throws Exception {
        List<HttpResponse> rs = withClient(client -> Async.gather(
                client.get(f.url("/bytes/3000000?chunked=1&seed=9")), client.get(f.url("/bytes/3000000?seed=9"))));
        assertEquals("chunked", rs.get(0).header("Transfer-Encoding"));
        assertEquals(3_000_000, rs.get(0).body().length);
        assertArrayEquals(rs.get(1).body(), rs.get(0).body());
    }

    @Test
    void postSendsTheBodyWithItsLength() throws Exception {
        byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse r = withClient(client -> client.request("POST", f.url("/echo"), HttpHeaders.of("X-A", "b"), body));
        assertEquals(200, r.status());
        assertArrayEquals(body, r.body());
    }

    @Test
    void headReadsNoBody() throws Exception {
        HttpResponse r = withClient(client -> client.request("HEAD", f.url("/"), null, null)
                .then(head -> client.get(f.url("/")).map(get -> {
                    assertEquals("Hello, World!", get.text()); // the connection was left clean
                    return head;
                })));
        assertEquals(200, r.status());
        assertEquals("13", r.header("Content-Length"));
        assertEquals(0, r.body().length);
        assertEquals(1, f.accepted());
    }

    @Test
    void jsonDecodesTheReplyIntoATree() throws Exception {
        JsonNode j = withClient(client -> client.get(f.url("/get?a=1&a=2&b=x")).map(HttpResponse::json));
        assertEquals("/get", j.get("path").asText());
        assertTrue(j.get("args").get("a").isArray(), j.toString());
        assertEquals("[\"1\",\"2\"]", j.get("args").get("a").toString());
        assertEquals("x", j.get("args").get("b").asText());
        assertEquals("eventloop-http", j.get("headers").get("User-Agent").asText());
        JsonNode delayed = withClient(client -> client.get(f.url("/delay/0.01")).map(HttpResponse::json));
        assertEquals(0.01, delayed.get("delay").asDouble());
    }

    @Test
    void jsonOfAReplyThatIsNotJsonFailsNamingItsContentType() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> withClient(client -> client.get(f.url("/")).map(HttpResponse::json)));
        assertInstanceOf(IOException.class, failure(e));
        assertTrue(failure(e).getMessage().startsWith(
                "the body is not JSON (Content-Type text/plain; charset=utf-8): Unrecognized token 'Hello'"), failure(e).getMessage());
    }

    @Test
    void jsonOfAnEmptyBodyFails() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> withClient(client -> client.get(f.url("/status/204")).map(HttpResponse::json)));
        assertInstanceOf(IOException.class, failure(e));
        assertEquals("the body is empty, not JSON (no Content-Type)", failure(e).getMessage());
    }

    @Test
    void aServerErrorIsAResponseNotAFailure() throws Exception {
        HttpResponse r = withClient(client -> client.get(f.url("/throw")));
        assertEquals(500, r.status());
        assertEquals(503, withClient(client -> client.get(f.url("/status/503"))).status());
    }

    @Test
    void anUnsupportedSchemeFailsNamingTheUrl() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> withClient(client -> client.get("ftp://127.0.0.1:1/x")));
        assertInstanceOf(IllegalArgumentException.class, failure(e));
        assertTrue(failure(e).getMessage().contains("ftp://127.0.0.1:1/x"), failure(e).getMessage());
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> withClient(client -> client.get("http://127.0.0.1:" + port + "/")));
        assertInstanceOf(ConnectException.class, failure(e));
    }

    @Test
    void aSlowResponseFailsWithTheRequestTimeout() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> withClient(HttpClient.Options.defaults().requestTimeout(Duration.ofMillis(100)),
                        client -> client.get(f.url("/delay/5"))));
        assertInstanceOf(TimeoutException.class, failure(e));
    }

    @Test
    void redirectsAreReturnedUnlessFollowingIsAsked() throws Exception {
        f.call(() -> {
            f.http.get("/go", req -> Async.completed(new HttpResponse(302, HttpHeaders.of("Location", "/get?from=go"), null)));
            return Async.completed(null);
        });
        assertEquals(302, withClient(client -> client.get(f.url("/go"))).status());
        HttpResponse followed = withClient(HttpClient.Options.defaults().followRedirects(2), client -> client.get(f.url("/go")));
        assertEquals(200, followed.status());
        assertTrue(followed.text().contains("\"from\": \"go\""), followed.text());
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplaced() throws Exception {
        f.close();
        f = new HttpFixture(HttpServer.Limits.defaults().withIdleTimeout(Duration.ofMillis(50)));
        List<Integer> statuses = withClient(client -> client.get(f.url("/"))
                .then(first -> Async.sleep(Duration.ofMillis(300))) // the server closes the idle connection
                .then(v -> client.get(f.url("/")))
                .map(second -> List.of(second.status(), (int) client.connectionsOpened())));
        assertEquals(List.of(200, 2), statuses);
    }

    @Test
    void closeAsyncClosesEveryConnectionAndRefusesNewRequests() throws Exception {
        int open = f.call(() -> {
            HttpClient client = new HttpClient(f.t.loop);
            return Async.gather(client.get(f.url("/")), client.get(f.url("/")))
                    .then(rs -> client.closeAsync())
                    .map(v -> {
                        assertThrows(IllegalStateException.class, () -> client.get(f.url("/")).result());
                        return client.openConnections();
                    });
        });
        assertEquals(0, open);
    }
}
