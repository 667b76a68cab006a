package io.eventloop.examples;

import io.eventloop.examples.http.FetchDelaysAwait;
import io.eventloop.examples.http.FetchSyncVsAsyncAwait;
import io.eventloop.examples.http.FetchUrlsAwait;
import io.eventloop.examples.pitfalls.BlockingAwait;
import io.eventloop.examples.pitfalls.HangingShutdownAwait;
import io.eventloop.examples.pitfalls.NestedRunAwait;
import io.eventloop.examples.pitfalls.NoAwaitAwait;
import io.eventloop.examples.pitfalls.NoTimeoutAwait;
import io.eventloop.examples.pitfalls.UnboundedAwait;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher of the straight-line forms: {@code ./run NAME --await [args]} runs here (JDK 21+,
 * with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, which {@code ./run} adds).
 * The same names as {@link Examples}; each program prints what its callback form prints.
 */
public final class AwaitExamples {
    /** Example name to its straight-line form, in the order {@code ./run} lists them. */
    private static final Map<String, Class<?>> FORMS = new LinkedHashMap<>();

    static {
        FORMS.put("hello", HelloAwait.class);
        FORMS.put("sync-vs-async", SyncVsAsyncAwait.class);
        FORMS.put("semaphore", SemaphoreAwait.class);
        FORMS.put("producer-consumer", ProducerConsumerAwait.class);
        FORMS.put("timeout", TimeoutAwait.class);
        FORMS.put("fetch-delays", FetchDelaysAwait.class);
        FORMS.put("offload-blocking", OffloadBlockingAwait.class);
        FORMS.put("structure", StructureAwait.class);
        FORMS.put("create-task", CreateTaskAwait.class);
        FORMS.put("fetch-sync-vs-async", FetchSyncVsAsyncAwait.class);
        FORMS.put("coroutine", CoroutineAwait.class);
        FORMS.put("wait-first", WaitFirstAwait.class);
        FORMS.put("context-manager", ContextManagerAwait.class);
        FORMS.put("async-iterator", AsyncIteratorAwait.class);
        FORMS.put("database", DatabaseAwait.class);
        FORMS.put("files", FilesAwait.class);
        FORMS.put("async-from-sync", AsyncFromSyncAwait.class);
        FORMS.put("cancel-cleanup", CancelCleanupAwait.class);
        FORMS.put("simulated-tasks", SimulatedTasksAwait.class);
        FORMS.put("error-handling", ErrorHandlingAwait.class);
        FORMS.put("lock-counter", LockCounterAwait.class);
        FORMS.put("async-generator", AsyncGeneratorAwait.class);
        FORMS.put("task-group", TaskGroupAwait.class);
        FORMS.put("logging-context", LoggingContextAwait.class);
        FORMS.put("fetch-data", FetchDataAwait.class);
        FORMS.put("hello-world-tasks", HelloWorldTasksAwait.class);
        FORMS.put("fetch-urls", FetchUrlsAwait.class);
        FORMS.put("subprocess", SubprocessAwait.class);
        FORMS.put("chat", ChatAwait.class);
        FORMS.put("echo", EchoAwait.class);
        FORMS.put("pitfall-no-await", NoAwaitAwait.class);
        FORMS.put("pitfall-blocking", BlockingAwait.class);
        FORMS.put("pitfall-unbounded", UnboundedAwait.class);
        FORMS.put("pitfall-no-timeout", NoTimeoutAwait.class);
        FORMS.put("pitfall-hanging-shutdown", HangingShutdownAwait.class);
        FORMS.put("pitfall-nested-run", NestedRunAwait.class);
    }

    /** Why an example has no straight-line form, for those where one would make no sense. */
    private static final Map<String, String> WHY_NOT = new LinkedHashMap<>();

    static {
        WHY_NOT.put("echo-protocol", "a Protocol is callbacks by nature (the loop calls dataReceived; nothing in it awaits),"
                + " so it has no straight-line form: ./run echo --await is the echo server written straight-line, on streams");
        WHY_NOT.put("http-server", "the server stays in callback form; its clients fetch-delays, fetch-sync-vs-async and"
                + " fetch-urls have a straight-line form");
    }

    private AwaitExamples() {
    }

    /** The names that have a straight-line form. */
    static Iterable<String> names() {
        return FORMS.keySet();
    }

    /** What {@code ./run NAME --await} says for a name without a straight-line form. */
    static String noForm(String name) {
        boolean known = false;
        for (Examples.Kind kind : Examples.Kind.values()) {
            known |= Examples.names(kind).contains(name);
        }
        if (!known) {
            return "no example named '" + name + "'; ./run lists them. Those with a straight-line form: "
                    + String.join(" ", FORMS.keySet());
        }
        String why = WHY_NOT.getOrDefault(name, "it has no straight-line form yet");
        return "'" + name + "': " + why + "; ./run " + name + " runs its callback form. Those with one: "
                + String.join(" ", FORMS.keySet());
    }

    /** Runs the straight-line form of {@code args[0]} with the remaining arguments, or lists them. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: ./run NAME --await [args]: the straight-line form (Await.async / await) of an example");
            System.out.println("examples with one: " + String.join(" ", FORMS.keySet()));
            return;
        }
        Class<?> form = FORMS.get(args[0]);
        if (form == null) {
            System.err.println(noForm(args[0]));
            System.exit(2);
        }
        Method main = form.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
