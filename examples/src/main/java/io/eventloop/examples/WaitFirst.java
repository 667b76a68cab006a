package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ReturnWhen;
import io.eventloop.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The first to finish wins, the others are cancelled ("asyncio fundamentals", {@code asyncio.wait}). Python:
 * <pre>
 * async def main():
 *     tasks = [asyncio.create_task(fetch_url(url)) for url in urls]
 *
 *     # Wait for first to complete
 *     done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
 *
 *     # Cancel remaining if needed
 *     for task in pending:
 *         task.cancel()
 * </pre>
 * The fetch is simulated: {@code url-1}, {@code url-2} and {@code url-3} answer after 1, 2 and
 * 3 s. {@link Async#wait} never cancels anything itself, like {@code asyncio.wait}; the program
 * cancels the pending tasks, then waits for them with {@link Async#gatherSettled} to show that
 * they ended cancelled. {@code --scale F} multiplies the waits.
 */
public final class WaitFirst {
    private WaitFirst() {
    }

    static Future<String> fetchUrl(String url, double seconds, Scale scale) {
        return Async.sleep(scale.seconds(seconds), "page of " + url);
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String url = "url-" + i;
            double seconds = i;
            tasks.add(loop.createTask(url, () -> fetchUrl(url, seconds, scale)));
        }
        return Async.wait(tasks, ReturnWhen.FIRST_COMPLETED, null).then(r -> {
            for (Future<String> f : r.done()) {
                System.out.println("first done: " + ((Task<String>) f).name() + " -> " + f.result()
                        + " after " + Scale.elapsed(start));
            }
            List<Task<String>> pending = new ArrayList<>();
            for (Future<String> f : r.pending()) {
                pending.add((Task<String>) f);
            }
            pending.sort(Comparator.comparing(Task::name));
            for (Task<String> task : pending) {
                task.cancel();
            }
            return Async.gatherSettled(new ArrayList<Future<String>>(pending)).map(settled -> {
                for (Task<String> task : pending) {
                    System.out.println(task.name() + (task.isCancelled() ? " cancelled" : " not cancelled"));
                }
                return null;
            });
        });
    }

    /** Runs the program: {@code ./run wait-first [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "wait-first");
        EventLoop.run(() -> main(scale));
    }
}
