package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.sync.AsyncSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@link SemaphoreLimit} in straight-line form: 30 fetches, at most 5 at once. Python:
 * <pre>
 * async def worker(i, sem):
 *     async with sem:
 *         result = await fetch(i)
 *         print(f"done: {result}")
 *         return result
 *
 * async def main():
 *     sem = asyncio.Semaphore(5)
 *     tasks = [worker(i, sem) for i in range(30)]
 *     results = await asyncio.gather(*tasks)
 *     print("Total:", len(results))
 * </pre>
 */
public final class SemaphoreAwait {
    private static int running;
    private static int peak;

    private SemaphoreAwait() {
    }

    static Task<String> worker(int i, AsyncSemaphore sem, Random random, Scale scale) {
        return async(() -> {
            await(sem.acquire());
            try {
                running++;
                peak = Math.max(peak, running);
                String result = await(Async.sleep(scale.seconds(0.2 + 0.8 * random.nextDouble()), "item-" + i));
                System.out.println("done: " + result);
                return result;
            } finally {
                running--;
                sem.release();
            }
        });
    }

    static Task<Void> main(Random random, Scale scale) {
        return async(() -> {
            AsyncSemaphore sem = new AsyncSemaphore(5);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                tasks.add(worker(i, sem, random, scale));
            }
            List<String> results = await(Async.gather(tasks));
            System.out.println("Total: " + results.size());
            System.out.println("at most " + peak + " at once");
            return null;
        });
    }

    /** Runs the program: {@code ./run semaphore --await [--seed N] [--scale F]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run semaphore --await [--seed N] [--scale F]\n" + Scale.USAGE,
                "seed", "random", "scale", "1");
        Random random = a.get("seed").equals("random") ? new Random() : new Random(a.intValue("seed"));
        Scale scale = Scale.of(a);
        EventLoop.run(() -> main(random, scale));
    }
}
