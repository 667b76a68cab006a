package io.eventloop.bench;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TimerHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Heap bytes per pending item, measured with {@link MemoryMXBean}: not a JMH benchmark, a plain
 * program. For each kind, {@value #ROUNDS} rounds on a fresh loop: force GC, read the used heap,
 * create {@value #N} items, force GC, read it again; the figure is the median of
 * (after - before) / N.
 *
 * <ul>
 *   <li><b>pending task</b>: {@code createTask(() -> f)} where {@code f} is a future of its own
 *       that is never completed; measured once the task has started and waits on {@code f}, so
 *       the figure is task + the future it awaits. The loop's ready queue has already grown to
 *       hold {@value #N} callbacks before the first reading (it keeps its capacity).</li>
 *   <li><b>pending task, shared future</b>: the same, all tasks waiting on one future.</li>
 *   <li><b>pending timer</b>: {@code callLater(1 hour, r)} with one shared {@code r}; the figure
 *       includes the timer heap's arrays, which grow by doubling.</li>
 * </ul>
 * Usage: {@code Footprint [json-output-file]}.
 */
public final class Footprint {
    static final int N = 100_000;
    static final int ROUNDS = 7;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final Runnable NOTHING = () -> { };

    private Footprint() {
    }

    interface Kind {
        /** Creates N pending items on {@code loop}, keeping them in {@code keep}. */
        void create(EventLoop loop, Object[] keep);

        /** Ends the items again. */
        void release(EventLoop loop, Object[] keep);
    }

    public static void main(String[] args) throws Exception {
        Kind task = new Kind() {
            @Override
            public void create(EventLoop loop, Object[] keep) {
                for (int i = 0; i < N; i++) {
                    Future<Object> never = loop.createFuture();
                    keep[i] = loop.createTask(() -> never);
                }
                loop.runUntilComplete(Async.yieldNow()); // each task starts and waits on its future
            }

            @Override
            public void release(EventLoop loop, Object[] keep) {
                cancelTasks(loop, keep);
            }
        };
        Kind taskShared = new Kind() {
            @Override
            public void create(EventLoop loop, Object[] keep) {
                Future<Object> never = loop.createFuture();
                for (int i = 0; i < N; i++) {
                    keep[i] = loop.createTask(() -> never);
                }
                loop.runUntilComplete(Async.yieldNow());
            }

            @Override
            public void release(EventLoop loop, Object[] keep) {
                cancelTasks(loop, keep);
            }
        };
        Kind timer = new Kind() {
            @Override
            public void create(EventLoop loop, Object[] keep) {
                Duration hour = Duration.ofHours(1);
                for (int i = 0; i < N; i++) {
                    keep[i] = loop.callLater(hour, NOTHING);
                }
            }

            @Override
            public void release(EventLoop loop, Object[] keep) {
                for (Object o : keep) {
                    ((TimerHandle) o).cancel();
                }
            }
        };

        double taskBytes = measure("pending task (own future)", task, true);
        double sharedBytes = measure("pending task (shared future)", taskShared, true);
        double timerBytes = measure("pending timer (callLater)", timer, false);

        String json = String.format(Locale.ROOT,
                "{\"items\": %d, \"rounds\": %d, \"pending_task\": %.1f, \"pending_task_shared_future\": %.1f,"
                        + " \"pending_timer\": %.1f, \"java\": \"%s\"}%n",
                N, ROUNDS, taskBytes, sharedBytes, timerBytes, System.getProperty("java.vm.version"));
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), json);
        }
    }

    private static void cancelTasks(EventLoop loop, Object[] keep) {
        for (Object o : keep) {
            ((Task<?>) o).cancel();
        }
        while (!loop.allTasks().isEmpty()) {
            loop.runUntilComplete(Async.yieldNow());
        }
    }

    /** The median over ROUNDS of heap bytes per item; the first, warm-up round is not counted. */
    private static double measure(String name, Kind kind, boolean growReadyQueue) {
        double[] perItem = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            Object[] keep = new Object[N];
            try (EventLoop loop = new EventLoop()) {
                if (growReadyQueue) {
                    for (int i = 0; i < N + 16; i++) {
                        loop.callSoon(NOTHING);
                    }
                    loop.runUntilComplete(Async.yieldNow());
                }
                long before = usedAfterGc();
                kind.create(loop, keep);
                long after = usedAfterGc();
                kind.release(loop, keep);
                if (round >= 0) {
                    perItem[round] = (after - before) / (double) N;
                }
            }
        }
        double[] sorted = perItem.clone();
        Arrays.sort(sorted);
        double median = sorted[ROUNDS / 2];
        System.out.printf(Locale.ROOT, "%-30s %7.1f bytes/item  (median of %d rounds of %d; rounds: %s)%n",
                name, median, ROUNDS, N, format(perItem));
        return median;
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        return sb.toString();
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        // Collect until the figure stops falling: one System.gc() may leave finalizable or
        // weakly reachable garbage for the next.
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
