package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.sync.AsyncLock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LockCounter} in straight-line form: read-sleep-write under a lock gives 10; without it, 1.
 * Python:
 * <pre>
 * async def increment_counter():
 *     global counter
 *     async with lock:
 *         temp = counter
 *         await asyncio.sleep(0.1)
 *         counter = temp + 1
 * </pre>
 * {@code async with lock} is {@code await(lock.acquire())} and a {@code finally} that releases: an
 * {@link AsyncLock}, never {@code synchronized}, whose monitor a suspended body must not hold.
 */
public final class LockCounterAwait {
    private static int counter;

    private LockCounterAwait() {
    }

    static Task<Void> incrementCounter(AsyncLock lock, boolean locked, Scale scale) {
        return async(() -> {
            if (locked) {
                await(lock.acquire());
            }
            try {
                int temp = counter;
                await(Async.sleep(scale.seconds(0.1)));
                counter = temp + 1;
            } finally {
                if (locked) {
                    lock.release();
                }
            }
            return null;
        });
    }

    static Task<Void> main(boolean locked, Scale scale) {
        return async(() -> {
            counter = 0;
            AsyncLock lock = new AsyncLock();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(incrementCounter(lock, locked, scale));
            }
            await(Async.gather(tasks));
            System.out.println((locked ? "" : "without the lock: ") + "Final counter value: " + counter);
            return null;
        });
    }

    /** Runs the program: {@code ./run lock-counter --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "lock-counter --await");
        EventLoop.run(() -> main(true, scale));
        EventLoop.run(() -> main(false, scale));
    }
}
