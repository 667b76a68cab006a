package io.eventloop.bench;

import io.eventloop.EventLoop;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dispatch of callbacks scheduled on the loop thread: {@code callSoon} against Netty's in-loop
 * {@code execute}. Scores are nanoseconds per callback.
 *
 * <ul>
 *   <li><b>chained</b>: each callback schedules the next, {@value #CHAIN} hops per operation.
 *       The loop runs one iteration per hop (what a callback schedules waits for the next
 *       iteration, as in asyncio); Netty drains its task queue, including tasks added while
 *       draining, in one pass between two polls.</li>
 *   <li><b>chained, idle channel</b>: the same with one channel registered that never becomes
 *       ready, as in a server; the loop then polls the selector (a {@code selectNow()}) once per
 *       hop, which it skips while nothing is registered.</li>
 *   <li><b>fan-out</b>: one callback schedules {@value #FAN} callbacks at once.</li>
 *   <li><b>chained and fan-out, {@value #IDLE} idle channels</b>: both shapes with
 *       {@value #IDLE} pipes registered for reading on each loop, never readable
 *       ({@link IdleChannels}: the same pipes, with read interest, in both selectors), as a
 *       server with many quiet connections has. Our loop polls once per iteration, so once per
 *       hop when chained; Netty polls once per batch of tasks.</li>
 * </ul>
 * Each operation is handed to the loop thread from the benchmark thread and waited for; that
 * hand-off (see {@code CrossThreadBenchmark.*RoundTrip}) is included, spread over the hops.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CallSoonBenchmark {
    static final int CHAIN = 100_000;
    static final int FAN = 10_000;
    /** Idle channels registered in the "idle channels" shapes. */
    static final int IDLE = 1_000;

    /** The loop on its own thread, with the callbacks the benchmarks schedule. */
    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        final Signal signal = new Signal();
        int remaining;

        final Runnable hop = new Runnable() {
            @Override
            public void run() {
                if (--remaining == 0) {
                    signal.fire();
                } else {
                    loop.callSoon(this);
                }
            }
        };
        final Runnable startChain = () -> {
            remaining = CHAIN;
            loop.callSoon(hop);
        };
        final Runnable countDown = () -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable startFan = () -> {
            remaining = FAN;
            for (int i = 0; i < FAN; i++) {
                loop.callSoon(countDown);
            }
        };

        /** Pipes whose read ends are registered and never readable, or null. */
        IdleChannels idle;

        /** How many idle channels to register. */
        int idleChannels() {
            return 0;
        }

        @Setup
        public void start() throws IOException {
            thread = new LoopThread();
            loop = thread.loop;
            if (idleChannels() > 0) {
                idle = IdleChannels.on(thread, idleChannels());
            }
        }

        @TearDown
        public void stop() throws Exception {
            if (idle != null) {
                idle.close();
            }
            thread.close();
        }
    }

    /** {@link Loop} with one registered channel that is never ready. */
    @State(Scope.Benchmark)
    public static class LoopWithIdleChannel extends Loop {
        @Override
        int idleChannels() {
            return 1;
        }
    }

    /** {@link Loop} with {@value CallSoonBenchmark#IDLE} registered channels that are never ready. */
    @State(Scope.Benchmark)
    public static class LoopWith1000IdleChannels extends Loop {
        @Override
        int idleChannels() {
            return IDLE;
        }
    }

    /** Netty's loop with the same callbacks over {@code execute}. */
    @State(Scope.Benchmark)
    public static class Netty {
        NettyLoop netty;
        io.netty.channel.EventLoop loop;
        final Signal signal = new Signal();
        int remaining;

        final Runnable hop = new Runnable() {
            @Override
            public void run() {
                if (--remaining == 0) {
                    signal.fire();
                } else {
                    loop.execute(this);
                }
            }
        };
        final Runnable startChain = () -> {
            remaining = CHAIN;
            loop.execute(hop);
        };
        final Runnable countDown = () -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable startFan = () -> {
            remaining = FAN;
            for (int i = 0; i < FAN; i++) {
                loop.execute(countDown);
            }
        };

        /** Pipes whose read ends are registered and never readable, or null. */
        IdleChannels idle;

        /** How many idle channels to register. */
        int idleChannels() {
            return 0;
        }

        @Setup
        public void start() throws IOException {
            netty = new NettyLoop();
            loop = netty.loop;
            if (idleChannels() > 0) {
                idle = IdleChannels.on(netty, idleChannels());
            }
        }

        @TearDown
        public void stop() {
            if (idle != null) {
                idle.close();
            }
            netty.close();
        }
    }

    /** {@link Netty} with {@value CallSoonBenchmark#IDLE} registered channels that are never ready. */
    @State(Scope.Benchmark)
    public static class NettyWith1000IdleChannels extends Netty {
        @Override
        int idleChannels() {
            return IDLE;
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void eventloopChained(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startChain);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void eventloopChainedIdleChannel(LoopWithIdleChannel s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startChain);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void nettyChained(Netty s) {
        s.signal.reset();
        s.loop.execute(s.startChain);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(FAN)
    public void eventloopFanOut(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startFan);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(FAN)
    public void nettyFanOut(Netty s) {
        s.signal.reset();
        s.loop.execute(s.startFan);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void eventloopChainedIdle1000(LoopWith1000IdleChannels s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startChain);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void nettyChainedIdle1000(NettyWith1000IdleChannels s) {
        s.signal.reset();
        s.loop.execute(s.startChain);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(FAN)
    public void eventloopFanOutIdle1000(LoopWith1000IdleChannels s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startFan);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(FAN)
    public void nettyFanOutIdle1000(NettyWith1000IdleChannels s) {
        s.signal.reset();
        s.loop.execute(s.startFan);
        s.signal.await();
    }
}
