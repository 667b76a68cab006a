package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TaskGroup;
import io.eventloop.TaskGroupException;
import java.util.concurrent.CancellationException;

/**
 * Structured concurrency with a task group ("Speed up your Python scripts", "Task Groups in Python 3.11+"). Python:
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
 * {@code async with TaskGroup() as tg} is {@link TaskGroup#run}, {@code tg.create_task} is
 * {@link TaskGroup#spawn}; the group's future completes when every child is done (C, A, B, after
 * about 3 s). The tutorial says the group "ensures all tasks are complete or any exceptions are
 * properly handled"; the second part shows what that means: worker B fails after 1 s, so the
 * group cancels A and C, waits for them, and fails with a {@link TaskGroupException} (Python's
 * {@code ExceptionGroup}, caught with {@code except*}) that lists B's error.
 * {@code --scale F} multiplies the waits.
 */
public final class TaskGroupDemo {
    private TaskGroupDemo() {
    }

    static Future<Void> worker(String name, double delay, Scale scale) {
        return Async.sleep(scale.seconds(delay))
                .map(v -> {
                    System.out.println("Worker " + name + " finished");
                    return (Void) null;
                })
                .recover(CancellationException.class, e -> {
                    System.out.println("Worker " + name + " cancelled");
                    throw e;
                });
    }

    static Future<Void> failing(String name, double delay, Scale scale) {
        return Async.sleep(scale.seconds(delay)).map(v -> {
            System.out.println("Worker " + name + " fails");
            throw new IllegalStateException("worker " + name + " broke");
        });
    }

    static Future<Void> main(Scale scale) {
        long start = System.nanoTime();
        return TaskGroup.run(tg -> {
            tg.spawn(() -> worker("A", 2, scale));
            tg.spawn(() -> worker("B", 3, scale));
            tg.spawn(() -> worker("C", 1, scale));
            return Async.completed((Void) null);
        }).map(v -> {
            System.out.println("group done in " + Scale.elapsed(start));
            return null;
        });
    }

    static Future<Void> oneFails(Scale scale) {
        return TaskGroup.run(tg -> {
            tg.spawn(() -> worker("A", 2, scale));
            tg.spawn(() -> failing("B", 1, scale));
            tg.spawn(() -> worker("C", 3, scale));
            return Async.completed((Void) null);
        }).recover(TaskGroupException.class, e -> {
            for (Throwable t : e.exceptions()) {
                System.out.println("caught from the group: " + t.getMessage());
            }
            return Async.completed(null);
        });
    }

    /** Runs the program: {@code ./run task-group [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "task-group");
        EventLoop.run(() -> main(scale));
        EventLoop.run(() -> oneFails(scale));
    }
}
