package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link CreateTask} in straight-line form: create two tasks now, await them later. Python:
 * <pre>
 * async def main():
 *     task1 = asyncio.create_task(fetch_url(url1))
 *     task2 = asyncio.create_task(fetch_url(url2))
 *     print("Tasks started")
 *     result1 = await task1
 *     result2 = await task2
 * </pre>
 */
public final class CreateTaskAwait {
    private CreateTaskAwait() {
    }

    static Task<String> fetchUrl(String url, Scale scale) {
        return async(() -> await(Async.sleep(scale.seconds(1), "<html>" + url + "</html>")));
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            Task<String> task1 = fetchUrl("url1", scale);
            Task<String> task2 = fetchUrl("url2", scale);
            // Do other work while the tasks run
            System.out.println("Tasks started");
            // Eventually wait for them
            String result1 = await(task1);
            String result2 = await(task2);
            System.out.println(result1);
            System.out.println(result2);
            System.out.println("both in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run create-task --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "create-task --await");
        EventLoop.run(() -> main(scale));
    }
}
