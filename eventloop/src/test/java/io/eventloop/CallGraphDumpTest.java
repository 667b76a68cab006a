package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sun.misc.Signal;

/**
 * {@link CallGraph} from other threads, and the two ways to get it without a code change: the
 * {@code io.eventloop.CallGraph} JFR event and the {@code eventloop.callGraphSignal} signal. Latches
 * and joins carry a generous timeout only so that a broken loop fails instead of hanging.
 */
class CallGraphDumpTest {
    private static final long GUARD_SECONDS = 30;

    /** A real loop named {@code name}, running on its own thread until closed; tasks left at close are not reported. */
    private static final class LoopThread implements AutoCloseable {
        final EventLoop loop;
        final Thread thread;

        LoopThread(String name) throws Exception {
            CompletableFuture<EventLoop> made = new CompletableFuture<>();
            thread = new Thread(() -> {
                EventLoop l = new EventLoop(EventLoop.Options.defaults().watchdog(null).debug(false));
                l.name = name;
                l.setExceptionHandler((lp, c) -> { }); // the tasks these tests leave pending
                made.complete(l);
                try {
                    l.runForever();
                } finally {
                    l.close();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            loop = made.get(GUARD_SECONDS, TimeUnit.SECONDS);
        }

        /** Makes "parent", which awaits "child", which awaits a future nobody completes; returns once both wait. */
        void parentAwaitingChild() throws Exception {
            loop.submit(() -> {
                Future<Void> never = loop.createFuture();
                Task<Void> child = loop.createTask("child", () -> never);
                loop.createTask("parent", () -> child);
                return Async.sleep(Duration.ofMillis(1)); // both have taken their first step by then
            }).get(GUARD_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            loop.callSoonThreadsafe(loop::stop);
            thread.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        }
    }

    @Test
    void aThreadOtherThanTheLoopsGetsTheGraphWhileTheLoopRuns() throws Exception {
        try (LoopThread t = new LoopThread("graph-from-afar")) {
            t.parentAwaitingChild();

            CallGraph graph = CallGraph.of(t.loop);

            String text = graph.toString();
            assertTrue(text.startsWith("EventLoop 'graph-from-afar'@") && text.contains("[running], 2 tasks"), text);
            assertTrue(text.endsWith("\n└── (T) parent\n    └── (T) child\n        └── Future[pending]"), text);
        }
    }

    @Test
    void aLoopThatIsNotRunningCannotAnswerAnotherThread() throws Exception {
        try (EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null))) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread other = new Thread(() -> thrown.complete(catchThrowable(() -> CallGraph.of(loop))));
            other.start();
            Throwable e = thrown.get(GUARD_SECONDS, TimeUnit.SECONDS);
            assertTrue(e instanceof IllegalStateException && e.getMessage().contains("is not running"), String.valueOf(e));
            assertTrue(CallGraph.of(loop).toString().endsWith("[idle], 0 tasks"), "its own thread may ask");
        }
    }

    @Test
    void aLoopBlockedInACallbackDoesNotAnswerWithinTheTimeout() throws Exception {
        try (LoopThread t = new LoopThread("blocked")) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocking = new CountDownLatch(1);
            t.loop.callSoonThreadsafe(() -> {
                blocking.countDown();
                awaitQuietly(release);
            });
            assertTrue(blocking.await(GUARD_SECONDS, TimeUnit.SECONDS));
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> CallGraph.of(t.loop, Duration.ofMillis(50)));
                assertTrue(e.getMessage().contains("did not answer within PT0.05S"), e.getMessage());
            } finally {
                release.countDown();
            }
            assertTrue(CallGraph.of(t.loop, Duration.ofSeconds(GUARD_SECONDS)).toString().endsWith(", 0 tasks"));
        }
    }

    @Test
    void tasksThatAwaitEachOtherAreDrawnOnceAsACycle() {
        EventLoop loop = new EventLoop(EventLoop.Options.defaults().watchdog(null).debug(false));
        try {
            loop.setExceptionHandler((l, c) -> { }); // the deadlocked pair is still pending at close
            Future<Task<?>> second = loop.createFuture();
            Task<Object> a = loop.createTask("a", () -> second.then(b -> b).map(v -> null));
            second.complete(loop.createTask("b", () -> a));
            loop.runUntilComplete(Async.sleep(Duration.ofMillis(1)));

            String text = CallGraph.of(loop).toString();

            assertTrue(text.endsWith(", 2 tasks\n└── (T) a\n    └── (T) b\n        └── (T) a (shown above)"), text);
        } finally {
            loop.close();
        }
    }

    @Test
    void aJfrRecordingHoldsTheCallGraphOfEachRunningLoop() throws Exception {
        Path file = Files.createTempFile("eventloop-callgraph", ".jfr");
        try (LoopThread t = new LoopThread("recorded")) {
            t.parentAwaitingChild();
            try (Recording r = new Recording()) {
                r.enable("io.eventloop.CallGraph"); // a periodic event: every chunk, at its start and end
                r.start();
                r.stop();
                r.dump(file);
            }
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.eventloop.CallGraph"))
                .filter(e -> e.getString("loop").startsWith("EventLoop 'recorded'"))
                .toList();
        Files.deleteIfExists(file);
        assertTrue(events.size() >= 1, "no io.eventloop.CallGraph event for the loop");
        RecordedEvent e = events.get(0);
        assertEquals(2, e.getInt("tasks"));
        assertTrue(e.getString("graph").endsWith("\n└── (T) parent\n    └── (T) child\n        └── Future[pending]"),
                e.getString("graph"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void theSignalNamedByTheSystemPropertyLogsEveryLoopsCallGraph() throws Exception {
        ChildJvm.Output out = ChildJvm.run("export JAVA_TOOL_OPTIONS=-Deventloop.callGraphSignal=USR2",
                LogsCallGraphOnSignal.class, List.of());

        assertEquals(0, out.exitCode(), out::toString);
        assertEquals("logged\n", out.out(), out::toString);
        assertTrue(out.err().contains("INFO io.eventloop.EventLoop - call graph on SIGUSR2:\nEventLoop@"), out.err());
        assertTrue(out.err().contains("\n└── (T) waiter\n    └── (T) sleeper\n        └── Future[sleep, pending] (a timer"),
                out.err());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aShutdownSignalIsNotTakenForTheCallGraph() throws Exception {
        ChildJvm.Output out = ChildJvm.run("export JAVA_TOOL_OPTIONS=-Deventloop.callGraphSignal=TERM",
                CreatesALoop.class, List.of());

        assertEquals(0, out.exitCode(), out::toString);
        assertTrue(out.err().contains("-Deventloop.callGraphSignal=TERM is ignored: SIGTERM is kept for"
                + " EventLoop.addSignalHandler"), out.err());
    }

    /** The child: two tasks, one awaiting the other; it raises USR2 and waits until the graph is logged. */
    static final class LogsCallGraphOnSignal {
        public static void main(String[] args) {
            CompletableFuture<Void> logged = new CompletableFuture<>();
            PrintStream err = System.err;
            StringBuilder seen = new StringBuilder();
            System.setErr(new PrintStream(new OutputStream() {
                @Override
                public synchronized void write(int b) {
                    err.write(b);
                    seen.append((char) b);
                    int sleeper = seen.indexOf("(T) sleeper"); // bytes as chars: look for ASCII only
                    if (b == '\n' && sleeper >= 0 && seen.indexOf("Future[sleep", sleeper) >= 0) {
                        logged.complete(null); // the whole tree is out: its last line has ended
                    }
                }
            }, true, StandardCharsets.UTF_8));
            EventLoop.run(() -> {
                EventLoop loop = EventLoop.current();
                Task<Void> sleeper = loop.createTask("sleeper", () -> Async.sleep(Duration.ofHours(1)));
                Task<Void> waiter = loop.createTask("waiter", () -> sleeper);
                return Async.sleep(Duration.ofMillis(1)).then(v -> {
                    new Thread(() -> Signal.raise(new Signal("USR2"))).start();
                    return Async.waitFor(Future.from(logged), Duration.ofSeconds(GUARD_SECONDS));
                }).ensure(() -> {
                    waiter.cancel();
                    sleeper.cancel();
                });
            });
            System.out.println("logged");
        }
    }

    /** The child: creates a loop, which reads the property. */
    static final class CreatesALoop {
        public static void main(String[] args) {
            new EventLoop().close();
        }
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
