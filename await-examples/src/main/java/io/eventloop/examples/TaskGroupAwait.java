package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.TaskGroupException;
import java.util.concurrent.CancellationException;

/**
 * {@link TaskGroupDemo} in straight-line form: C, A, B; then one failing child cancels the rest.
 * Python:
 * <pre>
 * async def worker(name, delay):
 *     await asyncio.sleep(delay)
 *     print(f"Worker {name} finished")
 *
 * async def main():
 *     async with asyncio.TaskGroup() as tg:
 *         tg.create_task(worker("A", 2))
 *         tg.create_task(worker("B", 3))
 *         tg.create_task(worker("C", 1))
 * </pre>
 * A group's children are spawned as {@code tg.spawn(() -> worker(...))}: the group's task waits
 * on the worker's, and cancelling it cancels the worker.
 */
public final class TaskGroupAwait {
    private TaskGroupAwait() {
    }

    static Task<Void> worker(String name, double delay, Scale scale) {
        return async(() -> {
            try {
                await(Async.sleep(scale.seconds(delay)));
                System.out.println("Worker " + name + " finished");
                return null;
            } catch (CancellationException e) {
                System.out.println("Worker " + name + " cancelled");
                throw e;
            }
        });
    }

    static Task<Void> failing(String name, double delay, Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(delay)));
            System.out.println("Worker " + name + " fails");
            throw new IllegalStateException("worker " + name + " broke");
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            await(TaskGroup.run(tg -> {
                tg.spawn(() -> worker("A", 2, scale));
                tg.spawn(() -> worker("B", 3, scale));
                tg.spawn(() -> worker("C", 1, scale));
                return Async.completed(null);
            }));
            System.out.println("group done in " + Scale.elapsed(start));
            try {
                await(TaskGroup.run(tg -> {
                    tg.spawn(() -> worker("A", 2, scale));
                    tg.spawn(() -> failing("B", 1, scale));
                    tg.spawn(() -> worker("C", 3, scale));
                    return Async.completed(null);
                }));
            } catch (TaskGroupException e) {
                for (Throwable t : e.exceptions()) {
                    System.out.println("caught from the group: " + t.getMessage());
                }
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run task-group --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "task-group --await");
        EventLoop.run(() -> main(scale));
    }
}
