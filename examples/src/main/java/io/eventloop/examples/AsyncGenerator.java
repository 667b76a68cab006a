package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * An asynchronous generator ("Speed up your Python scripts", "Async Generators"). Python:
 * <pre>
 * async def async_counter(stop):
 *     count = 0
 *     while count &lt; stop:
 *         await asyncio.sleep(1)
 *         yield count
 *         count += 1
 *
 * async def main():
 *     async for number in async_counter(5):
 *         print(number)
 * </pre>
 * {@link Async#generate} turns a producer into an {@link AsyncIterator}: {@code yield count} is
 * {@code emit.emit(count)}, whose future completes when the consumer asks for the next number,
 * so the producer never runs ahead of the {@code async for}, as a Python generator does not.
 * {@code --scale F} multiplies the one-second sleep.
 */
public final class AsyncGenerator {
    private AsyncGenerator() {
    }

    static AsyncIterator<Integer> asyncCounter(int stop, Scale scale) {
        return Async.generate(emit -> {
            int[] count = {0};
            return Async.repeat(() -> {
                if (count[0] >= stop) {
                    return Async.completed(false);
                }
                return Async.sleep(scale.seconds(1))
                        .then(v -> emit.emit(count[0]))
                        .map(v -> {
                            count[0]++;
                            return true;
                        });
            });
        });
    }

    static Future<Void> main(Scale scale) {
        return Async.forEach(asyncCounter(5, scale), number -> {
            System.out.println(number);
            return Async.completed(null);
        });
    }

    /** Runs the program: {@code ./run async-generator [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "async-generator");
        EventLoop.run(() -> main(scale));
    }
}
