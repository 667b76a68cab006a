package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;

/**
 * Two one-second tasks that finish together ("Mastering asyncio", "Running Multiple Tasks"). Python:
 * <pre>
 * async def say_hello():
 *     await asyncio.sleep(1)
 *     print("Hello")
 *
 * async def say_world():
 *     await asyncio.sleep(1)
 *     print("World")
 *
 * async def main():
 *     task1 = asyncio.create_task(say_hello())
 *     task2 = asyncio.create_task(say_world())
 *     await task1
 *     await task2
 * </pre>
 * "Both tasks finish in 1 second instead of 2": the program prints the elapsed time to show it.
 * The two timers end at the same moment; timers due together run in the order they were set,
 * so "Hello" always comes before "World". {@code --scale F} multiplies the second.
 */
public final class HelloWorldTasks {
    private HelloWorldTasks() {
    }

    static Future<Void> say(String word, Scale scale) {
        return Async.sleep(scale.seconds(1)).map(v -> {
            System.out.println(word);
            return null;
        });
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        Task<Void> task1 = loop.createTask(() -> say("Hello", scale));
        Task<Void> task2 = loop.createTask(() -> say("World", scale));
        return task1.then(v -> task2).map(v -> {
            System.out.println("both in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run hello-world-tasks [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "hello-world-tasks");
        EventLoop.run(() -> main(scale));
    }
}
