package io.eventloop.examples.http;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Several URLs fetched at once, the first 100 characters of each body printed. Python:
 * <pre>
 * async def fetch(url):
 *     async with aiohttp.ClientSession() as session:
 *         async with session.get(url) as response:
 *             return await response.text()
 *
 * results = await asyncio.gather(*(fetch(url) for url in urls))
 * for r in results:
 *     print(r[:100])
 * </pre>
 * Here one client serves every fetch (a session per request, as in the Python, would work but
 * wastes the pool). With no URL arguments it starts {@link HttpBinServer} on loopback and fetches
 * its {@code /get}, {@code /} and {@code /bytes/64}. {@code ./run fetch-urls [--cacert FILE] [URL...]};
 * {@code https://} URLs are checked against the JDK's trust store, or against {@code --cacert}'s
 * certificates only. A failure (refused, certificate refused, timeout) is one line on stderr and
 * exit status 1.
 */
public final class FetchUrls {
    private FetchUrls() {
    }

    /** The first 100 characters of {@code text}, control characters but newline shown as '.'. */
    static String preview(String text) {
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < text.length() && sb.length() < 100; i++) {
            char c = text.charAt(i);
            sb.append(c < ' ' && c != '\n' || c == 0x7f ? '.' : c);
        }
        return sb.toString();
    }

    /** Fetches {@code urls} concurrently and prints each body's preview, in URL order. */
    static Future<Void> fetchAll(List<String> urls) {
        return fetchAll(urls, HttpClient.Options.defaults());
    }

    /** {@link #fetchAll(List)} with a client made with {@code options}. */
    static Future<Void> fetchAll(List<String> urls, HttpClient.Options options) {
        // async with aiohttp.ClientSession() as session: the client is closed on every path
        return Async.using(new HttpClient(EventLoop.current(), options), client -> {
            List<Future<String>> fetches = new ArrayList<>();
            for (String url : urls) {
                fetches.add(client.get(url).map(HttpResponse::text));
            }
            return Async.gather(fetches).map(bodies -> {
                bodies.forEach(b -> System.out.println(preview(b)));
                return (Void) null;
            });
        });
    }

    /** Runs the example; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        FetchArgs a = FetchArgs.parse(args, "./run fetch-urls [--cacert FILE] [URL...]");
        if (!a.urls().isEmpty()) {
            a.reportingFailures(() -> EventLoop.run(() -> fetchAll(a.urls(), a.clientOptions())));
            return;
        }
        try (LocalHttpBin bin = new LocalHttpBin()) {
            String base = bin.baseUrl();
            EventLoop.run(() -> fetchAll(List.of(base + "/get?show=preview", base + "/", base + "/bytes/64?seed=1")));
        }
    }
}
