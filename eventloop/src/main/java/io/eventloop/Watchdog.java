package io.eventloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices a loop thread stuck in one callback or task step, and says so while it is stuck.
 *
 * <p>One daemon thread ("eventloop-watchdog") serves every loop of the process that runs with the
 * watchdog on, rather than one thread per loop: a loop started and stopped many times (one
 * {@code runUntilComplete} per request in a test, say) would otherwise start and join a thread
 * per run. The thread starts with the first watched run and ends 50 ms after the last one, so
 * a loop run iteration by iteration keeps one thread, and a program that stops its loops is left
 * with none. It wakes every quarter of the smallest threshold (at least 5 ms, at most 250 ms), so a
 * block is reported between 1x and 1.25x the threshold after it began.
 *
 * <p>The loop's side is a {@link Watch}: per callback, two opaque writes (which callback, and a
 * progress count); before a blocking select, one more (a loop waiting in select is idle, not
 * blocked). Opaque, not volatile: no fence on the loop thread; the watchdog sees them "soon",
 * which is all it needs.
 */
final class Watchdog {
    private static final long TICK_MIN = 5_000_000L;
    private static final long TICK_MAX = 250_000_000L;
    private static final long LINGER = 50_000_000L;

    /** Loops being watched. Guarded by the class lock. */
    private static final List<Watch> WATCHED = new ArrayList<>();
    private static Thread thread;

    private Watchdog() {
    }

    /** A loop's run begins: watch it, starting the thread if needed. */
    static synchronized void watch(Watch w) {
        w.resetEpisode();
        WATCHED.add(w);
        if (thread == null) {
            thread = new Thread(Watchdog::loop, "eventloop-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** A loop's run ends (on its thread). A block reported and not yet seen to end ends now. */
    static void unwatch(Watch w) {
        synchronized (Watchdog.class) {
            WATCHED.remove(w);
            if (WATCHED.isEmpty() && thread != null) {
                LockSupport.unpark(thread); // start the linger now, not after a full tick
            }
        }
        w.runEnded();
    }

    private static void loop() {
        long emptySince = System.nanoTime();
        while (true) {
            Watch[] watches;
            synchronized (Watchdog.class) {
                long now = System.nanoTime();
                if (!WATCHED.isEmpty()) {
                    emptySince = now;
                } else if (now - emptySince >= LINGER) {
                    thread = null;
                    return;
                }
                watches = WATCHED.toArray(new Watch[0]);
            }
            long tick = watches.length == 0 ? LINGER : TICK_MAX;
            for (Watch w : watches) {
                w.check(System.nanoTime());
                tick = Math.min(tick, Math.max(TICK_MIN, w.thresholdNanos / 4));
            }
            LockSupport.parkNanos(tick);
        }
    }

    /** One loop, as the watchdog sees it. */
    static final class Watch {
        private static final VarHandle CURRENT;
        private static final VarHandle PROGRESS;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                CURRENT = l.findVarHandle(Watch.class, "current", Runnable.class);
                PROGRESS = l.findVarHandle(Watch.class, "progress", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final EventLoop loop;
        final long thresholdNanos;
        /** The callback running now; null between callbacks and in select. Loop thread writes (opaque). */
        private Runnable current;
        /** Bumped per callback and per select. Loop thread writes (opaque), watchdog reads. */
        private long progress;

        // The watchdog thread's own state.
        private long seenProgress = -1;
        private long seenSince;
        /** A block was reported and has not ended; volatile: the loop thread reads it at run end. */
        private volatile boolean reported;
        private volatile String reportedWhat;

        Watch(EventLoop loop, long thresholdNanos) {
            this.loop = loop;
            this.thresholdNanos = thresholdNanos;
        }

        /** Loop thread, before each callback (and with null after the last one). */
        void enter(Runnable callback) {
            CURRENT.setOpaque(this, callback);
            PROGRESS.setOpaque(this, progress + 1);
        }

        /** Loop thread, before a blocking select. */
        void idle() {
            CURRENT.setOpaque(this, null);
            PROGRESS.setOpaque(this, progress + 1);
        }

        synchronized void resetEpisode() {
            seenProgress = -1;
        }

        /** Watchdog thread: one look at the loop. */
        synchronized void check(long now) {
            long p = (long) PROGRESS.getOpaque(this);
            Runnable running = (Runnable) CURRENT.getOpaque(this);
            if (p != seenProgress || running == null) {
                if (reported) {
                    unblocked(now);
                }
                seenProgress = p;
                seenSince = now;
                return;
            }
            long stuck = now - seenSince;
            if (!reported && stuck >= thresholdNanos) {
                reported = true;
                report(running, stuck);
            }
        }

        private void report(Runnable running, long stuckNanos) {
            Thread t = loop.thread;
            String what = Diagnostics.describe(running);
            reportedWhat = what;
            StringBuilder sb = new StringBuilder("Event loop ").append(loop).append(" blocked: thread '")
                    .append(t.getName()).append("' has been running ").append(what).append(" for ")
                    .append(Diagnostics.seconds(stuckNanos)).append(" seconds (watchdog threshold ")
                    .append(Diagnostics.seconds(thresholdNanos)).append(" s); it is at:");
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("\n\tat ").append(e);
            }
            Diagnostics.warn(sb.toString());
            JfrEvents.loopBlocked(what, stuckNanos, t);
        }

        private void unblocked(long now) {
            reported = false;
            Diagnostics.warn("Event loop " + loop + " unblocked after " + Diagnostics.seconds(now - seenSince)
                    + " seconds in " + reportedWhat);
        }

        /** Loop thread, when its run ends: close an episode the watchdog has not seen end. */
        synchronized void runEnded() {
            if (reported) {
                unblocked(System.nanoTime());
            }
        }
    }
}
