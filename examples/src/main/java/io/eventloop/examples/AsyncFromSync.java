package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * Running async code from plain code ("asyncio fundamentals", "Running Async from Sync", and the "Event Loop"
 * snippets of the tutorials "asyncio fundamentals" and "Speed up your Python scripts"). Python:
 * <pre>
 * def sync_function():
 *     result = asyncio.run(async_function())
 *     return result
 *
 * # Manual control (advanced)
 * loop = asyncio.new_event_loop()
 * loop.run_until_complete(main())
 * loop.close()
 * </pre>
 * {@link EventLoop#run} is {@code asyncio.run}: it makes a loop, runs the future to the end,
 * and closes the loop, so {@code syncFunction} is an ordinary blocking method that may be called
 * from any thread that is not running a loop. The manual form is
 * {@link EventLoop#runUntilComplete} on a loop closed by try-with-resources. {@code async_function}
 * is not in the tutorial; here it waits 0.1 s and returns {@code 42}. {@code --scale F} multiplies
 * the wait.
 */
public final class AsyncFromSync {
    private AsyncFromSync() {
    }

    static Future<Integer> asyncFunction(Scale scale) {
        return Async.sleep(scale.seconds(0.1), 42);
    }

    /** A plain method: callers need not know that it runs an event loop inside. */
    static int syncFunction(Scale scale) {
        int result = EventLoop.run(() -> asyncFunction(scale));
        return result;
    }

    /** Runs the program: {@code ./run async-from-sync [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Scale scale = Scale.parse(args, "async-from-sync");
        System.out.println("sync_function() = " + syncFunction(scale));

        int[] fromThread = new int[1];
        Thread worker = new Thread(() -> fromThread[0] = syncFunction(scale), "plain-thread");
        worker.start();
        worker.join();
        System.out.println("from another thread: " + fromThread[0]);

        try (EventLoop loop = new EventLoop()) {
            System.out.println("run_until_complete: " + loop.runUntilComplete(asyncFunction(scale)));
        }
    }
}
