package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.concurrent.TimeoutException;

/**
 * {@link TimeoutDemo} in straight-line form. Python:
 * <pre>
 * async def slow():
 *     await asyncio.sleep(5)
 *
 * async def main():
 *     try:
 *         await asyncio.wait_for(slow(), timeout=1.0)
 *     except asyncio.TimeoutError:
 *         print("Timed out!")
 * </pre>
 */
public final class TimeoutAwait {
    private TimeoutAwait() {
    }

    static Task<Void> slow(Scale scale) {
        return async(() -> await(Async.sleep(scale.seconds(5))));
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            try {
                await(Async.waitFor(slow(scale), scale.seconds(1.0)));
            } catch (Exception e) {
                if (!(e instanceof TimeoutException)) {
                    throw e;
                }
                System.out.println("Timed out!");
            }
            System.out.println("gave up after " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run timeout --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "timeout --await");
        EventLoop.run(() -> main(scale));
    }
}
