package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link AsyncFromSync} in straight-line form: {@code async_function} is a coroutine task, and
 * the plain method that runs it is the callback form's, unchanged: {@link EventLoop#run} and
 * {@link EventLoop#runUntilComplete} take a task as they take any future. Python:
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
 * For the manual form, {@code async} makes its task on the loop {@code new EventLoop()} made for
 * this thread, not yet running, as {@code loop.create_task} does before
 * {@code run_until_complete}.
 */
public final class AsyncFromSyncAwait {
    private AsyncFromSyncAwait() {
    }

    static Task<Integer> asyncFunction(Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(0.1)));
            return 42;
        });
    }

    /** A plain method: callers need not know that it runs an event loop inside. */
    static int syncFunction(Scale scale) {
        int result = EventLoop.run(() -> asyncFunction(scale));
        return result;
    }

    /** Runs the program: {@code ./run async-from-sync --await [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Scale scale = Scale.parse(args, "async-from-sync --await");
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
