package io.eventloop.bench;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.FutureListener;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Completing a future that has one continuation: create it, chain on it, complete it, and let the
 * continuation run; {@value #N} per operation. Scores are nanoseconds per future.
 *
 * <ul>
 *   <li><b>map</b>: {@code f.map(fn)} then {@code f.complete(v)}; the derived future is completed
 *       by {@code fn} on the next iteration.</li>
 *   <li><b>onDone</b>: {@code f.onDone(cb)} then {@code f.complete(v)}; no derived future.</li>
 *   <li><b>Netty</b>: {@code DefaultPromise} with one listener, {@code setSuccess(v)}. Netty calls
 *       the listener inline inside {@code setSuccess} when on the loop thread, where this library
 *       always goes through the ready queue (so no chain can grow the stack).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContinuationBenchmark {
    static final int N = 10_000;

    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        final Signal signal = new Signal();
        int remaining;

        final ThrowingFunction<Integer, Integer> fn = v -> {
            if (--remaining == 0) {
                signal.fire();
            }
            return v;
        };
        final Consumer<Future<Integer>> cb = f -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable startMap = () -> {
            remaining = N;
            for (int i = 0; i < N; i++) {
                Future<Integer> f = loop.createFuture();
                f.map(fn);
                f.complete(i);
            }
        };
        final Runnable startOnDone = () -> {
            remaining = N;
            for (int i = 0; i < N; i++) {
                Future<Integer> f = loop.createFuture();
                f.onDone(cb);
                f.complete(i);
            }
        };

        @Setup
        public void start() {
            thread = new LoopThread();
            loop = thread.loop;
        }

        @TearDown
        public void stop() throws Exception {
            thread.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Netty {
        NettyLoop netty;
        io.netty.channel.EventLoop loop;
        final Signal signal = new Signal();
        int remaining;

        final FutureListener<Integer> listener = f -> {
            if (--remaining == 0) {
                signal.fire();
            }
        };
        final Runnable start = () -> {
            remaining = N;
            for (int i = 0; i < N; i++) {
                DefaultPromise<Integer> p = new DefaultPromise<>(loop);
                p.addListener(listener);
                p.setSuccess(i);
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
    @OperationsPerInvocation(N)
    public void eventloopMap(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startMap);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void eventloopOnDone(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.startOnDone);
        s.signal.await();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void nettyPromiseListener(Netty s) {
        s.signal.reset();
        s.loop.execute(s.start);
        s.signal.await();
    }
}
