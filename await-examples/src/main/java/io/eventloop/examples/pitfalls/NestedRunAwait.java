package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.EventLoop;
import io.eventloop.examples.Scale;
import java.util.concurrent.CompletableFuture;

/**
 * {@link NestedRun} in straight-line form. Inside a coroutine body the nested runs and the
 * blocking {@code join()} are refused as they are in a callback, for the body runs on the loop
 * thread; the fix is the one {@code await} they were standing in for. Python:
 * <pre>
 * async def main():
 *     asyncio.run(other())            # RuntimeError: asyncio.run() cannot be called from a running event loop
 *     loop.run_until_complete(f)      # RuntimeError: This event loop is already running
 * </pre>
 */
public final class NestedRunAwait {
    private NestedRunAwait() {
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

    /** The mistakes, each caught and printed, from a coroutine body. */
    static String mistakes(Scale scale) {
        return EventLoop.run(() -> async(() -> {
            EventLoop loop = EventLoop.current();
            expectRefused("EventLoop.run(...) inside main", () -> EventLoop.run(() -> NestedRun.other(scale)));
            expectRefused("loop.runUntilComplete(...) inside main", () -> loop.runUntilComplete(NestedRun.other(scale)));
            expectRefused("new EventLoop().runUntilComplete(...) inside main", () -> {
                try (EventLoop second = new EventLoop()) {
                    second.runUntilComplete(second.createFuture());
                }
            });
            CompletableFuture<String> cf = NestedRun.other(scale).toCompletableFuture();
            expectRefused("other().toCompletableFuture().join() on the loop thread", cf::join);
            return "main done";
        }));
    }

    /** The fix: one run; inside it, a task, awaited. */
    static String fix(Scale scale) {
        return EventLoop.run(() -> async(() -> {
            String result = await(async("other", () -> await(NestedRun.other(scale))));
            return "main done, " + result;
        }));
    }

    /** Runs the mistakes, each caught and printed, then the fix: {@code ./run pitfall-nested-run --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-nested-run --await");
        System.out.println("== mistake: nested runs and a blocking join() on the loop thread");
        System.out.println(mistakes(scale));
        System.out.println("== fix: one EventLoop.run; inside it createTask and then/map");
        System.out.println(fix(scale));
    }
}
