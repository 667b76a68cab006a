package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link Hello} in straight-line form. Python:
 * <pre>
 * async def hello():
 *     await asyncio.sleep(1)
 *     return "Hello, asyncio!"
 *
 * print(asyncio.run(hello()))
 * </pre>
 */
public final class HelloAwait {
    private HelloAwait() {
    }

    static Task<String> hello(Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(1)));
            return "Hello, eventloop!";
        });
    }

    /** Runs the program: {@code ./run hello --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "hello --await");
        System.out.println(EventLoop.run(() -> hello(scale)));
    }
}
