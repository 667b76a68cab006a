package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.Optional;

/**
 * {@link AsyncIteratorDemo} in straight-line form: {@code async for} is a {@code while} over
 * {@code await(it.next())}. Python:
 * <pre>
 * async def main():
 *     async for num in AsyncRange(5):
 *         print(num)
 * </pre>
 */
public final class AsyncIteratorAwait {
    private AsyncIteratorAwait() {
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            AsyncIteratorDemo.AsyncRange range = new AsyncIteratorDemo.AsyncRange(5, scale);
            Optional<Integer> num;
            while ((num = await(range.next())).isPresent()) {
                System.out.println(num.get());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run async-iterator --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "async-iterator --await");
        EventLoop.run(() -> main(scale));
    }
}
