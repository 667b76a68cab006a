package io.eventloop.bench;

import io.eventloop.EventLoop;
import io.eventloop.TimerHandle;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timers with {@value #N} pending: schedule {@value #N} timers with random delays below one
 * millisecond, cancel {@code cancelled} of them in random order, and let the rest fire; all on
 * the loop thread. Delays and the cancel order come from fixed seeds, identical for both loops.
 * Scores are nanoseconds per scheduled timer.
 *
 * <p>This loop cancels lazily (a flag; the heap drops cancelled timers when they reach the top,
 * or compacts when they are more than half of it, as asyncio does); Netty's {@code cancel}
 * removes the task from its priority queue at once. Two cancel counts: exactly half, where the
 * compaction rule does not fire and every cancelled timer is popped like a live one, and 90%,
 * closer to timeouts that are almost always cancelled, where it does.
 *
 * <p>{@code background}: timers already pending before the operation and still pending after it,
 * as a server's idle and request timeouts are: that many timers with delays of one hour (plus up
 * to one millisecond, so that they are not all equal), scheduled at setup and cancelled at
 * teardown. The operation is the same; the heap it works on is larger by that much, and on our
 * loop the cancelled half of the batch no longer makes up more than half of the heap, so it is
 * popped lazily rather than compacted. Default 0 (the operation alone); e.g.
 * {@code -p background=0,100000} runs both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerBenchmark {
    static final int N = 100_000;
    static final long BACKGROUND_DELAY_NANOS = TimeUnit.HOURS.toNanos(1);

    /** The workload, the same for both loops. */
    @State(Scope.Benchmark)
    public static class Plan {
        /** How many of the N timers are cancelled. */
        @Param({"50000", "90000"})
        int cancelled;
        /** How many long timers are pending on the loop throughout. */
        @Param({"0"})
        int background;
        long[] backgroundNanos;
        final long[] delayNanos = new long[N];
        final Duration[] delays = new Duration[N];
        /** Indexes of the timers to cancel, in cancel order: the first {@code cancelled} of a shuffle. */
        final int[] cancelOrder = new int[N];

        @Setup
        public void plan() {
            Random random = new Random(42);
            for (int i = 0; i < N; i++) {
                delayNanos[i] = random.nextInt(1_000_000);
                delays[i] = Duration.ofNanos(delayNanos[i]);
                cancelOrder[i] = i;
            }
            for (int i = N - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = cancelOrder[i];
                cancelOrder[i] = cancelOrder[j];
                cancelOrder[j] = t;
            }
            backgroundNanos = new long[background];
            for (int i = 0; i < background; i++) {
                backgroundNanos[i] = BACKGROUND_DELAY_NANOS + random.nextInt(1_000_000);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        Plan plan;
        final Signal signal = new Signal();
        final TimerHandle[] handles = new TimerHandle[N];
        int remaining;

        final Runnable fire = () -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable start = () -> {
            remaining = N - plan.cancelled;
            for (int i = 0; i < N; i++) {
                handles[i] = loop.callLater(plan.delays[i], fire);
            }
            for (int i = 0; i < plan.cancelled; i++) {
                handles[plan.cancelOrder[i]].cancel();
            }
        };

        TimerHandle[] background;

        @Setup
        public void start(Plan p) {
            plan = p;
            thread = new LoopThread();
            loop = thread.loop;
            background = new TimerHandle[p.background];
            thread.runAndWait(() -> {
                for (int i = 0; i < background.length; i++) {
                    background[i] = loop.callLater(Duration.ofNanos(plan.backgroundNanos[i]), fire);
                }
            });
        }

        @TearDown
        public void stop() throws Exception {
            thread.runAndWait(() -> {
                for (TimerHandle t : background) {
                    t.cancel();
                }
            });
            thread.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Netty {
        NettyLoop netty;
        io.netty.channel.EventLoop loop;
        Plan plan;
        final Signal signal = new Signal();
        final ScheduledFuture<?>[] handles = new ScheduledFuture<?>[N];
        int remaining;

        final Runnable fire = () -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable start = () -> {
            remaining = N - plan.cancelled;
            for (int i = 0; i < N; i++) {
                handles[i] = loop.schedule(fire, plan.delayNanos[i], TimeUnit.NANOSECONDS);
            }
            for (int i = 0; i < plan.cancelled; i++) {
                handles[plan.cancelOrder[i]].cancel(false);
            }
        };

        ScheduledFuture<?>[] background;

        @Setup
        public void start(Plan p) {
            plan = p;
            netty = new NettyLoop();
            loop = netty.loop;
            background = new ScheduledFuture<?>[p.background];
            loop.submit(() -> {
                for (int i = 0; i < background.length; i++) {
                    background[i] = loop.schedule(fire, plan.backgroundNanos[i], TimeUnit.NANOSECONDS);
                }
            }).syncUninterruptibly();
        }

        @TearDown
        public void stop() {
            loop.submit(() -> {
                for (ScheduledFuture<?> t : background) {
                    t.cancel(false);
                }
            }).syncUninterruptibly();
            netty.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void eventloopTimers(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.start);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void nettyTimers(Netty s) {
        s.signal.reset();
        s.loop.execute(s.start);
        s.signal.await();
    }
}
