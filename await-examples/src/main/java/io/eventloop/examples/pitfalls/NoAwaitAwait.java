package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.examples.Scale;
import java.util.List;

/**
 * {@link NoAwait} in straight-line form. The mistake is the same one: a call whose future is
 * dropped, and a task started and forgotten; a straight-line body makes it no harder to write
 * ({@code fetch(url)} as a statement compiles), and the loop reports it the same way. The fix
 * reads as the Python does: {@code await} each, in a {@code try/catch}. Python:
 * <pre>
 * async def main():
 *     fetch("https://example.org/a")          # forgotten await: a coroutine object, never run
 *     asyncio.create_task(fetch(".../b"))     # fire and forget: "Task exception was never retrieved"
 * </pre>
 */
public final class NoAwaitAwait {
    private NoAwaitAwait() {
    }

    /** The mistake: one call's future dropped, one task started and forgotten. */
    static String mistake(Scale scale) {
        return EventLoop.run(NoAwait.DEBUG, () -> async(() -> {
            NoAwait.fetch("https://example.org/a", scale);                       // dropped: nobody awaits it
            async("fetch b", () -> await(NoAwait.fetch("https://example.org/b", scale))); // forgotten
            await(Async.sleep(scale.seconds(0.05)));
            return "main done";
        }));
    }

    /** {@code fetch(url)}, its failure replaced by a fallback: {@code try: await ... except}. */
    static Task<String> fetchOrFallback(String name, String url, Scale scale) {
        return async("fetch " + name, () -> {
            try {
                return await(NoAwait.fetch(url, scale));
            } catch (IllegalStateException e) {
                return "fallback for " + name;
            }
        });
    }

    /** The fix: both awaited, their failures handled. */
    static String fix(Scale scale) {
        return EventLoop.run(NoAwait.DEBUG, () -> async(() -> {
            Future<String> a = fetchOrFallback("a", "https://example.org/a", scale);
            Future<String> b = fetchOrFallback("b", "https://example.org/b", scale);
            List<String> results = await(Async.gather(a, b));
            return "main done: " + results;
        }));
    }

    /** Runs the mistake, then the fix: {@code ./run pitfall-no-await --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-no-await --await");
        System.out.println("== mistake: a failing call nobody awaits, and a forgotten task");
        System.out.println(mistake(scale));
        System.out.println("== fix: await both and handle the failure");
        System.out.println(fix(scale));
    }
}
