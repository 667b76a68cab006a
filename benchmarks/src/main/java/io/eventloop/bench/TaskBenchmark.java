package io.eventloop.bench;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.ThrowingSupplier;
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
 * Task create and finish: {@code createTask} whose body returns an already completed future,
 * {@value #N} tasks per operation, until the last is done. Scores are nanoseconds per task. A
 * task's body starts on the next iteration and the task completes on the one after, so this
 * covers creation, tracking in the live-task list, two steps and the completion. Netty has no
 * peer of a task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TaskBenchmark {
    static final int N = 10_000;

    @State(Scope.Benchmark)
    public static class Loop {
        LoopThread thread;
        EventLoop loop;
        final Signal signal = new Signal();

        final ThrowingSupplier<Future<String>> body = () -> Async.completed("done");
        final Consumer<Future<String>> lastDone = f -> signal.fire();
        final Runnable start = () -> {
            Task<String> last = null;
            for (int i = 0; i < N; i++) {
                last = loop.createTask(body);
            }
            last.onDone(lastDone); // tasks finish in creation order
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

    @Benchmark
    @OperationsPerInvocation(N)
    public void eventloopCreateTask(Loop s) {
        s.signal.reset();
        s.loop.callSoonThreadsafe(s.start);
        s.signal.await();
    }
}
