package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * The tiniest coroutine. Python:
 * <pre>
 * async def hello():
 *     await asyncio.sleep(1)
 *     return "Hello, asyncio!"
 *
 * print(asyncio.run(hello()))
 * </pre>
 */
public final class Hello {
    private Hello() {
    }

    static Future<String> hello(Scale scale) {
        return Async.sleep(scale.seconds(1)).map(v -> "Hello, eventloop!");
    }

    /** Runs the program: {@code ./run hello [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "hello");
        String result = EventLoop.run(() -> hello(scale));
        System.out.println(result);
    }
}
