package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.sync.AsyncLock;
import java.util.ArrayList;
import java.util.List;

/**
 * Ten tasks increment a shared counter with a wait between read and write ("Speed up your Python scripts",
 * "Synchronization Primitives for Async"). Python:
 * <pre>
 * lock = asyncio.Lock()
 * counter = 0
 *
 * async def increment_counter():
 *     global counter
 *     async with lock:
 *         temp = counter
 *         await asyncio.sleep(0.1)
 *         counter = temp + 1
 *
 * async def main():
 *     tasks = [asyncio.create_task(increment_counter()) for _ in range(10)]
 *     await asyncio.gather(*tasks)
 *     print(f"Final counter value: {counter}")
 * </pre>
 * {@code async with lock} is {@link AsyncLock#withLock}. One thread means no data race on
 * {@code counter}, but the {@code await} between read and write lets the other tasks in: without
 * the lock, all ten read 0 and the counter ends at 1. The program runs both versions.
 * {@code --scale F} multiplies the 0.1 s wait.
 */
public final class LockCounter {
    private static int counter;

    private LockCounter() {
    }

    static Future<Void> incrementCounter(AsyncLock lock, Scale scale) {
        return lock.withLock(() -> readSleepWrite(scale));
    }

    static Future<Void> readSleepWrite(Scale scale) {
        int temp = counter;
        return Async.sleep(scale.seconds(0.1)).map(v -> {
            counter = temp + 1;
            return null;
        });
    }

    static Future<Void> main(boolean locked, Scale scale) {
        counter = 0;
        EventLoop loop = EventLoop.current();
        AsyncLock lock = new AsyncLock();
        List<Future<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(loop.createTask(() -> locked ? incrementCounter(lock, scale) : readSleepWrite(scale)));
        }
        return Async.gather(tasks).map(v -> {
            System.out.println((locked ? "" : "without the lock: ") + "Final counter value: " + counter);
            return null;
        });
    }

    /** Runs the program: {@code ./run lock-counter [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "lock-counter");
        EventLoop.run(() -> main(true, scale));
        EventLoop.run(() -> main(false, scale));
    }
}
