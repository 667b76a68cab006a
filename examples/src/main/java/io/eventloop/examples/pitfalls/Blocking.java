package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
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
 * pause, {@code Async.toThread} for what can only block.
 */
public final class Blocking {
    /** How long the blocking call takes. */
    static final Duration BLOCK = Duration.ofMillis(800);
    /** Debug mode, with a watchdog threshold shorter than its 1 s default so the demo is short. */
    static final EventLoop.Options DEBUG = EventLoop.Options.defaults().debug(true)
            .watchdog(Duration.ofMillis(200));

    private Blocking() {
    }

    /** A blocking call, as a synchronous library would make it. */
    static String slowQuery() {
        try {
            Thread.sleep(BLOCK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "42 rows";
    }

    /** The mistake: the blocking call made on the loop thread, inside a task. */
    static String mistake() {
        return EventLoop.run(DEBUG, () -> {
            EventLoop loop = EventLoop.current();
            return loop.createTask("report", () -> Async.completed(slowQuery()));
        });
    }

    /** The fix: the pause as a timer, the blocking call on a worker thread. */
    static String fix() {
        return EventLoop.run(DEBUG, () -> {
            EventLoop loop = EventLoop.current();
            return loop.createTask("report", () -> Async.sleep(BLOCK)
                    .then(v -> Async.toThread(Blocking::slowQuery)));
        });
    }

    /** Runs the mistake, then the fix. */
    public static void main(String[] args) {
        System.out.println("== mistake: Thread.sleep(" + BLOCK.toMillis() + ") inside a task blocks the loop");
        System.out.println(mistake());
        System.out.println("== fix: Async.sleep, and Async.toThread for the blocking call");
        System.out.println(fix());
    }
}
