package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.examples.Scale;

/**
 * Pitfall: forgetting to await. Python:
 * <pre>
 * async def main():
 *     fetch("https://example.org/a")          # forgotten await: a coroutine object, never run
 *     asyncio.create_task(fetch(".../b"))     # fire and forget: "Task exception was never retrieved"
 * </pre>
 *
 * <p>Java's types already stop the first half of the Python mistake: a {@code Future<String>} is
 * not a {@code String}, so code cannot use the future as if it were the value. And futures here
 * are hot: calling {@code fetch} starts it, so nothing "does not run". What remains is exactly
 * one mistake: a call whose future is dropped, so that its failure goes nowhere. The loop
 * notices a failure nobody looked at and reports "Future exception was never retrieved" (or
 * "Task ..." for a task, with its name); in debug mode, which this program turns on, the report
 * says where the future was created.
 *
 * <p>The fix: await what you start ({@code then}, {@code map}, {@code gather}, a
 * {@code TaskGroup}), and handle the failure where it makes sense ({@code recover}).
 * {@code --scale F} multiplies the waits.
 */
public final class NoAwait {
    /** Debug mode: futures and tasks record where they were created. */
    static final EventLoop.Options DEBUG = EventLoop.Options.defaults().debug(true);

    private NoAwait() {
    }

    /** A request that fails after 10 ms, as a server answering 503 would. */
    static Future<String> fetch(String url, Scale scale) {
        return Async.sleep(scale.seconds(0.01)).map(v -> {
            throw new IllegalStateException("503 from " + url);
        });
    }

    /** The mistake: one call's future dropped, one task started and forgotten. */
    static String mistake(Scale scale) {
        return EventLoop.run(DEBUG, () -> {
            fetch("https://example.org/a", scale);             // dropped: nobody awaits it
            EventLoop.current().createTask("fetch b", () -> fetch("https://example.org/b", scale)); // forgotten
            return Async.sleep(scale.seconds(0.05)).map(v -> "main done");
        });
    }

    /** The fix: both awaited, their failures handled. */
    static String fix(Scale scale) {
        return EventLoop.run(DEBUG, () -> {
            Future<String> a = fetch("https://example.org/a", scale)
                    .recover(IllegalStateException.class, e -> Async.completed("fallback for a"));
            Future<String> b = EventLoop.current().createTask("fetch b", () -> fetch("https://example.org/b", scale))
                    .recover(IllegalStateException.class, e -> Async.completed("fallback for b"));
            return Async.gather(a, b).map(results -> "main done: " + results);
        });
    }

    /** Runs the mistake, then the fix: {@code ./run pitfall-no-await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-no-await");
        System.out.println("== mistake: a failing call nobody awaits, and a forgotten task");
        System.out.println(mistake(scale));
        System.out.println("== fix: await both and handle the failure");
        System.out.println(fix(scale));
    }
}
