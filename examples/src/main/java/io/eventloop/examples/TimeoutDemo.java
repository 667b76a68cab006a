package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.TimeoutException;

/**
 * Don't hang forever: {@code wait_for} ("How asyncio can make your code faster", section 5; the "asyncio fundamentals" tutorial's "Timeouts" is the same
 * program with "Operation timed out"). Python:
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
 * {@code asyncio.TimeoutError} is {@link TimeoutException}. Like {@code wait_for},
 * {@link Async#waitFor} cancels {@code slow()} and waits until it has ended before failing. The
 * program also prints how long it waited: about one second, not five. {@code --scale F}
 * multiplies both durations.
 */
public final class TimeoutDemo {
    private TimeoutDemo() {
    }

    static Future<Void> slow(Scale scale) {
        return Async.sleep(scale.seconds(5));
    }

    static Future<Void> main(Scale scale) {
        long start = System.nanoTime();
        return Async.waitFor(slow(scale), scale.seconds(1.0))
                .recover(TimeoutException.class, e -> {
                    System.out.println("Timed out!");
                    return Async.completed(null);
                })
                .map(v -> {
                    System.out.println("gave up after " + Scale.elapsed(start));
                    return null;
                });
    }

    /** Runs the program: {@code ./run timeout [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "timeout");
        EventLoop.run(() -> main(scale));
    }
}
