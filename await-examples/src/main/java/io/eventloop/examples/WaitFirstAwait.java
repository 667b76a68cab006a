package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ReturnWhen;
import io.eventloop.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link WaitFirst} in straight-line form: {@code asyncio.wait(FIRST_COMPLETED)}, then cancel the
 * pending tasks. Python:
 * <pre>
 * async def main():
 *     tasks = [asyncio.create_task(fetch_url(url)) for url in urls]
 *     done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
 *     for task in pending:
 *         task.cancel()
 * </pre>
 */
public final class WaitFirstAwait {
    private WaitFirstAwait() {
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String url = "url-" + i;
                double seconds = i;
                tasks.add(async(url, () -> await(Async.sleep(scale.seconds(seconds), "page of " + url))));
            }
            var r = await(Async.wait(tasks, ReturnWhen.FIRST_COMPLETED, null));
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
            await(Async.gatherSettled(new ArrayList<Future<String>>(pending)));
            for (Task<String> task : pending) {
                System.out.println(task.name() + (task.isCancelled() ? " cancelled" : " not cancelled"));
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run wait-first --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "wait-first --await");
        EventLoop.run(() -> main(scale));
    }
}
