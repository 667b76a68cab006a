package io.eventloop.examples.http;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;

/**
 * Ten requests one after another with a blocking client, then all at once on the loop. Python:
 * <pre>
 * for url in urls:                        # requests: ~10 s
 *     requests.get(url).text
 * print(f"Time: {time.time() - start:.2f}s")
 *
 * async with aiohttp.ClientSession() as session:                  # aiohttp: ~1 s
 *     await asyncio.gather(*(fetch_url(session, url) for url in urls))
 * print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 * The blocking client is the JDK's {@link HttpURLConnection}: each call holds the thread until
 * the response is in. With no URL arguments it starts {@link HttpBinServer} on loopback and asks
 * {@code --count} (10) times for {@code /delay/1}; {@code --scale F} multiplies that second.
 * {@code ./run fetch-sync-vs-async [--count 10] [--scale F] [--cacert FILE] [URL...]}; both clients
 * check {@code https://} URLs against the JDK's trust store, or against {@code --cacert}'s
 * certificates only. A failure is one line on stderr and exit status 1.
 */
public final class FetchSyncVsAsync {
    private FetchSyncVsAsync() {
    }

    /** Fetches each URL in turn with a blocking client; returns the bodies. Prints {@code Time}. */
    static List<String> fetchSync(List<String> urls) throws IOException {
        return fetchSync(urls, null);
    }

    /**
     * {@link #fetchSync(List)} with {@code tls}'s trust for https URLs (null: the JDK's). The
     * JDK's own certificate errors name neither the host nor the reason in words; a failed
     * handshake is reported naming the URL.
     */
    static List<String> fetchSync(List<String> urls, TlsConfig tls) throws IOException {
        long start = System.nanoTime();
        List<String> bodies = new ArrayList<>();
        for (String url : urls) {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (tls != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.context().getSocketFactory()); // the host name is checked either way
            }
            try (InputStream body = c.getInputStream()) { // blocks until the response is in
                bodies.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (SSLHandshakeException e) {
                SSLHandshakeException named = new SSLHandshakeException("the TLS handshake for " + url
                        + " (HttpURLConnection) failed: " + e.getMessage());
                named.initCause(e);
                throw named;
            }
        }
        System.out.printf("sync (one after another): Time: %.2fs%n", (System.nanoTime() - start) / 1e9);
        return bodies;
    }

    /** Fetches every URL concurrently on the loop; prints {@code Time}. */
    static Future<List<String>> fetchAsync(List<String> urls) {
        return fetchAsync(urls, HttpClient.Options.defaults());
    }

    /** {@link #fetchAsync(List)} with a client made with {@code options}. */
    static Future<List<String>> fetchAsync(List<String> urls, HttpClient.Options options) {
        // async with aiohttp.ClientSession() as session: the client is closed on every path
        return Async.using(new HttpClient(EventLoop.current(), options), client -> {
            long start = System.nanoTime();
            List<Future<String>> fetches = new ArrayList<>();
            for (String url : urls) {
                fetches.add(client.get(url).map(HttpResponse::text));
            }
            return Async.gather(fetches).map(bodies -> {
                System.out.printf("async (gathered):         Time: %.2fs%n", (System.nanoTime() - start) / 1e9);
                return bodies;
            });
        });
    }

    /** Runs the example; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args, "./run fetch-sync-vs-async [--count 10] [--scale F] [--cacert FILE] [URL...]",
                "count", "10", "scale", "1");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> {
                fetchSync(a.urls(), a.tls());
                EventLoop.run(() -> fetchAsync(a.urls(), a.clientOptions()));
            });
            return;
        }
        int count = a.intValue("count");
        if (count < 1) {
            a.fail("--count needs a number of requests, 1 or more, got " + count);
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            List<String> urls = Collections.nCopies(count,
                    bin.baseUrl() + "/delay/" + FetchArgs.seconds(a.scale().seconds(1)));
            a.reportingFailures(() -> { // the server refuses a delay over 10 s: --scale 11 fails here
                fetchSync(urls);
                EventLoop.run(() -> fetchAsync(urls));
            });
        }
    }
}
