package io.eventloop.bench.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * The command channel of a benchmark echo server: one line in on stdin, one line out on stdout,
 * read by a daemon thread of its own so the event-loop thread is not involved.
 *
 * <ul>
 *   <li>{@code heap}: forces GC until the used heap stops falling, answers {@code heap <bytes>};</li>
 *   <li>{@code alloc}: answers {@code alloc <bytes>}, what the event-loop thread has allocated
 *       since it started ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes});</li>
 *   <li>{@code quit} or end of input: exits the process.</li>
 * </ul>
 */
final class ServerControl {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private ServerControl() {
    }

    /** Starts the command thread; {@code loopThreadId} names the event-loop thread. */
    static void start(LongSupplier loopThreadId) {
        Thread t = new Thread(() -> serve(loopThreadId), "server-control");
        t.setDaemon(true);
        t.start();
    }

    private static void serve(LongSupplier loopThreadId) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "heap" -> answer("heap " + usedHeapAfterGc());
                    case "alloc" -> answer("alloc " + allocated(loopThreadId.getAsLong()));
                    case "quit" -> System.exit(0);
                    default -> answer("error unknown command: " + line);
                }
            }
        } catch (IOException e) {
            // the driver is gone
        }
        System.exit(0);
    }

    private static void answer(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /** Used heap after System.gc(), repeated until it stops falling (at most 10 times). */
    static long usedHeapAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used >= best) {
                break;
            }
            best = used;
        }
        return best;
    }

    private static long allocated(long threadId) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean threads) {
            return threads.getThreadAllocatedBytes(threadId);
        }
        return -1;
    }
}
