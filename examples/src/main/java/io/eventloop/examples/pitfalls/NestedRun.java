package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.examples.Scale;
import java.util.concurrent.CompletableFuture;

/**
 * Pitfall: starting event loops inside a running one, and waiting for a loop future by blocking
 * the loop thread. Python:
 * <pre>
 * async def main():
 *     asyncio.run(other())            # RuntimeError: asyncio.run() cannot be called from a running event loop
 *     loop.run_until_complete(f)      # RuntimeError: This event loop is already running
 * </pre>
 *
 * <p>One {@code EventLoop.run(main)} per program, as one {@code asyncio.run(main())}. Nested, it
 * fails at once with an {@link IllegalStateException} that says what to do instead; so do
 * {@code runUntilComplete} on the running loop, and {@code get()}/{@code join()} on a loop
 * future's {@code CompletableFuture} from the loop thread, which would otherwise deadlock (the
 * loop would wait for itself). These checks are always on, not only in debug mode. The fix: in
 * the loop, start work with {@code createTask} and continue with {@code then}/{@code map}.
 * {@code --scale F} multiplies the one wait, {@code other}'s.
 */
public final class NestedRun {
    private NestedRun() {
    }

    static Future<String> other(Scale scale) {
        return Async.sleep(scale.seconds(0.01)).map(v -> "other done");
    }

    /** Runs {@code attempt} and prints the IllegalStateException it throws. */
    private static void expectRefused(String what, Runnable attempt) {
        try {
            attempt.run();
            System.out.println(what + ": no error?");
        } catch (IllegalStateException e) {
            System.out.println(what + " -> IllegalStateException: " + e.getMessage());
        }
    }

    /** The mistakes, each caught and printed. */
    static String mistakes(Scale scale) {
        return EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            expectRefused("EventLoop.run(...) inside main", () -> EventLoop.run(() -> other(scale)));
            expectRefused("loop.runUntilComplete(...) inside main", () -> loop.runUntilComplete(other(scale)));
            expectRefused("new EventLoop().runUntilComplete(...) inside main", () -> {
                try (EventLoop second = new EventLoop()) {
                    second.runUntilComplete(second.createFuture());
                }
            });
            CompletableFuture<String> cf = other(scale).toCompletableFuture();
            expectRefused("other().toCompletableFuture().join() on the loop thread", cf::join);
            return Async.completed("main done");
        });
    }

    /** The fix: one run; inside it, a task and a continuation. */
    static String fix(Scale scale) {
        return EventLoop.run(() -> EventLoop.current().createTask("other", () -> other(scale))
                .map(result -> "main done, " + result));
    }

    /** Runs the mistakes, each caught and printed, then the fix: {@code ./run pitfall-nested-run [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-nested-run");
        System.out.println("== mistake: nested runs and a blocking join() on the loop thread");
        System.out.println(mistakes(scale));
        System.out.println("== fix: one EventLoop.run; inside it createTask and then/map");
        System.out.println(fix(scale));
    }
}
