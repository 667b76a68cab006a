package io.eventloop;

import java.util.ArrayDeque;

/**
 * Futures of one loop that failed while nobody was listening, held until someone looks or the
 * loop decides nobody will: asyncio's "exception was never retrieved".
 *
 * <p>asyncio reports such a future from {@code Future.__del__}, when it is collected; Java has no
 * timely finalizer, so the loop reports at moments of its own choosing instead. A failure nobody
 * has looked at is reported at the first of:
 * <ul>
 *   <li>the loop goes idle (see {@link #check} for what that means);</li>
 *   <li>{@code unretrievedFailureDelay} (default 5 s) has passed on the loop's clock since it
 *       failed: a server always has a timer set (its idle timeouts), so it never goes idle, and
 *       without this rule a failure it dropped would wait for shutdown to be reported;</li>
 *   <li>1024 failures nobody has looked at have piled up;</li>
 *   <li>the loop closes.</li>
 * </ul>
 * Phase 1 of the iteration applies the first two ({@link Scheduler}); the delay's deadline also
 * bounds how long the loop may block in phase 2, so a loop waiting on a long timer wakes to report.
 *
 * <p>Loop thread only.
 */
final class UnretrievedFailures {
    /** A bound, so a server that drops failures cannot grow the list without limit. */
    private static final int MAX_HELD = 1024;

    private final EventLoop loop;
    private final Clock clock;
    /** {@code Options.unretrievedFailureDelay} in nanoseconds. */
    private final long delayNanos;
    /**
     * Failed futures that had no listener when they failed, in the order they failed, so by due
     * time; some may have been looked at since.
     */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    /** A held failure, and when the delay rule reports it (on the loop's clock). */
    private record Held(Future<?> future, long due) {
    }

    UnretrievedFailures(EventLoop loop, Clock clock, long delayNanos) {
        this.loop = loop;
        this.clock = clock;
        this.delayNanos = delayNanos;
    }

    /** Whether nothing is held: the loop's per-iteration check before {@link #check}. */
    boolean isEmpty() {
        return held.isEmpty();
    }

    /** When the delay rule reports the oldest held failure; {@link Long#MAX_VALUE} if none is held. */
    long nextDue() {
        Held h = held.peekFirst();
        return h == null ? Long.MAX_VALUE : h.due();
    }

    /**
     * {@code future} failed with no listener. Nothing is reported from here before it is held:
     * this runs inside its {@code fail}, often inside the call that made it
     * ({@code readLine()} on a reset connection returns a failed read that its caller awaits a
     * statement later). At the bound, the futures looked at since are dropped first: those are
     * nearly all of what piles up on a busy server; reporting at 1024 held, looked at or not,
     * reported every 1024th of those fresh failed reads as never retrieved.
     */
    void add(Future<?> future) {
        if (held.size() >= MAX_HELD) {
            held.removeIf(h -> h.future().isRetrieved());
            if (held.size() >= MAX_HELD) {
                report();
            }
        }
        held.addLast(new Held(future, Clock.saturatedAdd(clock.nanoTime(), delayNanos)));
    }

    /**
     * Phase 1's rules. When the loop goes idle, everything held is reported: nothing is ready, no
     * timer is set and nothing came from another thread, so the loop is about to wait for I/O or
     * another thread only. Not merely "about to block": a task that holds a failed task and sleeps
     * before awaiting it ({@code t = createTask(fails); sleep(1).then(v -> t)}) is correct code,
     * and its timer keeps the loop from being idle. Otherwise, the failures whose delay has passed
     * are reported, and those looked at meanwhile dropped. The limit: a failure held across a wait
     * on a socket or another thread with no timer set, or for longer than the delay, is reported
     * even if it is looked at later; attach a listener first (await it, {@code onDone}, gather, a
     * TaskGroup) to keep it from being reported.
     *
     * <p>Costs one clock read per iteration while anything is held, none otherwise.
     */
    void check(boolean idle) {
        if (idle) {
            report();
            return;
        }
        long now = clock.nanoTime();
        // Bounded by the count at the start: a handler that fails a new future with a zero delay
        // must not keep this going for ever.
        for (int n = held.size(); n > 0 && held.peekFirst().due() <= now; n--) {
            reportIfUnretrieved(held.pollFirst().future());
        }
    }

    /** Reports every held failure nobody looked at: at close, at idle, and when 1024 have piled up. */
    void report() {
        for (int n = held.size(); n > 0; n--) { // a report may add failures: they wait for the next one
            reportIfUnretrieved(held.pollFirst().future());
        }
    }

    private void reportIfUnretrieved(Future<?> f) {
        if (!f.isRetrieved()) {
            f.markRetrieved();
            Task<?> task = f instanceof Task<?> t ? t : null;
            String what = task != null ? "Task" : "Future";
            // The future's toString names it and, in debug mode, where it was created.
            loop.callExceptionHandler(new ErrorContext(what + " exception was never retrieved",
                    (Throwable) f.rawResult(), null, f, task));
        }
    }
}
