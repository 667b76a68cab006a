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
 * {@link FetchUrls} in straight-line form: each fetch a task that awaits its reply and returns
 * what {@link FetchUrls#show} makes of it; the gather one {@code await}. Python:
 * <pre>
 * async def fetch(url):
 *     async with aiohttp.ClientSession() as session:
 *         async with session.get(url) as response:
 *             return await response.text()     # or: await response.json()
 *
 * results = await asyncio.gather(*(fetch(url) for url in urls))
 * for r in results:
 *     print(r[:100])
 * </pre>
 */
public final class FetchUrlsAwait {
    private FetchUrlsAwait() {
    }

    /** What {@link FetchUrls#show} prints for the reply to {@code url}. */
    static Task<String> fetch(HttpClient client, String url) {
        return async(() -> FetchUrls.show(await(client.get(url))));
    }

    /** Fetches {@code urls} concurrently and prints what {@link FetchUrls#show} makes of each reply, in URL order. */
    static Task<Void> fetchAll(List<String> urls, HttpClient.Options options) {
        return async(() -> {
            HttpClient client = new HttpClient(EventLoop.current(), options); // one client serves every fetch
            try {
                List<Future<String>> fetches = new ArrayList<>();
                for (String url : urls) {
                    fetches.add(fetch(client, url));
                }
                for (String shown : await(Async.gather(fetches))) {
                    System.out.println(shown);
                }
            } finally {
                await(client.closeAsync());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run fetch-urls --await [--cacert FILE] [URL...]}. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args, "./run fetch-urls --await [--cacert FILE] [URL...]");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> EventLoop.run(() -> fetchAll(a.urls(), a.clientOptions())));
            return;
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            String base = bin.baseUrl();
            EventLoop.run(() -> fetchAll(List.of(base + "/get?show=preview", base + "/", base + "/bytes/64?seed=1"),
                    HttpClient.Options.defaults()));
        }
    }
}
