package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * A coroutine, run and awaited ("asyncio fundamentals", "Core Concepts"; the "Speed up your Python scripts" tutorial's {@code example_coroutine}
 * is the same shape). Python:
 * <pre>
 * async def my_coroutine():
 *     print("Start")
 *     await asyncio.sleep(1)
 *     print("End")
 *     return "result"
 *
 * coro = my_coroutine()                       # Nothing runs yet
 * result = asyncio.run(my_coroutine())
 *
 * async def main():
 *     result = await my_coroutine()
 *     print(result)
 * </pre>
 * One difference matters here. Calling a Python coroutine function only builds a coroutine
 * object: nothing runs until it is awaited or wrapped in a task, and forgetting the
 * {@code await} means it never runs. A Java async method returns a <em>hot</em> future: the call
 * itself runs the method up to its first wait, so "Start" is printed at the call, with or
 * without anyone waiting for the result. The third part shows it: the call prints "Start", and
 * since nothing waits for it, the loop ends before "End". A call also needs a loop to run on,
 * which is why {@code coro = my_coroutine()} at top level has no Java counterpart.
 * {@code --scale F} multiplies the one-second sleep.
 */
public final class Coroutine {
    private Coroutine() {
    }

    static Future<String> myCoroutine(Scale scale) {
        System.out.println("Start");
        return Async.sleep(scale.seconds(1)).map(v -> {
            System.out.println("End");
            return "result";
        });
    }

    static Future<Void> main(Scale scale) {
        return myCoroutine(scale).map(result -> {
            System.out.println(result);
            return null;
        });
    }

    static Future<Void> notAwaited(Scale scale) {
        Future<String> started = myCoroutine(scale); // prints "Start" now: the future is hot
        System.out.println("called without waiting; done: " + started.isDone());
        return Async.completed(null);                // returns at once: "End" never comes
    }

    /** Runs the program: {@code ./run coroutine [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "coroutine");
        System.out.println("-- EventLoop.run(myCoroutine)");
        String result = EventLoop.run(() -> myCoroutine(scale));
        System.out.println("returned " + result);
        System.out.println("-- awaited in main");
        EventLoop.run(() -> main(scale));
        System.out.println("-- called, not awaited");
        EventLoop.run(() -> notAwaited(scale));
    }
}
