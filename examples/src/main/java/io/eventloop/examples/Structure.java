package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;

/**
 * The shape of a program ("How asyncio can make your code faster", "Quick reference: structure your program"). Python:
 * <pre>
 * async def main():
 *     # 1) create tasks
 *     t1 = asyncio.create_task(coro1())
 *     t2 = asyncio.create_task(coro2())
 *
 *     # 2) run other awaits while tasks progress
 *     result = await some_other_coro()
 *
 *     # 3) gather results
 *     await asyncio.gather(t1, t2)
 *
 * if __name__ == "__main__":
 *     asyncio.run(main())
 * </pre>
 * The tutorial leaves the three coroutines out; here {@code coro1} waits 1 s, {@code coro2} 2 s and
 * {@code some_other_coro} 0.5 s, each printing when it ends. Everything overlaps, so the whole
 * takes about 2 s, not 3.5 s. {@code --scale F} multiplies the durations.
 */
public final class Structure {
    private Structure() {
    }

    static Future<String> job(String name, double seconds, Scale scale) {
        return Async.sleep(scale.seconds(seconds)).map(v -> {
            System.out.println(name + " finished");
            return name;
        });
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        // 1) create tasks
        Task<String> t1 = loop.createTask(() -> job("coro1", 1, scale));
        Task<String> t2 = loop.createTask(() -> job("coro2", 2, scale));
        // 2) run other awaits while the tasks progress
        return job("some_other_coro", 0.5, scale)
                .then(result -> {
                    System.out.println("result: " + result);
                    // 3) gather results
                    return Async.gather(t1, t2);
                })
                .map(results -> {
                    System.out.println("gathered " + results + " in " + Scale.elapsed(start));
                    return null;
                });
    }

    /** Runs the program: {@code ./run structure [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "structure");
        EventLoop.run(() -> main(scale));
    }
}
