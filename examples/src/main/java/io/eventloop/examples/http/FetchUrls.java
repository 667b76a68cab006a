package io.eventloop.examples.http;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several URLs fetched at once, the first 100 characters of each body printed. Python:
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
 * Here one client serves every fetch (a session per request, as in the Python, would work but
 * wastes the pool). What is printed depends on the reply's {@code Content-Type}: a JSON reply is
 * decoded with {@link HttpResponse#json()} and printed back compactly, so the preview shows its
 * fields rather than its indentation; any other text is printed as it came; anything else
 * ({@code /bytes}, an image) is printed as its size and type, not as bytes a terminal would
 * garble. With no URL arguments it starts {@link HttpBinServer} on loopback and fetches its
 * {@code /get}, {@code /} and {@code /bytes/64}. {@code ./run fetch-urls [--cacert FILE] [URL...]};
 * {@code https://} URLs are checked against the JDK's trust store, or against {@code --cacert}'s
 * certificates only. A failure (refused, certificate refused, timeout) is one line on stderr and
 * exit status 1.
 */
public final class FetchUrls {
    private FetchUrls() {
    }

    /**
     * The first 100 characters of {@code text} without trailing white space, control characters
     * but newline shown as '.'.
     */
    static String preview(String text) {
        String t = text.stripTrailing();
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < t.length() && sb.length() < 100; i++) {
            char c = t.charAt(i);
            sb.append(c < ' ' && c != '\n' || c == 0x7f ? '.' : c);
        }
        return sb.toString();
    }

    /**
     * What the example prints for one reply: the first 100 characters of a JSON reply decoded and
     * written back compactly, or of any other text; for anything else, its size and type.
     */
    static String show(HttpResponse r) throws IOException {
        String type = r.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (media.equals("application/json") || media.endsWith("+json")) {
            return preview(r.json().toString());
        }
        if (media.startsWith("text/") || media.endsWith("xml") || media.equals("application/javascript")
                || type != null && type.toLowerCase(Locale.ROOT).contains("charset=")) {
            return preview(r.text());
        }
        return r.body().length + " bytes (" + (type == null ? "no Content-Type" : type) + ")";
    }

    /** Fetches {@code urls} concurrently and prints what {@link #show} makes of each reply, in URL order. */
    static Future<Void> fetchAll(List<String> urls) {
        return fetchAll(urls, HttpClient.Options.defaults());
    }

    /** {@link #fetchAll(List)} with a client made with {@code options}. */
    static Future<Void> fetchAll(List<String> urls, HttpClient.Options options) {
        // async with aiohttp.ClientSession() as session: the client is closed on every path
        return Async.using(new HttpClient(EventLoop.current(), options), client -> {
            List<Future<String>> fetches = new ArrayList<>();
            for (String url : urls) {
                fetches.add(client.get(url).map(FetchUrls::show));
            }
            return Async.gather(fetches).map(shown -> {
                shown.forEach(System.out::println);
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
