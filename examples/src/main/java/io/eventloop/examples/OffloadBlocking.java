package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Blocking calls moved off the loop thread ("How asyncio can make your code faster", section 7, and the "asyncio fundamentals" tutorial's "Running Sync
 * Code in Async"). Python ("How asyncio can make your code faster"):
 * <pre>
 * def blocking_io(n):
 *     time.sleep(1)
 *     return n * n
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     results = await asyncio.gather(
 *         loop.run_in_executor(None, blocking_io, 3),
 *         loop.run_in_executor(None, blocking_io, 4),
 *     )
 *     print(results)                     # [9, 16], after about 1 s, not 2
 * </pre>
 * and "asyncio fundamentals", with an executor of its own:
 * <pre>
 * def blocking_io():
 *     time.sleep(1)
 *     return "done"
 *
 * async def main():
 *     loop = asyncio.get_event_loop()
 *     result = await loop.run_in_executor(ThreadPoolExecutor(), blocking_io)
 * </pre>
 * {@code None} is {@code null}: the loop's default executor. The "asyncio fundamentals" program never shuts its
 * {@code ThreadPoolExecutor} down; here the executor is closed when the call is done. The
 * program prints the elapsed time of the gathered pair (about one call, not two).
 * {@code --scale F} multiplies the blocking time.
 */
public final class OffloadBlocking {
    private OffloadBlocking() {
    }

    static int blockingIo(int n, Scale scale) throws InterruptedException {
        scale.blockingSleep(1); // blocks this worker thread, not the loop
        return n * n;
    }

    static String blockingIo(Scale scale) throws InterruptedException {
        scale.blockingSleep(1);
        return "done";
    }

    static Future<Void> defaultExecutor(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        return Async.gather(
                loop.runInExecutor(null, () -> blockingIo(3, scale)),
                loop.runInExecutor(null, () -> blockingIo(4, scale))).map(results -> {
                    System.out.println(results);
                    System.out.println("two blocking calls took " + Scale.elapsed(start));
                    return null;
                });
    }

    static Future<Void> ownExecutor(Scale scale) {
        ExecutorService pool = Executors.newCachedThreadPool();
        return EventLoop.current().runInExecutor(pool, () -> blockingIo(scale))
                .map(result -> {
                    System.out.println(result);
                    return (Void) null;
                })
                .ensure(() -> {
                    pool.shutdown();
                });
    }

    /** Runs the program: {@code ./run offload-blocking [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "offload-blocking");
        EventLoop.run(() -> defaultExecutor(scale));
        EventLoop.run(() -> ownExecutor(scale));
    }
}
