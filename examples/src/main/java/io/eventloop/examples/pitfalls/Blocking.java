package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.examples.Scale;
import java.time.Duration;

/**
 * Pitfall: blocking the loop. Python:
 * <pre>
 * async def report():
 *     time.sleep(0.8)          # blocks everything: no other task runs meanwhile
 *     await asyncio.sleep(0.8) # correct
 * </pre>
 *
 * <p>{@code Thread.sleep}, a blocking JDBC call or {@code HttpURLConnection} inside a task step
 * holds the one loop thread. Debug mode, which this program turns on, logs every callback or
 * task step that took longer than {@code slowCallbackDuration} when it returns ("Executing Task
 * 'report' created at ... took 0.8 seconds"); the watchdog reports while it is still blocked,
 * with the loop thread's stack pointing at the blocking call. The fix: {@code Async.sleep} for a
 * pause, {@code Async.toThread} for what can only block. {@code --scale F} multiplies the
 * blocking call and both thresholds.
 */
public final class Blocking {
    /** How long the blocking call takes, at scale 1. */
    static final Duration BLOCK = Duration.ofMillis(800);
    /** The watchdog's threshold, shorter than its 1 s default so the demo is short. */
    static final Duration WATCHDOG = Duration.ofMillis(200);
    /** Debug mode's slow-callback threshold: its default, given here so that it scales too. */
    static final Duration SLOW = Duration.ofMillis(100);

    private Blocking() {
    }

    /** Debug mode with the two thresholds, scaled. */
    static EventLoop.Options debug(Scale scale) {
        return EventLoop.Options.defaults().debug(true)
                .slowCallbackDuration(scale.scaled(SLOW))
                .watchdog(scale.scaled(WATCHDOG));
    }

    /** A blocking call, as a synchronous library would make it. */
    static String slowQuery(Duration block) {
        try {
            Thread.sleep(block.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "42 rows";
    }

    /** The mistake: the blocking call made on the loop thread, inside a task. */
    static String mistake(Scale scale) {
        return EventLoop.run(debug(scale), () -> {
            EventLoop loop = EventLoop.current();
            return loop.createTask("report", () -> Async.completed(slowQuery(scale.scaled(BLOCK))));
        });
    }

    /** The fix: the pause as a timer, the blocking call on a worker thread. */
    static String fix(Scale scale) {
        Duration block = scale.scaled(BLOCK);
        return EventLoop.run(debug(scale), () -> {
            EventLoop loop = EventLoop.current();
            return loop.createTask("report", () -> Async.sleep(block)
                    .then(v -> Async.toThread(() -> slowQuery(block))));
        });
    }

    /** Runs the mistake, then the fix: {@code ./run pitfall-blocking [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-blocking");
        System.out.println("== mistake: Thread.sleep(" + scale.scaled(BLOCK).toMillis() + ") inside a task blocks the loop");
        System.out.println(mistake(scale));
        System.out.println("== fix: Async.sleep, and Async.toThread for the blocking call");
        System.out.println(fix(scale));
    }
}
