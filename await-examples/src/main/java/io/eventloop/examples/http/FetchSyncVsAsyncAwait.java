package io.eventloop.examples.http;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link FetchSyncVsAsync} in straight-line form: the blocking loop is the callback form's
 * ({@link FetchSyncVsAsync#fetchSync}); the gathered half awaits each body in a task of its own.
 * Python:
 * <pre>
 * async def fetch_url(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * async with aiohttp.ClientSession() as session:                  # aiohttp: ~1 s
 *     await asyncio.gather(*(fetch_url(session, url) for url in urls))
 * print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 */
public final class FetchSyncVsAsyncAwait {
    private FetchSyncVsAsyncAwait() {
    }

    /** The body of the reply to {@code url}: {@code fetch_url}. */
    static Task<String> fetchUrl(HttpClient client, String url) {
        return async(() -> await(client.get(url)).text());
    }

    /** Fetches every URL concurrently on the loop; prints {@code Time}; returns the bodies. */
    static Task<List<String>> fetchAsync(List<String> urls, HttpClient.Options options) {
        return async(() -> {
            HttpClient client = new HttpClient(EventLoop.current(), options);
            try {
                long start = System.nanoTime();
                List<Future<String>> fetches = new ArrayList<>();
                for (String url : urls) {
                    fetches.add(fetchUrl(client, url));
                }
                List<String> bodies = await(Async.gather(fetches));
                System.out.printf("async (gathered):         Time: %.2fs%n", (System.nanoTime() - start) / 1e9);
                return bodies;
            } finally {
                await(client.closeAsync());
            }
        });
    }

    /** Runs the program: {@code ./run fetch-sync-vs-async --await [--count 10] [--scale F] [--cacert FILE] [URL...]}. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args,
                "./run fetch-sync-vs-async --await [--count 10] [--scale F] [--cacert FILE] [URL...]", "count", "10", "scale", "1");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> {
                FetchSyncVsAsync.fetchSync(a.urls(), a.tls());
                EventLoop.run(() -> fetchAsync(a.urls(), a.clientOptions()));
            });
            return;
        }
        int count = a.intValue("count");
        if (count < 1) {
            a.fail("--count needs a number of requests, 1 or more, got " + count);
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            List<String> urls = Collections.nCopies(count, bin.baseUrl() + "/delay/" + FetchArgs.seconds(a.scale().seconds(1)));
            a.reportingFailures(() -> { // the server refuses a delay over 10 s: --scale 11 fails here
                FetchSyncVsAsync.fetchSync(urls);
                EventLoop.run(() -> fetchAsync(urls, HttpClient.Options.defaults()));
            });
        }
    }
}
