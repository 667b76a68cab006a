package io.eventloop.bench;

import io.eventloop.EventLoop;
import java.io.IOException;
import java.nio.channels.Pipe;
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

        /** A pipe whose read end is registered and never readable, or null. */
        Pipe pipe;

        boolean withIdleChannel() {
            return false;
        }

        @Setup
        public void start() throws IOException {
            thread = new LoopThread();
            loop = thread.loop;
            if (withIdleChannel()) {
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                thread.runAndWait(() -> loop.addReader(pipe.source(), () -> { }));
            }
        }

        @TearDown
        public void stop() throws Exception {
            if (pipe != null) {
                thread.runAndWait(() -> loop.removeReader(pipe.source()));
            }
            thread.close();
            if (pipe != null) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    /** {@link Loop} with one registered channel that is never ready. */
    @State(Scope.Benchmark)
    public static class LoopWithIdleChannel extends Loop {
        @Override
        boolean withIdleChannel() {
            return true;
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

        @Setup
        public void start() {
            netty = new NettyLoop();
            loop = netty.loop;
        }

        @TearDown
        public void stop() {
            netty.close();
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
}
