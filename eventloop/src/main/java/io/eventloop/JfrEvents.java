package io.eventloop;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The loop's Java Flight Recorder events (see docs/operations.md). The rare ones (slow callback,
 * blocked loop) follow the JFR idiom {@code e = new X(); if (e.isEnabled()) { fill; commit }}.
 * The task events, emitted for every task, ask the event's {@link EventType} first: a field read,
 * with no allocation to be removed by escape analysis. The A/B run of docs/benchmarks.md
 * ("Diagnostics") measured task create + finish 1.08x slower with the idiom alone, and no slower
 * than before diagnostics with this guard.
 */
final class JfrEvents {
    private JfrEvents() {
    }

    /**
     * The task events' types, looked up when the first task is created (class initialisation).
     * That sets up JFR's metadata, a few hundred milliseconds on a busy machine, once per process;
     * the call graph's periodic hook is registered here too, so a loop pays for it with its first
     * task rather than at creation (without tasks, there is no graph to show).
     */
    private static final class Types {
        static final EventType TASK_CREATED = EventType.getEventType(TaskCreated.class);
        static final EventType TASK_DONE = EventType.getEventType(TaskDone.class);

        static {
            FlightRecorder.addPeriodicEvent(CallGraphEvent.class, CallGraphDump::record);
        }
    }

    /** A task was created. */
    @Name("io.eventloop.TaskCreated")
    @Label("Task Created")
    @Category({"Event Loop", "Tasks"})
    @Description("A task was created on an event loop")
    static final class TaskCreated extends Event {
        @Label("Name")
        String name;
        @Label("Created At")
        @Description("The first stack frame outside the library (debug mode only)")
        String site;
    }

    /** A task finished. */
    @Name("io.eventloop.TaskDone")
    @Label("Task Done")
    @Category({"Event Loop", "Tasks"})
    @Description("A task finished: succeeded, failed or cancelled")
    static final class TaskDone extends Event {
        @Label("Name")
        String name;
        @Label("Outcome")
        String outcome;
    }

    /** A callback or task step ran longer than the slow-callback threshold (debug mode). */
    @Name("io.eventloop.SlowCallback")
    @Label("Slow Callback")
    @Category({"Event Loop"})
    @Description("A callback or task step ran longer than slowCallbackDuration (debug mode)")
    static final class SlowCallback extends Event {
        @Label("Callback")
        String callback;
        @Label("Took")
        @Timespan(Timespan.NANOSECONDS)
        long took;
    }

    /** The watchdog found the loop thread stuck in one callback. */
    @Name("io.eventloop.LoopBlocked")
    @Label("Loop Blocked")
    @Category({"Event Loop"})
    @Description("The loop thread did not come back from one callback or task step within the watchdog threshold")
    static final class LoopBlocked extends Event {
        @Label("Callback")
        String callback;
        @Label("Blocked For")
        @Timespan(Timespan.NANOSECONDS)
        long blockedFor;
        @Label("Loop Thread")
        Thread loopThread;
    }

    /**
     * The call graph of one running loop ({@link CallGraph}), at the start and end of every chunk
     * of a recording: {@code jcmd PID JFR.dump} ends a chunk, so a dump holds the graph of that
     * moment. Its hook, {@code CallGraphDump.record}, is registered with the task events' types.
     */
    @Name("io.eventloop.CallGraph")
    @Label("Call Graph")
    @Category({"Event Loop", "Tasks"})
    @Description("Who awaits whom on an event loop: every live task and the chain it waits on")
    @Period("everyChunk")
    @StackTrace(false) // the stack of the JFR thread that asked, which says nothing
    static final class CallGraphEvent extends Event {
        @Label("Loop")
        String loop;
        @Label("Tasks")
        @Description("Live tasks on the loop, or -1 when it did not answer")
        int tasks;
        @Label("Graph")
        @Description("The tree CallGraph.toString() prints, or why there is none")
        String graph;
    }

    static void callGraph(String loop, int tasks, String graph) {
        CallGraphEvent e = new CallGraphEvent();
        e.loop = loop;
        e.tasks = tasks;
        e.graph = graph;
        e.commit();
    }

    static void taskCreated(Task<?> task) {
        if (!Types.TASK_CREATED.isEnabled()) {
            return;
        }
        TaskCreated e = new TaskCreated();
        if (e.isEnabled()) {
            e.name = task.name();
            e.site = task.site == null ? null : task.site.toString();
            e.commit();
        }
    }

    static void taskDone(Task<?> task) {
        if (!Types.TASK_DONE.isEnabled()) {
            return;
        }
        TaskDone e = new TaskDone();
        if (e.isEnabled()) {
            e.name = task.name();
            e.outcome = task.isCancelled() ? "cancelled" : task.state() == Future.FAILED ? "failed" : "succeeded";
            e.commit();
        }
    }

    static void slowCallback(String what, long tookNanos) {
        SlowCallback e = new SlowCallback();
        if (e.isEnabled()) {
            e.callback = what;
            e.took = tookNanos;
            e.commit();
        }
    }

    static void loopBlocked(String what, long blockedNanos, Thread thread) {
        LoopBlocked e = new LoopBlocked();
        if (e.isEnabled()) {
            e.callback = what;
            e.blockedFor = blockedNanos;
            e.loopThread = thread;
            e.commit();
        }
    }
}
