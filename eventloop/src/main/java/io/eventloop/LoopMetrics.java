package io.eventloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A snapshot of an event loop's counters: what {@link EventLoop#metrics()} returns. Immutable.
 *
 * <p><b>Cost.</b> The loop keeps these counters always, at a cost per iteration, not per
 * callback: two additions and one release store per iteration, a subtraction per timer that
 * fires, and two clock reads per blocking select (busy time is the run time minus the time spent
 * blocked in select; no clock is read per callback).
 *
 * <p><b>Consistency.</b> The loop thread writes the counters without locks. A snapshot taken on
 * another thread sees at least everything up to the end of an iteration the loop published, and
 * maybe some of the next: the fields may be a few iterations apart, never torn or going
 * backwards. Taken on the loop thread, it is exact.
 *
 * <p>Compared with asyncio: asyncio has no such counters (uvloop neither); this is what Netty's
 * {@code SingleThreadEventExecutor#pendingTasks()} and a loop-lag probe in Node.js give.
 *
 * @param iterations loop iterations run
 * @param callbacksRun callbacks and task steps run (cancelled handles included)
 * @param lastTimerLag how late, beyond its deadline, the last timer fired (loop lag)
 * @param maxTimerLag the largest timer lag seen
 * @param busy time spent running (in a run, outside the blocking select)
 * @param idle time spent blocked in select
 * @param pendingTasks tasks not done yet
 * @param registeredChannels channels registered with the selector
 */
public record LoopMetrics(long iterations, long callbacksRun, Duration lastTimerLag, Duration maxTimerLag,
        Duration busy, Duration idle, int pendingTasks, int registeredChannels) {

    /** The loop's side: plain fields the loop thread writes, published once per iteration. */
    static final class Counters {
        private static final VarHandle ITERATIONS;

        static {
            try {
                ITERATIONS = MethodHandles.lookup().findVarHandle(Counters.class, "iterations", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Written with a release store after the others, so a reader that acquires it sees them. */
        private long iterations;
        private long callbacks;
        private long lastLag;
        private long maxLag;
        private long idle;
        /** Run time of the runs that have ended. */
        private long ranBefore;
        /** When the current run started; valid while running. */
        private long runStart;

        void iteration(int callbacksThisIteration) {
            callbacks += callbacksThisIteration;
            ITERATIONS.setRelease(this, iterations + 1);
        }

        /** Callbacks run so far. Loop thread only. */
        long callbacks() {
            return callbacks;
        }

        void timerLag(long lag) {
            lastLag = lag;
            if (lag > maxLag) {
                maxLag = lag;
            }
        }

        void idle(long nanos) {
            idle += nanos;
        }

        void runStarted(long now) {
            runStart = now;
        }

        void runEnded(long now) {
            ranBefore += now - runStart;
        }

        LoopMetrics snapshot(boolean running, long now, int pendingTasks, int channels) {
            long it = (long) ITERATIONS.getAcquire(this);
            long ran = ranBefore + (running ? now - runStart : 0);
            long idleNanos = idle;
            return new LoopMetrics(it, callbacks, Duration.ofNanos(lastLag), Duration.ofNanos(maxLag),
                    Duration.ofNanos(Math.max(0, ran - idleNanos)), Duration.ofNanos(idleNanos), pendingTasks, channels);
        }
    }
}
