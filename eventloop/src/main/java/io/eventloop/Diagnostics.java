package io.eventloop;

import java.security.ProtectionDomain;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The debug-mode helpers of the loop: where a task or future was created, what a callback is in
 * words, and {@link #warn}, which every diagnostic warning goes through. Nothing here runs unless
 * debug mode or the watchdog is on, except {@link #describe(Runnable)} when an error is reported.
 */
final class Diagnostics {
    /**
     * Receives every diagnostic warning as well as the logger; for tests, which cannot read what
     * the logging backend printed. Null in normal use.
     */
    static volatile Consumer<String> tap;

    /** Frames whose class comes from the library's own code source are skipped as "inside". */
    private static final ProtectionDomain LIBRARY = EventLoop.class.getProtectionDomain();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Diagnostics() {
    }

    /**
     * The first frame of the caller outside the library and the JDK: where user code created a
     * task or future. A stack walk (a few microseconds), so only in debug mode. The library is
     * told apart by its code source rather than its package name, so that code in the same
     * package from another jar (the library's own tests) counts as "outside". Only the frames of
     * the callback running now count: below the scheduler is whoever runs the loop (a test kit,
     * a host), which did not create the future.
     */
    static StackTraceElement creationSite() {
        return creationSite(EventLoop.class);
    }

    /**
     * {@link #creationSite()}, also skipping the frames of classes from {@code driver}'s code source:
     * for a {@link Task.Stepper}, whose own factory method (in another jar) did not create the task,
     * its caller did.
     */
    static StackTraceElement creationSite(Class<?> driver) {
        ProtectionDomain also = driver.getProtectionDomain();
        return WALKER.walk(frames -> frames
                .takeWhile(f -> f.getDeclaringClass() != Scheduler.class) // below it: whoever drives the loop, not the callback
                .filter(f -> !inside(f.getDeclaringClass()) && f.getDeclaringClass().getProtectionDomain() != also)
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    private static boolean inside(Class<?> c) {
        String n = c.getName();
        return c.getProtectionDomain() == LIBRARY || n.startsWith("java.") || n.startsWith("jdk.")
                || n.startsWith("sun.");
    }

    /**
     * A warning under the loop's logger, {@code io.eventloop.EventLoop} (so one logger setting
     * controls every report), or on stderr with no SLF4J provider ({@link LoopLog}); and to the
     * test tap.
     */
    static void warn(String message) {
        LoopLog.warn(EventLoop.class, message, null);
        Consumer<String> t = tap;
        if (t != null) {
            t.accept(message);
        }
    }

    /** Seconds with three decimals, as asyncio prints them: "0.153". */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /**
     * What a ready callback is, in words: a task step names its task (and creation site), a
     * continuation names the task it belongs to, a handle names its callback.
     */
    static String describe(Runnable callback) {
        if (callback instanceof Task.Step s) {
            return s.task().describeBrief();
        }
        if (callback instanceof Waiting<?> w) {
            Task<?> owner = w.owner;
            return owner != null ? "continuation " + w + " of " + owner.describeBrief() : w.toString();
        }
        return String.valueOf(callback);
    }

    /**
     * The future at the end of {@code f}'s chain of continuations (or {@code f}): what a task
     * waiting on {@code f} waits for in the end. A loop, not recursion: a chain may be a million
     * continuations long. Stops at a task, and at a continuation whose step is running.
     */
    static Future<?> innermost(Future<?> f) {
        while (f instanceof Waiting<?> w && !(f instanceof Task<?>) && w.awaited() != null) {
            f = w.awaited();
        }
        return f;
    }

    /**
     * What a task waits on, in words, for reports (the shutdown report, the call graph): another
     * task by name and creation site; any other future by its {@code toString}, with the time
     * left on the timer that completes it (a sleep), when asked on the loop thread.
     */
    static String waitedOn(Future<?> f) {
        if (f instanceof Task<?> t) {
            return t.describeBrief();
        }
        String timer = f.loop.inLoopThread() ? f.loop.timerFor(f) : null; // the heap is the loop thread's
        return timer == null ? f.toString() : f + " (" + timer + ")";
    }

    /** " created at Site" when {@code f} recorded one (debug mode), else "". */
    static String site(Future<?> f) {
        StackTraceElement s = f.site;
        return s == null ? "" : " created at " + s;
    }
}
