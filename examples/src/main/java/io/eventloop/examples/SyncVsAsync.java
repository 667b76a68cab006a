package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Five one-second jobs, first one after another, then concurrently. Python:
 * <pre>
 * def sync_job(i):
 *     time.sleep(1)
 *     return f"sync {i}"
 *
 * async def async_job(i):
 *     await asyncio.sleep(1)
 *     return f"async {i}"
 *
 * results = [sync_job(i) for i in range(5)]                               # about 5 s
 * results = await asyncio.gather(*(async_job(i) for i in range(5)))       # about 1 s
 * </pre>
 * {@code --scale F} multiplies the job length (one second).
 */
public final class SyncVsAsync {
    private SyncVsAsync() {
    }

    static String syncJob(int i, Duration length) throws InterruptedException {
        Thread.sleep(length.toMillis()); // blocks the whole thread
        return "sync " + i;
    }

    static Future<String> asyncJob(int i, Duration length) {
        return Async.sleep(length).map(v -> "async " + i); // yields to the loop
    }

    static void syncMain(Duration length) throws InterruptedException {
        long start = System.nanoTime();
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(syncJob(i, length));
        }
        System.out.printf("%s %.2fs%n", results, (System.nanoTime() - start) / 1e9);
    }

    static Future<Void> asyncMain(Duration length) {
        long start = System.nanoTime();
        List<Future<String>> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(asyncJob(i, length));
        }
        return Async.gather(jobs).map(results -> {
            System.out.printf("%s %.2fs%n", results, (System.nanoTime() - start) / 1e9);
            return null;
        });
    }

    /** Runs the program: {@code ./run sync-vs-async [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Duration length = Scale.parse(args, "sync-vs-async").seconds(1);
        syncMain(length);                                   // about 5 s
        EventLoop.run(() -> asyncMain(length));             // about 1 s
    }
}
