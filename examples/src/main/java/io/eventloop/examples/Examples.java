package io.eventloop.examples;

import io.eventloop.examples.http.FetchDelays;
import io.eventloop.examples.http.FetchSyncVsAsync;
import io.eventloop.examples.http.FetchUrls;
import io.eventloop.examples.http.HttpBinServer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher behind {@code ./run}: {@code ./run} lists the examples, {@code ./run NAME [args]}
 * runs one.
 */
public final class Examples {
    /** name → (class, one-line description), in the order {@code ./run} lists them. */
    private static final Map<String, String[]> EXAMPLES = new LinkedHashMap<>();

    static {
        add("hello", Hello.class, "the tiniest coroutine: sleep one second, return a greeting");
        add("sync-vs-async", SyncVsAsync.class, "five one-second jobs: about 5 s one after another, about 1 s gathered");
        add("chat", ChatServer.class, "chat server for nc/telnet users (port 6667): nicknames, /nick /who /me /quit /help");
        add("echo", EchoServer.class, "echo server on streams: read, write, drain (port 8888)");
        add("echo-protocol", EchoProtocolServer.class, "echo server on transports and protocols, with flow control (port 8889)");
        add("http-server", HttpBinServer.class, "HTTP/1.1 server: /, /get, /delay/{n}, /status/{code}, /bytes/{n} (port 8080)");
        add("fetch-delays", FetchDelays.class, "gather /delay/1, /delay/2, /delay/3 on one HttpClient: about 3 s, not 6 s");
        add("fetch-sync-vs-async", FetchSyncVsAsync.class, "ten 1 s requests: blocking one after another, then gathered");
        add("fetch-urls", FetchUrls.class, "fetch several URLs at once, print the first 100 characters of each");
    }

    private Examples() {
    }

    private static void add(String name, Class<?> type, String description) {
        EXAMPLES.put(name, new String[] {type.getName(), description});
    }

    /** Lists the examples, or runs the one named by {@code args[0]} with the remaining arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("usage: ./run NAME [args]   examples:");
            EXAMPLES.forEach((name, e) -> System.out.printf("  %-16s %s%n", name, e[1]));
            return;
        }
        String[] example = EXAMPLES.get(args[0]);
        if (example == null) {
            System.err.println("no example named '" + args[0] + "'; ./run lists them");
            System.exit(2);
        }
        Method main = Class.forName(example[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
