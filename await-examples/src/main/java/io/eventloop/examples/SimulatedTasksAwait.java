package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link SimulatedTasks} in straight-line form: tasks of 2, 3 and 1 s finish as 3, 1, 2 in about
 * 3 s. Python:
 * <pre>
 * async def simulated_task(delay, message):
 *     await asyncio.sleep(delay)
 *     print(message)
 *
 * async def main():
 *     task1 = asyncio.create_task(simulated_task(2, "Task 1 complete"))
 *     task2 = asyncio.create_task(simulated_task(3, "Task 2 complete"))
 *     task3 = asyncio.create_task(simulated_task(1, "Task 3 complete"))
 *     await task1
 *     await task2
 *     await task3
 * </pre>
 */
public final class SimulatedTasksAwait {
    private SimulatedTasksAwait() {
    }

    static Task<Void> simulatedTask(double delay, String message, Scale scale) {
        return async(() -> {
            await(Async.sleep(scale.seconds(delay)));
            System.out.println(message);
            return null;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            Task<Void> task1 = simulatedTask(2, "Task 1 complete", scale);
            Task<Void> task2 = simulatedTask(3, "Task 2 complete", scale);
            Task<Void> task3 = simulatedTask(1, "Task 3 complete", scale);
            await(task1);
            await(task2);
            await(task3);
            System.out.println("all done in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run simulated-tasks --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "simulated-tasks --await");
        EventLoop.run(() -> main(scale));
    }
}
