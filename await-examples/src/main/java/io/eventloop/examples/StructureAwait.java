package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.List;

/**
 * {@link Structure} in straight-line form: create tasks, await something else meanwhile, gather.
 * Python:
 * <pre>
 * async def main():
 *     t1 = asyncio.create_task(coro1())
 *     t2 = asyncio.create_task(coro2())
 *     result = await some_other_coro()
 *     await asyncio.gather(t1, t2)
 * </pre>
 */
public final class StructureAwait {
    private StructureAwait() {
    }

    static Task<String> job(String name, double seconds, Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(seconds)));
            System.out.println(name + " finished");
            return name;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            // 1) create tasks
            Task<String> t1 = job("coro1", 1, scale);
            Task<String> t2 = job("coro2", 2, scale);
            // 2) run other awaits while the tasks progress
            String result = await(job("some_other_coro", 0.5, scale));
            System.out.println("result: " + result);
            // 3) gather results
            List<String> results = await(Async.gather(t1, t2));
            System.out.println("gathered " + results + " in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run structure --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "structure --await");
        EventLoop.run(() -> main(scale));
    }
}
