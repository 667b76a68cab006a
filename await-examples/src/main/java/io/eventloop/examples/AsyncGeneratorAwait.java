package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.Optional;

/**
 * {@link AsyncGenerator} in straight-line form: the generator's body is a task whose
 * {@code yield count} is {@code await(emit.emit(count))}, which resumes when the consumer asks
 * for the next number; {@code async for} is a {@code while} over {@code await(it.next())}. Python:
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
 */
public final class AsyncGeneratorAwait {
    private AsyncGeneratorAwait() {
    }

    static AsyncIterator<Integer> asyncCounter(int stop, Scale scale) {
        return Async.generate(emit -> async(() -> {
            int count = 0;
            while (count < stop) {
                await(Async.sleep(scale.seconds(1)));
                await(emit.emit(count));
                count++;
            }
            return null;
        }));
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            AsyncIterator<Integer> numbers = asyncCounter(5, scale);
            try {
                Optional<Integer> number;
                while ((number = await(numbers.next())).isPresent()) {
                    System.out.println(number.get());
                }
            } finally {
                await(numbers.closeAsync());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run async-generator --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "async-generator --await");
        EventLoop.run(() -> main(scale));
    }
}
