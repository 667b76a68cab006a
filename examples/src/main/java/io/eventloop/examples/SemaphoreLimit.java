package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.sync.AsyncSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Thirty workers, at most five at a time ("How asyncio can make your code faster", section 3). Python:
 * <pre>
 * async def fetch(i):
 *     await asyncio.sleep(random.uniform(0.2, 1.0))
 *     return f"item-{i}"
 *
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
 * {@code async with sem} is {@link AsyncSemaphore#withPermit}. The program also counts how many
 * fetches run at once and prints the peak, which the semaphore keeps at 5. {@code --seed N}
 * fixes the random waits; {@code --scale F} multiplies them.
 */
public final class SemaphoreLimit {
    private static int running;
    private static int peak;

    private SemaphoreLimit() {
    }

    static Future<String> fetch(int i, Random random, Scale scale) {
        return Async.sleep(scale.seconds(0.2 + 0.8 * random.nextDouble()), "item-" + i);
    }

    static Future<String> worker(int i, AsyncSemaphore sem, Random random, Scale scale) {
        return sem.withPermit(() -> {
            running++;
            peak = Math.max(peak, running);
            return fetch(i, random, scale).map(result -> {
                running--;
                System.out.println("done: " + result);
                return result;
            });
        });
    }

    static Future<Void> main(Random random, Scale scale) {
        running = 0;
        peak = 0;
        AsyncSemaphore sem = new AsyncSemaphore(5);
        List<Future<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tasks.add(worker(i, sem, random, scale));
        }
        return Async.gather(tasks).map(results -> {
            System.out.println("Total: " + results.size());
            System.out.println("at most " + peak + " at once");
            return null;
        });
    }

    /** Runs the program: {@code ./run semaphore [--seed N] [--scale F]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run semaphore [--seed N] [--scale F]\n" + Scale.USAGE,
                "seed", "random", "scale", "1");
        Random random = a.get("seed").equals("random") ? new Random() : new Random(a.intValue("seed"));
        Scale scale = Scale.of(a);
        EventLoop.run(() -> main(random, scale));
    }
}
