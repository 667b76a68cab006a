package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * The same two-second fetch, blocking and then awaited ("Mastering asyncio", "Synchronous vs
 * Asynchronous"). Python:
 * <pre>
 * # Synchronous version
 * def fetch_data():
 *     time.sleep(2)
 *     return "Data received"
 * print(fetch_data())
 *
 * # Asynchronous version
 * async def fetch_data():
 *     await asyncio.sleep(2)
 *     return "Data received"
 *
 * async def main():
 *     result = await fetch_data()
 *     print(result)
 * </pre>
 * Alone, both take two seconds; the difference is what the thread can do meanwhile. The blocking
 * one holds the thread; the awaited one leaves the loop free, which {@code hello-world-tasks}
 * ({@link HelloWorldTasks}) puts to use. {@code --scale F} multiplies the two seconds.
 */
public final class FetchData {
    private FetchData() {
    }

    static String fetchDataBlocking(Scale scale) throws InterruptedException {
        scale.blockingSleep(2);
        return "Data received";
    }

    static Future<String> fetchData(Scale scale) {
        return Async.sleep(scale.seconds(2), "Data received");
    }

    static Future<Void> main(Scale scale) {
        return fetchData(scale).map(result -> {
            System.out.println(result);
            return null;
        });
    }

    /** Runs the program: {@code ./run fetch-data [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Scale scale = Scale.parse(args, "fetch-data");
        System.out.println(fetchDataBlocking(scale));
        EventLoop.run(() -> main(scale));
    }
}
