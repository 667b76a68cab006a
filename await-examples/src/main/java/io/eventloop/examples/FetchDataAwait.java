package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link FetchData} in straight-line form: the 2 s fetch, blocking, then awaited. Python:
 * <pre>
 * async def fetch_data():
 *     await asyncio.sleep(2)
 *     return "Data received"
 *
 * async def main():
 *     result = await fetch_data()
 *     print(result)
 * </pre>
 */
public final class FetchDataAwait {
    private FetchDataAwait() {
    }

    static Task<String> fetchData(Scale scale) {
        return async(() -> await(Async.sleep(scale.seconds(2), "Data received")));
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            String result = await(fetchData(scale));
            System.out.println(result);
            return null;
        });
    }

    /** Runs the program: {@code ./run fetch-data --await [--scale F]}. */
    public static void main(String[] args) throws InterruptedException {
        Scale scale = Scale.parse(args, "fetch-data --await");
        System.out.println(FetchData.fetchDataBlocking(scale));
        EventLoop.run(() -> main(scale));
    }
}
