package io.eventloop.examples.http;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FetchDelays} in straight-line form: {@code async with ClientSession()} is a
 * {@code try/finally} that awaits the client's closing, each fetch a task of its own, and the
 * gather one {@code await}. Python (aiohttp):
 * <pre>
 * async def fetch(session, url):
 *     async with session.get(url) as resp:
 *         return url, resp.status
 *
 * async with aiohttp.ClientSession() as session:
 *     results = await asyncio.gather(*(fetch(session, u) for u in URLS))
 *     for url, status in results:
 *         print(status, url)
 * </pre>
 */
public final class FetchDelaysAwait {
    private FetchDelaysAwait() {
    }

    /** {@code STATUS URL} for one fetch: a coroutine of its own, as {@code fetch(session, url)}. */
    static Task<String> fetch(HttpClient client, String url) {
        return async(() -> {
            HttpResponse r = await(client.get(url));
            return r.status() + " " + url;
        });
    }

    /** Fetches {@code urls} concurrently; prints {@code STATUS URL} in URL order, then the elapsed time. */
    static Task<Void> fetchAll(List<String> urls, HttpClient.Options options) {
        return async(() -> {
            HttpClient client = new HttpClient(EventLoop.current(), options);
            try {
                long start = System.nanoTime();
                List<Future<String>> fetches = new ArrayList<>();
                for (String url : urls) {
                    fetches.add(fetch(client, url));
                }
                for (String line : await(Async.gather(fetches))) {
                    System.out.println(line);
                }
                System.out.printf("elapsed: %.2fs%n", (System.nanoTime() - start) / 1e9);
            } finally {
                await(client.closeAsync());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run fetch-delays --await [--scale F] [--cacert FILE] [URL...]}. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args, "./run fetch-delays --await [--scale F] [--cacert FILE] [URL...]", "scale", "1");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> EventLoop.run(() -> fetchAll(a.urls(), a.clientOptions())));
            return;
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            List<String> urls = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                urls.add(bin.baseUrl() + "/delay/" + FetchArgs.seconds(a.scale().seconds(i)));
            }
            EventLoop.run(() -> fetchAll(urls, HttpClient.Options.defaults()));
        }
    }
}
