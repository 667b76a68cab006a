package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link HelloWorldTasks} in straight-line form: about 1 s, not 2. Python:
 * <pre>
 * async def say_hello():
 *     await asyncio.sleep(1)
 *     print("Hello")
 *
 * async def main():
 *     task1 = asyncio.create_task(say_hello())
 *     task2 = asyncio.create_task(say_world())
 *     await task1
 *     await task2
 * </pre>
 */
public final class HelloWorldTasksAwait {
    private HelloWorldTasksAwait() {
    }

    static Task<Void> say(String word, Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(1)));
            System.out.println(word);
            return null;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            Task<Void> task1 = say("Hello", scale);
            Task<Void> task2 = say("World", scale);
            await(task1);
            await(task2);
            System.out.println("both in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run hello-world-tasks --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "hello-world-tasks --await");
        EventLoop.run(() -> main(scale));
    }
}
