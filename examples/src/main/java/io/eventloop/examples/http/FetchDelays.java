package io.eventloop.examples.http;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Three slow requests at once on one client: about as long as the slowest, not the sum. Python
 * (aiohttp):
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
 * With no URL arguments it starts {@link HttpBinServer} on loopback and fetches its
 * {@code /delay/1}, {@code /delay/2}, {@code /delay/3} (about 3 s in all, not 6 s);
 * {@code --scale F} multiplies those delays. {@code ./run fetch-delays [--scale F] [--cacert FILE] [URL...]};
 * {@code https://} URLs are checked against the JDK's trust store, or against {@code --cacert}'s
 * certificates only. A failure is one line on stderr and exit status 1.
 */
public final class FetchDelays {
    private FetchDelays() {
    }

    /** Fetches {@code urls} concurrently; prints {@code STATUS URL} in URL order, then the elapsed time. */
    static Future<Void> fetchAll(List<String> urls) {
        return fetchAll(urls, HttpClient.Options.defaults());
    }

    /** {@link #fetchAll(List)} with a client made with {@code options}. */
    static Future<Void> fetchAll(List<String> urls, HttpClient.Options options) {
        // async with aiohttp.ClientSession() as session: the client is closed on every path
        return Async.using(new HttpClient(EventLoop.current(), options), client -> {
            long start = System.nanoTime();
            List<Future<String>> fetches = new ArrayList<>();
            for (String url : urls) {
                fetches.add(client.get(url).map(r -> r.status() + " " + url));
            }
            return Async.gather(fetches).map(lines -> {
                lines.forEach(System.out::println);
                System.out.printf("elapsed: %.2fs%n", (System.nanoTime() - start) / 1e9);
                return (Void) null;
            });
        });
    }

    /** Runs the example; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args, "./run fetch-delays [--scale F] [--cacert FILE] [URL...]", "scale", "1");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> EventLoop.run(() -> fetchAll(a.urls(), a.clientOptions())));
            return;
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            List<String> urls = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                urls.add(bin.baseUrl() + "/delay/" + FetchArgs.seconds(a.scale().seconds(i)));
            }
            EventLoop.run(() -> fetchAll(urls));
        }
    }
}
