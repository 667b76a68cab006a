package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link Coroutine} in straight-line form. An {@code async} body, unlike a method returning a hot
 * future, starts only on the next iteration, like a Python task (still not when awaited, as a bare
 * coroutine would). Python:
 * <pre>
 * async def my_coroutine():
 *     print("Start")
 *     await asyncio.sleep(1)
 *     print("End")
 *     return "result"
 *
 * result = asyncio.run(my_coroutine())
 *
 * async def main():
 *     result = await my_coroutine()
 *     print(result)
 * </pre>
 */
public final class CoroutineAwait {
    private CoroutineAwait() {
    }

    static Task<String> myCoroutine(Scale scale) {
        return async(() -> {
            System.out.println("Start");
            await(Async.sleep(scale.seconds(1)));
            System.out.println("End");
            return "result";
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            String result = await(myCoroutine(scale));
            System.out.println(result);
            return null;
        });
    }

    static Task<Void> notAwaited(Scale scale) {
        return async(() -> {
            Task<String> started = myCoroutine(scale); // scheduled: its "Start" comes on the next iteration
            System.out.println("called without waiting; done: " + started.isDone());
            return null; // EventLoop.run then cancels the leftover task in its sleep: "End" never comes
        });
    }

    /** Runs the program: {@code ./run coroutine --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "coroutine --await");
        System.out.println("-- EventLoop.run(myCoroutine)");
        String result = EventLoop.run(() -> myCoroutine(scale));
        System.out.println("returned " + result);
        System.out.println("-- awaited in main");
        EventLoop.run(() -> main(scale));
        System.out.println("-- called, not awaited");
        EventLoop.run(() -> notAwaited(scale));
    }
}
