package io.eventloop;

import java.util.ArrayList;

/**
 * Futures of one loop that failed while nobody was listening, held until someone looks or the
 * loop decides nobody will: asyncio's "exception was never retrieved".
 *
 * <p>asyncio reports such a future from {@code Future.__del__}, when it is collected; Java has no
 * timely finalizer, so the loop reports at moments of its own choosing instead: when it goes idle,
 * when 1024 have piled up, and at close (see {@link #report()} for the rule).
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

    /** {@code future} failed with no listener. */
    void add(Future<?> future) {
        held.add(future);
        if (held.size() >= MAX_HELD) {
            report();
        }
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
