package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.concurrent.CancellationException;

/**
 * Cancelling a task safely ("How asyncio can make your code faster", section 5; the "asyncio fundamentals" tutorial's "Cancellation" is the same program
 * with "Task was cancelled"). Python:
 * <pre>
 * async def long_running():
 *     try:
 *         while True:
 *             await asyncio.sleep(0.5)
 *             print("working...")
 *     except asyncio.CancelledError:
 *         print("cancelling: cleaning up...")
 *         raise
 *
 * async def main():
 *     t = asyncio.create_task(long_running())
 *     await asyncio.sleep(2)
 *     t.cancel()
 *     try:
 *         await t
 *     except asyncio.CancelledError:
 *         print("task cancelled")
 * </pre>
 * {@code except CancelledError: ...; raise} is {@code recover(CancellationException.class, ...)}
 * that rethrows: only a handler that names {@link CancellationException} sees a cancel. The
 * fourth "working..." would be due at 2.0 s too, but its timer was set a little after main's, so
 * the cancel comes first. {@code --scale F} multiplies the durations.
 */
public final class CancelCleanup {
    private CancelCleanup() {
    }

    static Future<Void> longRunning(Scale scale) {
        return Async.repeat(() -> Async.sleep(scale.seconds(0.5)).map(v -> {
            System.out.println("working...");
            return true;
        })).recover(CancellationException.class, e -> {
            System.out.println("cancelling: cleaning up...");
            // close files/sockets here
            throw e;
        });
    }

    static Future<Void> main(Scale scale) {
        Task<Void> t = EventLoop.current().createTask(() -> longRunning(scale));
        return Async.sleep(scale.seconds(2))
                .then(v -> {
                    t.cancel();
                    return t.recover(CancellationException.class, e -> {
                        System.out.println("task cancelled");
                        return Async.completed(null);
                    });
                });
    }

    /** Runs the program: {@code ./run cancel-cleanup [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "cancel-cleanup");
        EventLoop.run(() -> main(scale));
    }
}
