package io.eventloop.examples;

import io.eventloop.examples.http.FetchDelays;
import io.eventloop.examples.http.FetchSyncVsAsync;
import io.eventloop.examples.http.FetchUrls;
import io.eventloop.examples.http.HttpBinServer;
import io.eventloop.examples.pitfalls.Blocking;
import io.eventloop.examples.pitfalls.HangingShutdown;
import io.eventloop.examples.pitfalls.NestedRun;
import io.eventloop.examples.pitfalls.NoAwait;
import io.eventloop.examples.pitfalls.NoTimeout;
import io.eventloop.examples.pitfalls.Unbounded;
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
        // Common pitfalls: each makes the mistake on purpose, shows how the loop reports it, then the fix.
        add("pitfall-no-await", NoAwait.class, "a failing future nobody awaits: \"exception was never retrieved\"");
        add("pitfall-blocking", Blocking.class, "Thread.sleep in a task: the slow-callback line and the watchdog's stack");
        add("pitfall-unbounded", Unbounded.class, "2,000 requests at once against a busy local server, then under AsyncSemaphore(10)");
        add("pitfall-no-timeout", NoTimeout.class, "a peer that never answers: waitFor/timeout give up; the shutdown report");
        add("pitfall-hanging-shutdown", HangingShutdown.class, "forgotten background tasks at shutdown, then cancelled or in a TaskGroup");
        add("pitfall-nested-run", NestedRun.class, "EventLoop.run inside a running loop, get()/join() on the loop thread");
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
