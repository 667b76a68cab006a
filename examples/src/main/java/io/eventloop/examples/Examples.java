package io.eventloop.examples;

import io.eventloop.examples.http.FetchDelays;
import io.eventloop.examples.http.FetchSyncVsAsync;
import io.eventloop.examples.http.FetchUrls;
import io.eventloop.examples.http.HttpBinServer;
import io.eventloop.examples.kv.KvServer;
import io.eventloop.examples.pitfalls.Blocking;
import io.eventloop.examples.pitfalls.HangingShutdown;
import io.eventloop.examples.pitfalls.NestedRun;
import io.eventloop.examples.pitfalls.NoAwait;
import io.eventloop.examples.pitfalls.NoTimeout;
import io.eventloop.examples.pitfalls.Unbounded;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher behind {@code ./run}: {@code ./run} lists the examples, {@code ./run NAME [args]}
 * runs one. Every example reads its arguments with {@link Args}, so they all follow its rule:
 * {@code --help}, and an unknown option refused with status 2; those that wait take
 * {@code --scale F} ({@link Scale}).
 */
public final class Examples {
    /** What a program does with time, which decides the options it takes. */
    enum Kind {
        /** Waits (sleeps, timeouts, simulated work, delays it asks for) and ends: takes {@code --scale F}. */
        WAITS,
        /** Ends without waiting on a timer of its own: no {@code --scale}. */
        RUNS,
        /** Serves until stopped: {@code --host}, {@code --port}, TLS; its timeouts have options of their own. */
        SERVES
    }

    /** One entry of the listing. */
    private record Example(String className, String description, String group, Kind kind) {
    }

    /** By name, in the order {@code ./run} lists them. */
    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();
    /** The group the next {@link #add}s belong to, and what its programs do unless they say. */
    private static String group = "";
    private static Kind kind = Kind.WAITS;

    static {
        group("the tutorials: \"How asyncio can make your code faster\"", Kind.WAITS);
        add("hello", Hello.class, "the tiniest coroutine: sleep one second, return a greeting");
        add("sync-vs-async", SyncVsAsync.class, "five one-second jobs: about 5 s one after another, about 1 s gathered");
        add("semaphore", SemaphoreLimit.class, "30 fetches, at most 5 at once (Semaphore); prints the peak");
        add("producer-consumer", ProducerConsumer.class, "one producer, three consumers, a queue, stop sentinels, q.join()");
        add("timeout", TimeoutDemo.class, "wait_for: a 5 s job given 1 s prints 'Timed out!'");
        add("cancel-cleanup", CancelCleanup.class, "cancel a looping task after 2 s; it cleans up and re-raises");
        add("fetch-delays", FetchDelays.class, "gather /delay/1, /delay/2, /delay/3 on one HttpClient: about 3 s, not 6 s");
        add("offload-blocking", OffloadBlocking.class, "run_in_executor: two blocking 1 s calls gathered in about 1 s");
        add("structure", Structure.class, "the shape of a program: create tasks, await meanwhile, gather");
        group("the tutorials: \"asyncio fundamentals\"", Kind.WAITS);
        add("fetch-sync-vs-async", FetchSyncVsAsync.class, "ten 1 s requests: blocking one after another, then gathered");
        add("coroutine", Coroutine.class, "Start/End/result; why a Java future is hot and a Python coroutine is not");
        add("create-task", CreateTask.class, "create_task now, await later: two 1 s fetches in about 1 s");
        add("wait-first", WaitFirst.class, "asyncio.wait FIRST_COMPLETED, then cancel the pending tasks");
        add("context-manager", ContextManager.class, "async with: acquire, use, release (also when the body fails) via Async.using");
        add("async-iterator", AsyncIteratorDemo.class, "async for over a hand-written AsyncRange: 1 to 5");
        add("database", Database.class, "asyncpg's fetch on embedded H2 through toThread, or (--postgres URI) on"
                + " PostgreSQL, the queries on the loop thread; a ticker keeps ticking meanwhile");
        add("files", FilesDemo.class, Kind.RUNS, "aiofiles: write a temporary file, read it whole and line by line");
        add("async-from-sync", AsyncFromSync.class, "a plain method that runs a loop (asyncio.run) and run_until_complete");
        group("the tutorials: \"Speed up your Python scripts\"", Kind.WAITS);
        add("simulated-tasks", SimulatedTasks.class, "tasks of 2, 3 and 1 s finish as 3, 1, 2 in about 3 s");
        add("error-handling", ErrorHandling.class, "catch inside the coroutine, or let it propagate and handle after gather");
        add("lock-counter", LockCounter.class, "read-sleep-write under a lock: 10; without it: 1");
        add("async-generator", AsyncGenerator.class, "async_counter: an async generator yielding 0 to 4");
        add("task-group", TaskGroupDemo.class, "TaskGroup: C, A, B; then one failing child cancels the rest");
        add("logging-context", LoggingContext.class, "a request id in a TaskLocal, mirrored to SLF4J's MDC, on every line across awaits and threads");
        group("the tutorials: \"Mastering asyncio\"", Kind.WAITS);
        add("fetch-data", FetchData.class, "the 2 s fetch_data, blocking and awaited");
        add("hello-world-tasks", HelloWorldTasks.class, "say_hello and say_world as tasks: about 1 s, not 2");
        add("fetch-urls", FetchUrls.class, Kind.RUNS, "fetch several URLs at once; print JSON decoded, text, or the size of bytes");
        group("asyncio's documentation", Kind.WAITS);
        add("subprocess", SubprocessDemo.class, "the Subprocesses page: ls and a 1 s shell command at once, date, a child killed at its timeout");
        group("servers (each prints 'listening on HOST:PORT'; --host, --port; --tls [--cert FILE --key FILE])", Kind.SERVES);
        add("chat", ChatServer.class, "chat server for nc/telnet users (port 6667): nicknames, /nick /who /me /quit /help");
        add("echo", EchoServer.class, "echo server on streams: read, write, drain (port 8888)");
        add("echo-protocol", EchoProtocolServer.class, "echo server on transports and protocols, with flow control (port 8889)");
        add("kv-server", KvServer.class, "Redis-protocol key-value server for redis-cli and redis-benchmark (port 6380)");
        add("http-server", HttpBinServer.class, "HTTP/1.1 server: /, /get, /delay/{n}, /status/{code}, /bytes/{n} (port 8080)");
        group("datagrams (UDP)", Kind.SERVES);
        add("udp-echo", UdpEcho.class, "UDP echo server (port 9999): prints 'listening on HOST:PORT'; --host, --port, its limits");
        add("udp-client", UdpClient.class, Kind.RUNS, "sends numbered datagrams to a UDP echo server; reports loss and round-trip percentiles");
        group("pitfalls: each makes the mistake on purpose, shows what the loop reports, then the fix", Kind.WAITS);
        add("pitfall-no-await", NoAwait.class, "a failing future nobody awaits: \"exception was never retrieved\"");
        add("pitfall-blocking", Blocking.class, "Thread.sleep in a task: the slow-callback line and the watchdog's stack");
        add("pitfall-unbounded", Unbounded.class, "2,000 requests at once against a busy local server, then under AsyncSemaphore(10)");
        add("pitfall-no-timeout", NoTimeout.class, "a peer that never answers: waitFor/timeout give up; the shutdown report");
        add("pitfall-hanging-shutdown", HangingShutdown.class, "forgotten background tasks at shutdown, then cancelled or in a TaskGroup");
        add("pitfall-nested-run", NestedRun.class, "EventLoop.run inside a running loop, get()/join() on the loop thread");
    }

    private Examples() {
    }

    private static void group(String title, Kind programs) {
        group = title;
        kind = programs;
    }

    private static void add(String name, Class<?> type, String description) {
        add(name, type, kind, description);
    }

    private static void add(String name, Class<?> type, Kind programKind, String description) {
        EXAMPLES.put(name, new Example(type.getName(), description, group, programKind));
    }

    /** The names of the examples of {@code kind}, in listing order. */
    static List<String> names(Kind kind) {
        return EXAMPLES.entrySet().stream().filter(e -> e.getValue().kind() == kind).map(Map.Entry::getKey).toList();
    }

    /** Lists the examples, or runs the one named by {@code args[0]} with the remaining arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: ./run NAME [args]; ./run NAME --help lists a program's options");
            System.out.println("every program that waits takes --scale F: ./run simulated-tasks --scale 0.1 runs ten times faster");
            String shown = null;
            for (Map.Entry<String, Example> e : EXAMPLES.entrySet()) {
                if (!e.getValue().group().equals(shown)) {
                    shown = e.getValue().group();
                    System.out.printf("%n%s%n", shown);
                }
                System.out.printf("  %-25s %s%n", e.getKey(), e.getValue().description());
            }
            return;
        }
        Example example = EXAMPLES.get(args[0]);
        if (example == null) {
            System.err.println("no example named '" + args[0] + "'; ./run lists them");
            System.exit(2);
        }
        Method main = Class.forName(example.className()).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
