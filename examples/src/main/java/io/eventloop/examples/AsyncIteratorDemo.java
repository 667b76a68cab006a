package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.Optional;

/**
 * An asynchronous iterator written by hand ("asyncio fundamentals", "Async Iterator"). Python:
 * <pre>
 * class AsyncRange:
 *     def __init__(self, n):
 *         self.n = n
 *         self.current = 0
 *     def __aiter__(self):
 *         return self
 *     async def __anext__(self):
 *         if self.current >= self.n:
 *             raise StopAsyncIteration
 *         await asyncio.sleep(0.1)
 *         self.current += 1
 *         return self.current
 *
 * async def main():
 *     async for num in AsyncRange(5):
 *         print(num)
 * </pre>
 * {@code __anext__} is {@link AsyncIterator#next}, and {@code raise StopAsyncIteration} is an
 * empty {@link Optional}; {@code async for} is
 * {@link Async#forEach(AsyncIterator, io.eventloop.ThrowingFunction)}. {@code --scale F}
 * multiplies the 0.1 s of work per element.
 */
public final class AsyncIteratorDemo {
    private AsyncIteratorDemo() {
    }

    /** Counts 1 to {@code n}, waiting a little before each number. */
    static final class AsyncRange implements AsyncIterator<Integer> {
        private final int n;
        private final Scale scale;
        private int current;

        AsyncRange(int n, Scale scale) {
            this.n = n;
            this.scale = scale;
        }

        @Override
        public Future<Optional<Integer>> next() {
            if (current >= n) {
                return Async.completed(Optional.empty());
            }
            return Async.sleep(scale.seconds(0.1)).map(v -> Optional.of(++current));
        }
    }

    static Future<Void> main(Scale scale) {
        return Async.forEach(new AsyncRange(5, scale), num -> {
            System.out.println(num);
            return Async.completed(null);
        });
    }

    /** Runs the program: {@code ./run async-iterator [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "async-iterator");
        EventLoop.run(() -> main(scale));
    }
}
