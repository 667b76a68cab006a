package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;

/**
 * {@link ErrorHandling} in straight-line form: catch inside the coroutine, or let the failure
 * come out of the {@code await} of its task. Python:
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
 */
public final class ErrorHandlingAwait {
    private ErrorHandlingAwait() {
    }

    static Task<Integer> riskyOperation(Scale scale, boolean handled) {
        return async(() -> {
            try {
                int result = await(Async.sleep(scale.seconds(1), 42));
                if (result == 42) {
                    throw new IllegalArgumentException("An error has occurred!");
                }
                return result;
            } catch (IllegalArgumentException e) {
                if (!handled) {
                    throw e;
                }
                System.out.println("Caught exception: " + e.getMessage());
                return null;
            }
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            Integer outcome = await(riskyOperation(scale, true));
            System.out.println("Outcome: " + outcome);
            try {
                await(riskyOperation(scale, false));
            } catch (IllegalArgumentException e) {
                System.out.println("the task failed, and its await threw: " + e.getMessage());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run error-handling --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "error-handling --await");
        EventLoop.run(() -> main(scale));
    }
}
