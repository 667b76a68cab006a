package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link OffloadBlocking} in straight-line form: two blocking 1 s calls on the default executor,
 * gathered in about 1 s, then one on an executor of its own. Python:
 * <pre>
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     results = await asyncio.gather(
 *         loop.run_in_executor(None, blocking_io, 3),
 *         loop.run_in_executor(None, blocking_io, 4))
 * </pre>
 */
public final class OffloadBlockingAwait {
    private OffloadBlockingAwait() {
    }

    static Task<Void> defaultExecutor(Scale scale) {
        return async(() -> {
            EventLoop loop = EventLoop.current();
            long start = System.nanoTime();
            List<Integer> results = await(Async.gather(
                    loop.runInExecutor(null, () -> OffloadBlocking.blockingIo(3, scale)),
                    loop.runInExecutor(null, () -> OffloadBlocking.blockingIo(4, scale))));
            System.out.println(results);
            System.out.println("two blocking calls took " + Scale.elapsed(start));
            return null;
        });
    }

    static Task<Void> ownExecutor(Scale scale) {
        return async(() -> {
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                System.out.println(await(EventLoop.current().runInExecutor(pool, () -> OffloadBlocking.blockingIo(scale))));
            } finally {
                pool.shutdown();
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run offload-blocking --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "offload-blocking --await");
        EventLoop.run(() -> defaultExecutor(scale));
        EventLoop.run(() -> ownExecutor(scale));
    }
}
