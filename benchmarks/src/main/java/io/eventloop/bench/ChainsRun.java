package io.eventloop.bench;

import io.eventloop.EventLoop;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Many callback chains at once, a server's shape of {@code callSoon}: not a JMH benchmark, a
 * plain program. {@value #DEFAULT_CHAINS} chains, each callback re-scheduling itself until the
 * chain has made its share of {@value #DEFAULT_TOTAL} callbacks in all; on our loop with
 * {@code callSoon}, on Netty's NIO loop (one thread) with in-loop {@code execute} of the same
 * {@code Runnable}s. Both loops run on threads of their own in this one JVM; this thread starts
 * all chains with one cross-thread hand-off and waits until the last chain ends (a
 * {@link Signal}), and the score is the elapsed time divided by the number of callbacks.
 *
 * <p>Our loop runs one iteration per round of the chains (each chain's next callback waits for
 * the next iteration), so the iteration's fixed cost is spread over the chains; Netty runs the
 * callbacks from its task queue until the queue is empty or its time budget is spent.
 *
 * <p>Each configuration (a number of idle channels, see {@link IdleChannels}: 0 and
 * {@value CallSoonBenchmark#IDLE} by default, registered on both loops) runs warm-up rounds and
 * then measured rounds, ours and Netty's interleaved (ours, Netty, ours, Netty, ...), and
 * prints ns per callback for every round, the medians, and the ratio Netty / ours of the medians
 * (above 1: ours is faster). GC collections during the measured rounds are counted per side.
 * A round that takes longer than {@value #ROUND_TIMEOUT_SECONDS} s ends the program with
 * status 2. Between the warm-up and the measured rounds it runs {@code System.gc()}, which moves
 * everything then live (the loops' queues among it) to the old generation, as in a server that
 * has been running for a while ({@code --full-gc false} skips it). Under G1 that matters: every
 * store of a young object into an old array pays G1's post-write barrier in full.
 *
 * <p>Run it with a fixed, pre-touched heap ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}): our
 * loop allocates a {@code Handle} per {@code callSoon} and Netty's {@code execute} allocates
 * nothing, so without pre-touching, the first use of every fresh heap page (a page fault) is
 * charged to our side only, and on a virtual machine it can multiply its time per callback.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks.jar io.eventloop.bench.ChainsRun
 *      [--idle 0,1000] [--chains 64] [--total 5000000] [--warmup 3] [--rounds 10]
 *      [--sides ours,netty] [--full-gc true] [--json file]
 * </pre>
 */
public final class ChainsRun {
    static final int DEFAULT_CHAINS = 64;
    static final int DEFAULT_TOTAL = 5_000_000;
    static final int ROUND_TIMEOUT_SECONDS = 30;

    private ChainsRun() {
    }

    /** One side of the comparison: a loop and its chains. */
    interface Side extends AutoCloseable {
        String name();

        /** Runs one round of all chains from this thread; elapsed nanoseconds. */
        long round();

        @Override
        void close() throws Exception;
    }

    /** Our loop: each chain callback re-schedules itself with {@code callSoon}. */
    static final class Ours implements Side {
        final LoopThread thread = new LoopThread();
        final EventLoop loop = thread.loop;
        final Signal signal = new Signal();
        final IdleChannels idle;
        final Chain[] chains;
        final int perChain;
        int chainsLeft;

        final class Chain implements Runnable {
            int hops;

            @Override
            public void run() {
                if (--hops == 0) {
                    if (--chainsLeft == 0) {
                        signal.fire();
                    }
                } else {
                    loop.callSoon(this);
                }
            }
        }

        final Runnable start = new Runnable() {
            @Override
            public void run() {
                chainsLeft = chains.length;
                for (Chain c : chains) {
                    c.hops = perChain;
                    loop.callSoon(c);
                }
            }
        };

        Ours(int chainCount, int perChain, int idleChannels) throws Exception {
            this.perChain = perChain;
            chains = new Chain[chainCount];
            for (int i = 0; i < chainCount; i++) {
                chains[i] = new Chain();
            }
            idle = idleChannels > 0 ? IdleChannels.on(thread, idleChannels) : null;
        }

        @Override
        public String name() {
            return "ours";
        }

        @Override
        public long round() {
            signal.reset();
            long t0 = System.nanoTime();
            loop.callSoonThreadsafe(start);
            awaitOrExit(signal);
            return System.nanoTime() - t0;
        }

        @Override
        public void close() throws Exception {
            if (idle != null) {
                idle.close();
            }
            thread.close();
        }
    }

    /** Netty's loop: each chain callback re-submits itself with in-loop {@code execute}. */
    static final class Netty implements Side {
        final NettyLoop netty = new NettyLoop();
        final io.netty.channel.EventLoop loop = netty.loop;
        final Signal signal = new Signal();
        final IdleChannels idle;
        final Chain[] chains;
        final int perChain;
        int chainsLeft;

        final class Chain implements Runnable {
            int hops;

            @Override
            public void run() {
                if (--hops == 0) {
                    if (--chainsLeft == 0) {
                        signal.fire();
                    }
                } else {
                    loop.execute(this);
                }
            }
        }

        final Runnable start = new Runnable() {
            @Override
            public void run() {
                chainsLeft = chains.length;
                for (Chain c : chains) {
                    c.hops = perChain;
                    loop.execute(c);
                }
            }
        };

        Netty(int chainCount, int perChain, int idleChannels) throws Exception {
            this.perChain = perChain;
            chains = new Chain[chainCount];
            for (int i = 0; i < chainCount; i++) {
                chains[i] = new Chain();
            }
            idle = idleChannels > 0 ? IdleChannels.on(netty, idleChannels) : null;
        }

        @Override
        public String name() {
            return "netty";
        }

        @Override
        public long round() {
            signal.reset();
            long t0 = System.nanoTime();
            loop.execute(start);
            awaitOrExit(signal);
            return System.nanoTime() - t0;
        }

        @Override
        public void close() {
            if (idle != null) {
                idle.close();
            }
            netty.close();
        }
    }

    static void awaitOrExit(Signal signal) {
        if (!signal.await(TimeUnit.SECONDS.toNanos(ROUND_TIMEOUT_SECONDS))) {
            System.err.println("a round took longer than " + ROUND_TIMEOUT_SECONDS + " s; giving up");
            System.exit(2);
        }
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static void main(String[] args) throws Exception {
        int[] idleCounts = {0, CallSoonBenchmark.IDLE};
        int chainCount = DEFAULT_CHAINS;
        int total = DEFAULT_TOTAL;
        int warmup = 3;
        int rounds = 10;
        List<String> sides = List.of("ours", "netty");
        Path json = null;
        boolean fullGc = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--idle" -> idleCounts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--chains" -> chainCount = Integer.parseInt(v);
                case "--total" -> total = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--sides" -> sides = List.of(v.split(","));
                case "--json" -> json = Path.of(v);
                case "--full-gc" -> fullGc = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
            i++;
        }
        int perChain = total / chainCount;
        long callbacks = (long) perChain * chainCount;

        List<String> gcs = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> gcs.add(gc.getName()));
        System.out.printf(Locale.ROOT, "ChainsRun: %d chains x %d callbacks = %d per round; %d warm-up + %d measured rounds per side;"
                + " full GC after the warm-up: %s%n", chainCount, perChain, callbacks, warmup, rounds, fullGc ? "yes" : "no");
        System.out.println("jvm: " + System.getProperty("java.vm.version") + ", gc: " + String.join(" + ", gcs)
                + ", args: " + ManagementFactory.getRuntimeMXBean().getInputArguments());

        StringBuilder out = new StringBuilder();
        out.append("{\"chains\": ").append(chainCount).append(", \"callbacks_per_round\": ").append(callbacks)
                .append(", \"gc\": \"").append(String.join(" + ", gcs)).append("\", \"full_gc\": ").append(fullGc)
                .append(", \"configs\": [");
        for (int c = 0; c < idleCounts.length; c++) {
            int idle = idleCounts[c];
            List<Side> loops = new ArrayList<>();
            try {
                for (String s : sides) {
                    loops.add(switch (s) {
                        case "ours" -> new Ours(chainCount, perChain, idle);
                        case "netty" -> new Netty(chainCount, perChain, idle);
                        default -> throw new IllegalArgumentException("unknown side " + s);
                    });
                }
                for (int r = 0; r < warmup; r++) {
                    for (Side s : loops) {
                        s.round();
                    }
                }
                if (fullGc) {
                    System.gc(); // everything live now (queues, chains, loops) moves to the old generation
                }
                double[][] ns = new double[loops.size()][rounds];
                long[] gcDuring = new long[loops.size()];
                for (int r = 0; r < rounds; r++) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "idle=%d round %2d:", idle, r + 1));
                    for (int k = 0; k < loops.size(); k++) {
                        long gc0 = gcCount();
                        ns[k][r] = (double) loops.get(k).round() / callbacks;
                        gcDuring[k] += gcCount() - gc0;
                        line.append(String.format(Locale.ROOT, "  %s %6.2f", loops.get(k).name(), ns[k][r]));
                    }
                    System.out.println(line.append("  ns/callback"));
                }
                out.append(c == 0 ? "" : ", ").append("{\"idle\": ").append(idle);
                StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "idle=%d median:  ", idle));
                for (int k = 0; k < loops.size(); k++) {
                    String name = loops.get(k).name();
                    double med = median(ns[k]);
                    summary.append(String.format(Locale.ROOT, "  %s %6.2f (min %.2f, %d GCs)", name, med,
                            Arrays.stream(ns[k]).min().orElse(Double.NaN), gcDuring[k]));
                    out.append(", \"").append(name).append("\": ").append(Arrays.toString(ns[k]))
                            .append(", \"").append(name).append("_median\": ").append(String.format(Locale.ROOT, "%.4f", med))
                            .append(", \"").append(name).append("_gcs\": ").append(gcDuring[k]);
                }
                System.out.println(summary.append("  ns/callback"));
                if (loops.size() == 2 && sides.equals(List.of("ours", "netty"))) {
                    double[] perRound = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        perRound[r] = ns[1][r] / ns[0][r];
                    }
                    double ratio = median(ns[1]) / median(ns[0]);
                    System.out.printf(Locale.ROOT, "idle=%d ratio netty/ours: %.2fx of the medians (median of per-round ratios %.2fx; above 1: ours is faster)%n",
                            idle, ratio, median(perRound));
                    out.append(String.format(Locale.ROOT, ", \"ratio\": %.4f, \"ratio_per_round_median\": %.4f", ratio, median(perRound)));
                }
                out.append("}");
            } finally {
                for (Side s : loops) {
                    s.close();
                }
            }
        }
        out.append("]}\n");
        if (json != null) {
            Files.writeString(json, out.toString());
        }
    }
}
