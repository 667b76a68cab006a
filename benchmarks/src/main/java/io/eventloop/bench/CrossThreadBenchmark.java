package io.eventloop.bench;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.eventloop.ThrowingSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Callbacks submitted from other threads: {@code callSoonThreadsafe} against Netty's
 * {@code execute} from outside the loop.
 *
 * <ul>
 *   <li><b>throughput</b> with 1 and 3 producer threads, in callbacks run per microsecond. Each
 *       producer keeps at most {@value Producer#WINDOW} callbacks in flight (submitted, not yet
 *       run) and yields while it has to wait; so the score is the rate at which the loop runs
 *       what it is sent, not how fast a queue can grow.</li>
 *   <li><b>round trip</b>, in microseconds: a foreign thread submits a callback and waits until
 *       the loop has run it (the loop is asleep in {@code select} when the submission arrives,
 *       so this includes the wake-up).</li>
 *   <li><b>submit</b>, in microseconds: the same through each library's "run this and give me a
 *       future" call, {@code EventLoop.submit(...).join()} (which creates a task) and Netty's
 *       {@code submit(callable).get()}.</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CrossThreadBenchmark {

    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        final Signal signal = new Signal();
        final Runnable answer = signal::fire;
        final ThrowingSupplier<Future<Integer>> coroutine = () -> Async.completed(42);

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
        final Runnable answer = signal::fire;
        final Callable<Integer> callable = () -> 42;

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

    /** One producer thread's callback and its flow control. */
    @State(Scope.Thread)
    public static class Producer {
        static final int WINDOW = 8192;

        long submitted;
        /** Callbacks of this producer that have run; written by the loop thread only. */
        final AtomicLong executed = new AtomicLong();
        final Runnable callback = () -> executed.lazySet(executed.get() + 1);

        /** Waits, yielding, while a full window is in flight; resumes at half a window. */
        void throttle() {
            if (submitted - executed.get() >= WINDOW) {
                while (submitted - executed.get() > WINDOW / 2) {
                    Thread.yield();
                }
            }
            submitted++;
        }

        /** Lets the loop catch up, outside the measured time, so iterations do not overlap. */
        @TearDown(Level.Iteration)
        public void drain() {
            while (executed.get() < submitted) {
                Thread.yield();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public void eventloopThroughput1Producer(Loop s, Producer p) {
        p.throttle();
        s.loop.callSoonThreadsafe(p.callback);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(3)
    public void eventloopThroughput3Producers(Loop s, Producer p) {
        p.throttle();
        s.loop.callSoonThreadsafe(p.callback);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public void nettyThroughput1Producer(Netty s, Producer p) {
        p.throttle();
        s.loop.execute(p.callback);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(3)
    public void nettyThroughput3Producers(Netty s, Producer p) {
        p.throttle();
        s.loop.execute(p.callback);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void eventloopRoundTrip(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.answer);
        s.signal.await();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void nettyRoundTrip(Netty s) {
        s.signal.reset();
        s.loop.execute(s.answer);
        s.signal.await();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer eventloopSubmit(Loop s) {
        return s.loop.submit(s.coroutine).join();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer nettySubmit(Netty s) throws Exception {
        return s.loop.submit(s.callable).get();
    }
}
