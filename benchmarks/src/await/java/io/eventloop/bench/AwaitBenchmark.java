package io.eventloop.bench;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
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
 * One {@code await} against one continuation hop: {@value #N} sequential waits inside one task per
 * operation, scores in nanoseconds per wait (JDK 21+, eventloop-await; built by the benchmarks'
 * {@code await} profile).
 * <ul>
 *   <li><b>thenPending</b>: the callback form of a loop that waits for a future a later callback
 *       completes: {@code Async.repeat(() -> { f = createFuture(); callSoon(complete f); return
 *       f.map(...); })}, one hop per wait.</li>
 *   <li><b>awaitPending</b>: the same loop in an {@code async} body, {@code await(f)}: the body
 *       yields its continuation and the task resumes it once {@code f} is done.</li>
 *   <li><b>thenDone</b>: the callback form on a future already done: {@code done.map(...)} in
 *       {@code Async.repeat}, which still takes one hop per wait.</li>
 *   <li><b>awaitDone</b>: {@code await(done)} in a loop: returns at once, no yield.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AwaitBenchmark {
    static final int N = 10_000;

    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        final Signal signal = new Signal();
        int remaining;
        Future<Integer> done;

        final Runnable thenPending = () -> Async.repeat(() -> {
            Future<Integer> f = loop.createFuture();
            loop.callSoon(() -> f.complete(1));
            return f.map(v -> --remaining > 0);
        }).onDone(f -> signal.fire());

        final Runnable awaitPending = () -> async(() -> {
            for (int i = 0; i < N; i++) {
                Future<Integer> f = loop.createFuture();
                loop.callSoon(() -> f.complete(1));
                await(f);
            }
            signal.fire();
            return null;
        });

        final Runnable thenDone = () -> Async.repeat(() -> done.map(v -> --remaining > 0)).onDone(f -> signal.fire());

        final Runnable awaitDone = () -> async(() -> {
            int sum = 0;
            for (int i = 0; i < N; i++) {
                sum += await(done);
            }
            remaining = sum;
            signal.fire();
            return null;
        });

        @Setup
        public void start() {
            thread = new LoopThread();
            loop = thread.loop;
            thread.runAndWait(() -> done = Async.completed(1));
        }

        @TearDown
        public void stop() throws Exception {
            thread.close();
        }

        void run(Runnable start) {
            signal.reset();
            remaining = N;
            loop.callSoonThreadsafe(start);
            signal.await();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void thenPending(Loop s) {
        s.run(s.thenPending);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void awaitPending(Loop s) {
        s.run(s.awaitPending);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void thenDone(Loop s) {
        s.run(s.thenDone);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void awaitDone(Loop s) {
        s.run(s.awaitDone);
    }
}
