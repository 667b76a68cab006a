package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.List;

/**
 * Handling an error inside the coroutine, or after it ("Speed up your Python scripts", "Error Handling in
 * Asynchronous Code"). Python:
 * <pre>
 * async def risky_operation():
 *     try:
 *         result = await asyncio.sleep(1, result=42)
 *         if result == 42:
 *             raise ValueError("An error has occurred!")
 *     except ValueError as e:
 *         print(f"Caught exception: {e}")
 *         return None
 *     return result
 *
 * async def main():
 *     task = asyncio.create_task(risky_operation())
 *     outcome = await task
 *     print(f"Outcome: {outcome}")
 * </pre>
 * {@code ValueError} is {@link IllegalArgumentException}; {@code try/except} around the awaits is
 * {@code recover} on the chain. The tutorial only describes the second approach ("let the exception
 * propagate and handle it in the calling context"); the second part does it: the operation
 * raises, the caller gathers it with {@link Async#gatherSettled} next to one that succeeds and
 * handles the failure after both are done. {@code --scale F} multiplies the one-second sleep.
 */
public final class ErrorHandling {
    private ErrorHandling() {
    }

    /** Immediate handling: the coroutine catches its own error. */
    static Future<Integer> riskyOperation(Scale scale) {
        return Async.sleep(scale.seconds(1), 42)
                .map(result -> {
                    if (result == 42) {
                        throw new IllegalArgumentException("An error has occurred!");
                    }
                    return result;
                })
                .recover(IllegalArgumentException.class, e -> {
                    System.out.println("Caught exception: " + e.getMessage());
                    return Async.completed(null);
                });
    }

    /** The same operation without the handler: the error propagates to whoever waits. */
    static Future<Integer> riskyOperationUnhandled(Scale scale) {
        return Async.sleep(scale.seconds(1), 42).map(result -> {
            if (result == 42) {
                throw new IllegalArgumentException("An error has occurred!");
            }
            return result;
        });
    }

    static Future<Void> main(Scale scale) {
        Task<Integer> task = EventLoop.current().createTask(() -> riskyOperation(scale));
        return task.map(outcome -> {
            System.out.println("Outcome: " + outcome);
            return null;
        });
    }

    /** Deferred handling: run both, then look at each outcome. */
    static Future<Void> deferred(Scale scale) {
        EventLoop loop = EventLoop.current();
        Task<Integer> risky = loop.createTask("risky", () -> riskyOperationUnhandled(scale));
        Task<Integer> safe = loop.createTask("safe", () -> Async.sleep(scale.seconds(1), 7));
        return Async.gatherSettled(List.<Future<Integer>>of(risky, safe)).map(outcomes -> {
            for (Future<Integer> f : outcomes) {
                String name = ((Task<Integer>) f).name();
                if (f.exception() != null) {
                    System.out.println(name + " failed: " + f.exception().getMessage());
                } else {
                    System.out.println(name + " returned " + f.result());
                }
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run error-handling [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "error-handling");
        EventLoop.run(() -> main(scale));
        EventLoop.run(() -> deferred(scale));
    }
}
