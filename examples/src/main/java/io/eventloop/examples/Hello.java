package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;

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

    static Future<String> hello() {
        return Async.sleep(Duration.ofSeconds(1)).map(v -> "Hello, eventloop!");
    }

    /** Runs the program: {@code ./run hello}. */
    public static void main(String[] args) {
        String result = EventLoop.run(Hello::hello);
        System.out.println(result);
    }
}
