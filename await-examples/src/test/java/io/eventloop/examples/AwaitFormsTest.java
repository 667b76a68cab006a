package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.EventLoop;
import io.eventloop.net.Connection;
import io.eventloop.net.Net;
import io.eventloop.net.StreamReader;
import io.eventloop.postgres.PgException;
import io.eventloop.postgres.PgServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The straight-line forms print what their callback forms print, and the servers serve. */
class AwaitFormsTest {

    /**
     * What {@code main} prints, with what varies from run to run masked: elapsed times, loopback
     * ports, identity hash codes and deadlines.
     */
    private static String output(ThrowingRunnable main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8).replaceAll("\\d+\\.\\d+s", "N.NNs")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("EventLoop@\\p{XDigit}+", "EventLoop@ID").replaceAll("when=\\d+", "when=T");
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "sync-vs-async", "timeout", "cancel-cleanup", "producer-consumer", "task-group", "lock-counter",
            "simulated-tasks", "hello-world-tasks", "structure", "create-task", "wait-first", "fetch-data", "offload-blocking",
            "context-manager", "async-iterator", "fetch-delays", "fetch-sync-vs-async",
            "async-generator", "async-from-sync", "pitfall-no-await", "pitfall-blocking", "pitfall-no-timeout",
            "pitfall-nested-run"})
    void printsWhatTheCallbackFormPrints(String name) throws Exception {
        String[] args = {"--scale", "0.05"};
        String callback = output(() -> Examples.main(concat(name, args)));
        String straight = output(() -> AwaitExamples.main(concat(name, args)));
        assertEquals(callback, straight);
        assertTrue(!straight.isBlank());
    }

    /**
     * At full scale: the work's 20 ms sleep is what lets the consumer take both jobs before it is
     * cancelled (at a twentieth of it, the callback form's consumer sometimes takes only one).
     */
    @Test
    void hangingShutdownPrintsWhatTheCallbackFormPrints() throws Exception {
        String callback = output(() -> Examples.main(new String[] {"pitfall-hanging-shutdown"}));
        String straight = output(() -> AwaitExamples.main(new String[] {"pitfall-hanging-shutdown"}));
        assertEquals(callback, straight);
        assertEquals(4, straight.split("consumed job 2", -1).length - 1, straight);
    }

    /** The date differs from one second to the next; the rest does not. */
    @Test
    void subprocessPrintsWhatTheCallbackFormPrints() throws Exception {
        String[] args = {"subprocess", "--scale", "0.1"};
        String callback = output(() -> Examples.main(args)).replaceAll("Current date: .*", "Current date: D");
        String straight = output(() -> AwaitExamples.main(args)).replaceAll("Current date: .*", "Current date: D");
        assertEquals(callback, straight);
        assertTrue(straight.contains("[sleep 60 killed after N.NNs: returncode"), straight);
    }

    /** The programs that take no {@code --scale}: they wait on nothing but the disk or loopback. */
    @ParameterizedTest
    @ValueSource(strings = {"fetch-urls", "files"})
    void unscaledProgramsPrintWhatTheCallbackFormPrints(String name) throws Exception {
        String callback = output(() -> Examples.main(new String[] {name}));
        String straight = output(() -> AwaitExamples.main(new String[] {name}));
        assertEquals(callback, straight);
        assertTrue(!straight.isBlank());
    }

    /**
     * The request lines interleave by timing, so they are compared as a set; the id on each line
     * is the one of the request it names, in both forms.
     */
    @Test
    void loggingContextTagsTheSameLinesWithTheSameIds() throws Exception {
        String[] args = {"logging-context", "--scale", "0.2"};
        List<String> callback = sortedLines(output(() -> Examples.main(args)));
        List<String> straight = sortedLines(output(() -> AwaitExamples.main(args)));
        assertEquals(callback, straight);
        assertEquals(17, straight.size());
        for (String line : straight) {
            String id = line.substring(0, 5).strip();
            String expected = line.contains("/users/7") ? "a3f1" : line.contains("/orders") ? "7c02"
                    : line.contains("/health") ? "e9b4" : "-";
            assertEquals(expected, id, line);
        }
    }

    /** How many ticks the ticker saw depends on timing; the rest, the rows included, does not. */
    @Test
    void databasePrintsTheRowsAndTicksWhileTheQueryRuns() throws Exception {
        String[] args = {"database", "--scale", "0.3"};
        String callback = withoutTicks(output(() -> Examples.main(args)));
        String straight = withoutTicks(output(() -> AwaitExamples.main(args)));
        assertEquals(callback, straight);
        assertEquals(List.of("1 alice", "2 bob", "3 carol", "slow query started", "slow query done",
                "ticks while the query ran: N"), straight.lines().toList());
    }

    /**
     * On PostgreSQL ({@code --postgres URI}, a cluster of this test's own): the same lines, and the
     * same failures for a wrong password and a URI the client refuses.
     */
    @Test
    void databaseOnPostgresPrintsWhatTheCallbackFormPrintsAndFailsAsItDoes() throws Exception {
        try (PgServer server = PgServer.start()) {
            String[] args = {"database", "--scale", "0.3", "--postgres", server.uri()};
            String callback = withoutTicks(output(() -> Examples.main(args)));
            String straight = withoutTicks(output(() -> AwaitExamples.main(args)));
            assertEquals(callback, straight);
            assertEquals(List.of("1 alice", "2 bob", "3 carol", "slow query started", "slow query done",
                    "ticks while the query ran: N", "executor threads the queries started: 0"),
                    straight.lines().toList());
            Scale scale = Scale.parse(new String[] {"--scale", "0.3"}, "test");
            PgException refused = assertThrows(PgException.class, () -> EventLoop.run(
                    () -> DatabaseAwait.onPostgres(server.uri(PgServer.USER, "wrong-pw"), scale)));
            assertEquals("28P01", refused.sqlState());
            assertThrows(DatabasePostgres.BadUri.class, () -> EventLoop.run(
                    () -> DatabaseAwait.onPostgres("mysql://app:pw@127.0.0.1/shop", scale)));
        }
    }

    private static String withoutTicks(String text) {
        return text.replaceAll("(?m)^tick\\R", "").replaceAll("ran: \\d+", "ran: N");
    }

    /**
     * How many requests the flood gets turned away varies; under the semaphore every one is
     * served, never more than ten at once, in both forms.
     */
    @Test
    void unboundedRequestsAreTurnedAwayAndTheSemaphoreServesThemAll() throws Exception {
        String callback = output(() -> Examples.main(new String[] {"pitfall-unbounded"}));
        String straight = output(() -> AwaitExamples.main(new String[] {"pitfall-unbounded"}));
        assertEquals(callback.replaceAll("[\\d.]+", "N"), straight.replaceAll("[\\d.]+", "N"));
        String fix = straight.substring(straight.indexOf("== fix"));
        assertTrue(fix.matches("(?s).*served 2000, turned away busy 0; at most (10|\\d) served at once.*"), straight);
        assertTrue(straight.substring(0, straight.indexOf("== fix")).matches("(?s).*turned away busy [1-9]\\d*;.*"), straight);
    }

    /** The lines of {@code text} sorted, with executor thread numbers masked (which worker runs what varies). */
    private static List<String> sortedLines(String text) {
        return text.lines().map(l -> l.replaceAll("eventloop-executor-\\d+", "eventloop-executor-N")).sorted().toList();
    }

    private static String[] concat(String name, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    @Test
    void theEchoHandlerEchoesUntilEof() {
        String echoed = EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return Net.startServer(loop, EchoAwait::handle, "127.0.0.1", 0).then(server ->
                    loop.openConnection("127.0.0.1", server.port()).then(c -> {
                        c.writer().write("one\ntwo\n");
                        c.writer().writeEof();
                        return c.reader().read(1 << 20).then(first -> readAll(c, new String(first, StandardCharsets.UTF_8)));
                    }).ensure(() -> {
                        server.close();
                    }));
        });
        assertEquals("one\ntwo\n", echoed);
    }

    private static io.eventloop.Future<String> readAll(Connection c, String sofar) {
        return c.reader().read(1 << 20).then(more -> {
            if (more.length == 0) {
                c.writer().close();
                return io.eventloop.Async.completed(sofar);
            }
            return readAll(c, sofar + new String(more, StandardCharsets.UTF_8));
        });
    }

    @Test
    void chatUsersSeeEachOthersLines() {
        ChatServer.Config config = new ChatServer.Config();
        config.idleTimeout = Duration.ofMinutes(1);
        ChatAwait chat = new ChatAwait(config);
        List<String> bobSaw = EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return Net.startServer(loop, chat::handle, "127.0.0.1", 0, 2048).then(server -> {
                int port = server.port();
                return loop.openConnection("127.0.0.1", port).then(alice -> loop.openConnection("127.0.0.1", port)
                        .then(bob -> {
                            alice.writer().write("alice\n");
                            return line(alice.reader()).then(w -> line(alice.reader())).then(hello -> {
                                bob.writer().write("bob\n");
                                return line(bob.reader()).then(w -> line(bob.reader()));
                            }).then(bobHello -> line(alice.reader())).then(joined -> {
                                alice.writer().write("hi \u001b[2J bob\n/quit\n");
                                return line(bob.reader()).then(said -> line(bob.reader()).map(left -> List.of(said, left)));
                            }).ensure(() -> {
                                alice.writer().close();
                                bob.writer().close();
                                server.close();
                            });
                        }));
            });
        });
        assertEquals(List.of("<alice> hi ^[[2J bob", "* alice left"), bobSaw);
    }

    private static io.eventloop.Future<String> line(StreamReader reader) {
        return reader.readLine();
    }

    @Test
    void aProgramWithoutAFormSaysWhyOrThatItHasNoneYet() {
        assertTrue(AwaitExamples.noForm("echo-protocol").contains("a Protocol is callbacks by nature"),
                AwaitExamples.noForm("echo-protocol"));
        assertTrue(AwaitExamples.noForm("kv-server").startsWith("'kv-server': it has no straight-line form yet; ./run kv-server"),
                AwaitExamples.noForm("kv-server"));
        assertTrue(AwaitExamples.noForm("fetch-dlays").startsWith("no example named 'fetch-dlays'"),
                AwaitExamples.noForm("fetch-dlays"));
    }

    @Test
    void everyFormIsRegistered() {
        for (String name : AwaitExamples.names()) {
            assertTrue(java.util.Arrays.stream(Examples.Kind.values()).anyMatch(kind -> Examples.names(kind).contains(name)),
                    name + " is an example name");
        }
    }
}
