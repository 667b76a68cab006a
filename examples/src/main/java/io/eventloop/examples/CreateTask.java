package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;

/**
 * Start now, wait later ("asyncio fundamentals", {@code asyncio.create_task}). Python:
 * <pre>
 * async def main():
 *     task1 = asyncio.create_task(fetch_url(url1))
 *     task2 = asyncio.create_task(fetch_url(url2))
 *
 *     # Do other work while tasks run
 *     print("Tasks started")
 *
 *     # Eventually await
 *     result1 = await task1
 *     result2 = await task2
 * </pre>
 * The network fetch is simulated (the real one is the HTTP examples' job): {@code fetch_url}
 * waits one second and returns a short page. Both tasks wait at the same time, so the two
 * results arrive after about one second. {@code --scale F} multiplies the wait.
 */
public final class CreateTask {
    private CreateTask() {
    }

    static Future<String> fetchUrl(String url, Scale scale) {
        return Async.sleep(scale.seconds(1), "<html>" + url + "</html>");
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        Task<String> task1 = loop.createTask(() -> fetchUrl("url1", scale));
        Task<String> task2 = loop.createTask(() -> fetchUrl("url2", scale));
        // Do other work while the tasks run
        System.out.println("Tasks started");
        // Eventually wait for them
        return task1.then(result1 -> task2.map(result2 -> {
            System.out.println(result1);
            System.out.println(result2);
            System.out.println("both in " + Scale.elapsed(start));
            return null;
        }));
    }

    /** Runs the program: {@code ./run create-task [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "create-task");
        EventLoop.run(() -> main(scale));
    }
}
