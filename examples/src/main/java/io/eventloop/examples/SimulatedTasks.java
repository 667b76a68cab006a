package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;

/**
 * Three tasks that wait 2, 3 and 1 seconds ("Speed up your Python scripts", "Getting Started: A Simple Example").
 * Python:
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
 * The messages come out in the order the waits end (3, 1, 2), not the order the tasks were made
 * or awaited, and the whole takes about 3 s (the longest wait), not 6 s, which the last line
 * shows. {@code --scale F} multiplies the waits.
 */
public final class SimulatedTasks {
    private SimulatedTasks() {
    }

    static Future<Void> simulatedTask(double delay, String message, Scale scale) {
        return Async.sleep(scale.seconds(delay)).map(v -> {
            System.out.println(message);
            return null;
        });
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        long start = System.nanoTime();
        Task<Void> task1 = loop.createTask(() -> simulatedTask(2, "Task 1 complete", scale));
        Task<Void> task2 = loop.createTask(() -> simulatedTask(3, "Task 2 complete", scale));
        Task<Void> task3 = loop.createTask(() -> simulatedTask(1, "Task 3 complete", scale));
        return task1.then(v -> task2).then(v -> task3).map(v -> {
            System.out.println("all done in " + Scale.elapsed(start));
            return null;
        });
    }

    /** Runs the program: {@code ./run simulated-tasks [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "simulated-tasks");
        EventLoop.run(() -> main(scale));
    }
}
