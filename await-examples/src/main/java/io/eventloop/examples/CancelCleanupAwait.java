package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.concurrent.CancellationException;

/**
 * {@link CancelCleanup} in straight-line form. Python:
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
 */
public final class CancelCleanupAwait {
    private CancelCleanupAwait() {
    }

    static Task<Void> longRunning(Scale scale) {
        return async(() -> {
            try {
                while (true) {
                    await(Async.sleep(scale.seconds(0.5)));
                    System.out.println("working...");
                }
            } catch (CancellationException e) {
                System.out.println("cancelling: cleaning up...");
                // close files/sockets here
                throw e;
            }
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            Task<Void> t = longRunning(scale);
            await(Async.sleep(scale.seconds(2)));
            t.cancel();
            try {
                await(t);
            } catch (CancellationException e) {
                System.out.println("task cancelled");
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run cancel-cleanup --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "cancel-cleanup --await");
        EventLoop.run(() -> main(scale));
    }
}
