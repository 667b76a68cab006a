package io.eventloop;

import java.util.ArrayList;

/**
 * Futures of one loop that failed while nobody was listening, held until someone looks or the
 * loop decides nobody will: asyncio's "exception was never retrieved".
 *
 * <p>asyncio reports such a future from {@code Future.__del__}, when it is collected; Java has no
 * timely finalizer, so the loop reports at moments of its own choosing instead: when it goes idle,
 * when 1024 nobody has looked at have piled up, and at close (see {@link #report()} for the rule).
 *
 * <p>Loop thread only.
 */
final class UnretrievedFailures {
    /** A bound, so a server that drops failures cannot grow the list without limit. */
    private static final int MAX_HELD = 1024;

    private final EventLoop loop;
    /** Failed futures that had no listener when they failed; some may have been looked at since. */
    private final ArrayList<Future<?>> held = new ArrayList<>();

    UnretrievedFailures(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether nothing is held: the loop's per-iteration check before {@link #report()}. */
    boolean isEmpty() {
        return held.isEmpty();
    }

    /**
     * {@code future} failed with no listener. Nothing is reported from here before it is held:
     * this runs inside its {@code fail}, often inside the call that made it
     * ({@code readLine()} on a reset connection returns a failed read that its caller awaits a
     * statement later). At the bound, the futures looked at since are dropped first: a loop that
     * always has a timer set (a server with idle timeouts) never goes idle, so they are nearly all
     * of what piles up; reporting at 1024 held, looked at or not, reported every 1024th of those
     * fresh failed reads as never retrieved.
     */
    void add(Future<?> future) {
        if (held.size() >= MAX_HELD) {
            held.removeIf(Future::isRetrieved);
            if (held.size() >= MAX_HELD) {
                report();
            }
        }
        held.add(future);
    }

    /**
     * Reports failures nobody looked at. Called at close, when 1024 have piled up, and when the
     * loop goes idle: nothing is ready, no timer is set and nothing came from another thread, so
     * the loop is about to wait for I/O or another thread only. Not merely "about to block": a
     * task that holds a failed task and sleeps before awaiting it ({@code t = createTask(fails);
     * sleep(1).then(v -> t)}) is correct code, and its timer keeps the loop from being idle. The
     * limit: a failure held across a wait on a socket or another thread, with no timer set, is
     * reported even if it is looked at later; attach a listener first (await it, {@code onDone},
     * gather, a TaskGroup) to keep it from being reported.
     */
    void report() {
        for (Future<?> f : held) {
            if (!f.isRetrieved()) {
                f.markRetrieved();
                Task<?> task = f instanceof Task<?> t ? t : null;
                String what = task != null ? "Task" : "Future";
                // The future's toString names it and, in debug mode, where it was created.
                loop.callExceptionHandler(new ErrorContext(what + " exception was never retrieved",
                        (Throwable) f.rawResult(), null, f, task));
            }
        }
        held.clear();
    }
}
