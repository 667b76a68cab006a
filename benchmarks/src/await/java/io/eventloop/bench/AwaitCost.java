package io.eventloop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link AwaitBenchmark}'s four loops timed by the loop thread's CPU time instead of wall time:
 * on a shared machine whose other users keep both cores busy, wall time mostly measures how long
 * the loop thread waited for a core, while its CPU time is what the code costs. Each round runs
 * every variant once ({@value AwaitBenchmark#N} waits; the first variant rotating), 5 rounds of
 * warm-up, then {@code rounds} measured; prints the median and range of CPU nanoseconds per wait,
 * and the ratios of the medians. JDK 21+, with the export flag:
 * {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.eventloop.bench.AwaitCost [rounds]}.
 */
public final class AwaitCost {
    private AwaitCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        AwaitBenchmark.Loop s = new AwaitBenchmark.Loop();
        s.start();
        long[] loopThread = new long[1];
        s.thread.runAndWait(() -> loopThread[0] = Thread.currentThread().getId());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("thenPending", s.thenPending);
        variants.put("awaitPending", s.awaitPending);
        variants.put("thenDone", s.thenDone);
        variants.put("awaitDone", s.awaitDone);
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        names.forEach(n -> cpu.put(n, new ArrayList<>()));
        for (int r = 0; r < 5 + rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String n = names.get((r + k) % names.size());
                for (int rep = 0; rep < 20; rep++) { // 20 x N waits per sample
                    long before = mx.getThreadCpuTime(loopThread[0]);
                    s.run(variants.get(n));
                    long after = mx.getThreadCpuTime(loopThread[0]);
                    if (r >= 5) {
                        cpu.get(n).add((after - before) / (double) AwaitBenchmark.N);
                    }
                }
            }
        }
        s.stop();
        Map<String, Double> median = new LinkedHashMap<>();
        for (String n : names) {
            double[] v = cpu.get(n).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            median.put(n, v[v.length / 2]);
            System.out.printf(Locale.ROOT, "%-13s CPU ns/wait: median %8.1f  (p10 %8.1f, p90 %8.1f; %d samples)%n", n,
                    v[v.length / 2], v[v.length / 10], v[v.length * 9 / 10], v.length);
        }
        System.out.printf(Locale.ROOT, "awaitPending / thenPending: %.2f%n", median.get("awaitPending") / median.get("thenPending"));
        System.out.printf(Locale.ROOT, "awaitDone / thenPending:    %.3f%n", median.get("awaitDone") / median.get("thenPending"));
        System.out.printf(Locale.ROOT, "awaitDone / thenDone:       %.3f%n", median.get("awaitDone") / median.get("thenDone"));
        System.out.println("rounds: " + rounds + ", variants: " + Arrays.toString(names.toArray()));
    }
}
