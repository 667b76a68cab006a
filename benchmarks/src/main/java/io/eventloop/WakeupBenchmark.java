package io.eventloop;

import io.eventloop.bench.LoopThread;
import io.eventloop.bench.Signal;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Wake-ups per sleep: three threads each send a burst of {@value #BURST} callbacks with
 * {@code callSoonThreadsafe} and wait for the last one to run, over and over, so bursts keep
 * arriving while the loop sleeps in {@code select}. The secondary results count
 * {@code Selector.wakeup()} calls ({@code wakeups}, read from {@link NioPoller#wakeups}) and
 * blocking selects ({@code sleeps}, counted by a pass-through poller); the target is
 * {@code wakeups <= sleeps}: at most one wake-up per sleep, however many threads submit. The
 * primary score, the time per burst, is only a by-product.
 *
 * <p>This class sits in package {@code io.eventloop} to build the loop over the package-private
 * poller seam and read the package-private counter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WakeupBenchmark {
    static final int BURST = 8;

    /** The real {@link NioPoller}, plus a count of the selects that may block. */
    static final class CountingPoller implements Poller {
        final NioPoller nio = new NioPoller();
        /** Selects with a non-zero timeout: the loop's sleeps. Written by the loop thread only. */
        volatile long sleeps;

        @Override
        public int select(long timeoutMillis, Consumer<SelectionKey> onReady) throws IOException {
            if (timeoutMillis != 0) {
                sleeps++;
            }
            return nio.select(timeoutMillis, onReady);
        }

        @Override
        public void wakeup() {
            nio.wakeup();
        }

        @Override
        public SelectionKey register(SelectableChannel channel, int ops, Object attachment)
                throws ClosedChannelException {
            return nio.register(channel, ops, attachment);
        }

        @Override
        public SelectionKey keyFor(SelectableChannel channel) {
            return nio.keyFor(channel);
        }

        @Override
        public int registeredCount() {
            return nio.registeredCount();
        }

        @Override
        public void close() throws IOException {
            nio.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Loop {
        CountingPoller poller;
        LoopThread thread;
        EventLoop loop;

        @Setup
        public void start() {
            thread = new LoopThread(() -> {
                poller = new CountingPoller();
                return new EventLoop(EventLoop.Options.defaults(), Clock.SYSTEM, poller);
            });
            loop = thread.loop;
        }

        @TearDown
        public void stop() throws Exception {
            thread.close();
        }
    }

    /** One submitting thread: its burst and the signal its last callback raises. */
    @State(Scope.Thread)
    public static class Submitter {
        final Signal signal = new Signal();
        final Runnable nothing = () -> { };
        final Runnable last = signal::fire;
    }

    /**
     * The counts over one iteration, reported by the first thread only (the counters are the
     * loop's, not a thread's).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        public long wakeups;
        public long sleeps;
        private boolean reporter;
        private long wakeupsBase;
        private long sleepsBase;

        @Setup(Level.Iteration)
        public void base(Loop s, ThreadParams params) {
            reporter = params.getThreadIndex() == 0;
            wakeupsBase = s.poller.nio.wakeups.sum();
            sleepsBase = s.poller.sleeps;
            wakeups = 0;
            sleeps = 0;
        }

        void record(Loop s) {
            if (reporter) {
                wakeups = s.poller.nio.wakeups.sum() - wakeupsBase;
                sleeps = s.poller.sleeps - sleepsBase;
            }
        }
    }

    @Benchmark
    @Threads(3)
    public void eventloopWakeups(Loop s, Submitter t, Counts c) {
        t.signal.reset();
        for (int i = 1; i < BURST; i++) {
            s.loop.callSoonThreadsafe(t.nothing);
        }
        s.loop.callSoonThreadsafe(t.last);
        t.signal.await();
        c.record(s);
    }
}
