package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SyncVsAsync} in straight-line form: five one-second jobs, one after another (about 5 s),
 * then gathered (about 1 s). Python:
 * <pre>
 * async def async_job(i):
 *     await asyncio.sleep(1)
 *     return f"async {i}"
 *
 * results = await asyncio.gather(*(async_job(i) for i in range(5)))       # about 1 s
 * </pre>
 */
public final class SyncVsAsyncAwait {
    private SyncVsAsyncAwait() {
    }

    static Task<String> asyncJob(int i, Duration length) {
        return async(() -> {
            await(Async.sleep(length)); // yields to the loop
            return "async " + i;
        });
    }

    static Task<Void> asyncMain(Duration length) {
        return async(() -> {
            long start = System.nanoTime();
            List<Task<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                jobs.add(asyncJob(i, length));
            }
            List<String> results = await(Async.gather(jobs));
            System.out.printf("%s %.2fs%n", results, (System.nanoTime() - start) / 1e9);
            return null;
        });
    }

    /** Runs the program: {@code ./run sync-vs-async --await [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Duration length = Scale.parse(args, "sync-vs-async --await").seconds(1);
        SyncVsAsync.syncMain(length);                        // about 5 s
        EventLoop.run(() -> asyncMain(length));              // about 1 s
    }
}
