package io.eventloop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;

/**
 * The call graphs of a running process without a code change ({@code docs/operations.md}, "Who
 * awaits whom"), for an operator who can reach the process but not its code:
 * <ul>
 *   <li>a Java Flight Recorder periodic event, {@code io.eventloop.CallGraph} ({@link JfrEvents}),
 *       one per open loop at the start and end of every chunk of a recording;</li>
 *   <li>a signal named by the system property {@value #SIGNAL_PROPERTY} (say {@code USR2}): on it,
 *       every open loop's graph is logged under {@code io.eventloop.EventLoop} at INFO.</li>
 * </ul>
 * Both need every open loop of the process, which this keeps: a loop joins when it is created and
 * leaves when it is closed, and is held weakly, so a loop nobody closed is not kept alive. The
 * property is read once, when the first loop is created (this class is initialised then). JFR
 * learns of the hook when the first task is created ({@link JfrEvents}, where JFR's metadata is
 * set up anyway), and calls it only while a recording enables the event.
 *
 * <p>Each loop is asked through its door, all of them at once, and the answers are awaited for
 * {@link CallGraph#DEFAULT_TIMEOUT} in all: a loop blocked in a callback is reported as such
 * instead of holding the others up. Any thread: JFR calls the hook on its own thread (or the one
 * dumping), and {@code sun.misc.Signal} runs the handler on a thread of its own per signal.
 */
final class CallGraphDump {
    /** The system property naming the signal that logs every loop's call graph; unset: none. */
    static final String SIGNAL_PROPERTY = "eventloop.callGraphSignal";
    /** The loops created and not closed yet. Any thread, under its own lock. */
    private static final Set<EventLoop> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    static {
        String signal = System.getProperty(SIGNAL_PROPERTY);
        if (signal != null && !signal.isBlank()) {
            installSignal(signal.trim());
        }
    }

    private CallGraphDump() {
    }

    /** A loop was created. */
    static void opened(EventLoop loop) {
        OPEN.add(loop);
    }

    /** A loop was closed. */
    static void closed(EventLoop loop) {
        OPEN.remove(loop);
    }

    /** One loop's graph as text, or why there is none; {@code tasks} is -1 when there is none. */
    record Answer(String loop, int tasks, String text) {
    }

    /** Every open loop's call graph, asking the running ones all at once. */
    static List<Answer> captureAll() {
        List<EventLoop> loops;
        synchronized (OPEN) {
            loops = new ArrayList<>(OPEN);
        }
        List<CompletableFuture<CallGraph>> asked = new ArrayList<>(loops.size());
        for (EventLoop loop : loops) {
            asked.add(loop.isRunning() && !loop.inLoopThread() ? CallGraph.request(loop) : null);
        }
        long deadline = System.nanoTime() + CallGraph.DEFAULT_TIMEOUT.toNanos();
        List<Answer> answers = new ArrayList<>(loops.size());
        for (int i = 0; i < loops.size(); i++) {
            answers.add(answer(loops.get(i), asked.get(i), deadline));
        }
        return answers;
    }

    private static Answer answer(EventLoop loop, CompletableFuture<CallGraph> asked, long deadline) {
        String name = loop.toString();
        try {
            CallGraph graph;
            if (asked != null) {
                graph = asked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else if (loop.inLoopThread() && !loop.isClosed()) {
                graph = CallGraph.of(loop); // asked on the loop's own thread: a dump from a callback
            } else {
                return new Answer(name, -1, name + ": not running");
            }
            return new Answer(name, graph.taskCount(), graph.toString());
        } catch (TimeoutException e) {
            asked.cancel(false);
            return new Answer(name, -1, name + ": no answer within " + CallGraph.DEFAULT_TIMEOUT
                    + "; a callback is blocking its thread (Options.watchdog reports which)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(name, -1, name + ": interrupted while waiting for it");
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return new Answer(name, -1, name + ": " + cause); // closed meanwhile
        }
    }

    /** The JFR hook ({@link JfrEvents}, registered when the first task is created): one event per open loop. */
    static void record() {
        for (Answer a : captureAll()) {
            JfrEvents.callGraph(a.loop(), a.tasks(), a.text());
        }
    }

    /** The signal handler: one log entry per open loop. */
    private static void log(String signal) {
        List<Answer> answers = captureAll();
        if (answers.isEmpty()) {
            LoopLog.info(EventLoop.class, "call graph on SIG" + signal + ": no open event loop");
        }
        for (Answer a : answers) {
            LoopLog.info(EventLoop.class, "call graph on SIG" + signal + ":\n" + a.text());
        }
    }

    /**
     * Makes {@code name} log the call graphs. INT, TERM and HUP are left to
     * {@link EventLoop#addSignalHandler} (graceful shutdown); the JVM refuses QUIT (its thread dump)
     * and the signals it uses. A refusal is a warning, not an error: the process runs on.
     */
    private static void installSignal(String name) {
        String signal = name.startsWith("SIG") ? name.substring(3) : name;
        if (signal.equals("INT") || signal.equals("TERM") || signal.equals("HUP")) {
            Diagnostics.warn("-D" + SIGNAL_PROPERTY + "=" + name + " is ignored: SIG" + signal + " is kept for"
                    + " EventLoop.addSignalHandler (graceful shutdown); use USR2 or USR1");
            return;
        }
        try {
            Signal.handle(new Signal(signal), s -> log(signal));
        } catch (IllegalArgumentException e) {
            Diagnostics.warn("-D" + SIGNAL_PROPERTY + "=" + name + " is ignored: the JVM does not let SIG" + signal
                    + " be handled here (" + e.getMessage() + "); use USR2 or USR1");
        }
    }
}
