package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.examples.Scale;
import java.time.Duration;

/**
 * {@link Blocking} in straight-line form. A straight-line body looks like blocking code, which
 * makes the mistake easier to make: {@code Thread.sleep} in it holds the loop thread exactly as
 * in a callback, and debug mode and the watchdog report the coroutine task's step the same way.
 * The fix is {@code await(Async.sleep(...))} for a pause and {@code await(Async.toThread(...))}
 * for what can only block. Python:
 * <pre>
 * async def report():
 *     time.sleep(0.8)          # blocks everything: no other task runs meanwhile
 *     await asyncio.sleep(0.8) # correct
 * </pre>
 */
public final class BlockingAwait {
    private BlockingAwait() {
    }

    /** The mistake: the blocking call made on the loop thread, inside a coroutine task. */
    static String mistake(Scale scale) {
        return EventLoop.run(Blocking.debug(scale), () -> async("report", () -> Blocking.slowQuery(scale.scaled(Blocking.BLOCK))));
    }

    /** The fix: the pause as a timer, the blocking call on a worker thread. */
    static String fix(Scale scale) {
        Duration block = scale.scaled(Blocking.BLOCK);
        return EventLoop.run(Blocking.debug(scale), () -> async("report", () -> {
            await(Async.sleep(block));
            return await(Async.toThread(() -> Blocking.slowQuery(block)));
        }));
    }

    /** Runs the mistake, then the fix: {@code ./run pitfall-blocking --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-blocking --await");
        System.out.println("== mistake: Thread.sleep(" + scale.scaled(Blocking.BLOCK).toMillis() + ") inside a task blocks the loop");
        System.out.println(mistake(scale));
        System.out.println("== fix: Async.sleep, and Async.toThread for the blocking call");
        System.out.println(fix(scale));
    }
}
