package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.examples.Scale;
import io.eventloop.sync.AsyncQueue;
import java.util.List;

/**
 * Pitfall: tasks left pending at shutdown. Python:
 * <pre>
 * async def main():
 *     asyncio.create_task(ticker())      # runs for ever, never cancelled
 *     asyncio.create_task(consumer(q))   # waits on q.get() for ever
 *     await do_the_work(q)               # returns; the two are still pending
 * </pre>
 *
 * <p>A forgotten background task does not stop a program here: {@code loop.close()} reports each
 * task still pending ("Task was destroyed but it is pending", asyncio's message), with its
 * name, where it was created (debug mode, which this program turns on) and what it waits on; and
 * {@code EventLoop.run}, which cancels what is left when main is done, as {@code asyncio.run}
 * does, says which in debug mode. The fix: cancel the background tasks and wait for them, or
 * start them in a {@link TaskGroup} so that they cannot outlive the work. {@code --scale F}
 * multiplies the waits.
 */
public final class HangingShutdown {
    static final EventLoop.Options DEBUG = EventLoop.Options.defaults().debug(true);

    private HangingShutdown() {
    }

    /** Prints a tick every 30 s, for ever. */
    static Future<Void> ticker(Scale scale) {
        return Async.repeat(() -> Async.sleep(scale.seconds(30)).map(v -> {
            System.out.println("tick");
            return true;
        }));
    }

    /** Takes jobs from the queue, for ever. */
    static Future<Void> consumer(AsyncQueue<String> jobs) {
        return Async.repeat(() -> jobs.get().map(job -> {
            System.out.println("consumed " + job);
            return true;
        }));
    }

    /** The work main is there for: two jobs into the queue, then done. */
    static Future<String> work(AsyncQueue<String> jobs, Scale scale) {
        jobs.putNowait("job 1");
        jobs.putNowait("job 2");
        return Async.sleep(scale.seconds(0.02)).map(v -> "work done");
    }

    /** The mistake, with a loop of one's own: main returns, close() finds the two tasks pending. */
    static void mistakeClose(Scale scale) {
        EventLoop loop = new EventLoop(DEBUG);
        try {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            loop.createTask("ticker", () -> ticker(scale));
            loop.createTask("consumer", () -> consumer(jobs));
            System.out.println(loop.runUntilComplete(loop.createTask("main", () -> work(jobs, scale))));
        } finally {
            loop.close();
        }
    }

    /** The same mistake under EventLoop.run: it cancels them, and in debug mode says which. */
    static void mistakeRun(Scale scale) {
        System.out.println(EventLoop.<String>run(DEBUG, () -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            EventLoop loop = EventLoop.current();
            loop.createTask("ticker", () -> ticker(scale));
            loop.createTask("consumer", () -> consumer(jobs));
            return work(jobs, scale);
        }));
    }

    /** Fix one: keep the tasks, cancel them when the work is done, and wait until they are. */
    static void fixCancel(Scale scale) {
        System.out.println(EventLoop.<String>run(DEBUG, () -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            EventLoop loop = EventLoop.current();
            Task<Void> ticker = loop.createTask("ticker", () -> ticker(scale));
            Task<Void> consumer = loop.createTask("consumer", () -> consumer(jobs));
            return work(jobs, scale).then(result -> {
                ticker.cancel();
                consumer.cancel();
                return Async.gatherSettled(List.of(ticker, consumer)).map(settled -> result);
            });
        }));
    }

    /**
     * Fix two: a TaskGroup. The group's future completes only when every child is done, so
     * nothing it started can outlive it; and if the work fails, the group cancels the children.
     */
    static void fixTaskGroup(Scale scale) {
        System.out.println(EventLoop.<String>run(DEBUG, () -> TaskGroup.run(group -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            Task<Void> ticker = group.spawn("ticker", () -> ticker(scale));
            Task<Void> consumer = group.spawn("consumer", () -> consumer(jobs));
            return work(jobs, scale).map(result -> {
                ticker.cancel(); // a cancelled child is not a failure: the group ends with result
                consumer.cancel();
                return result;
            });
        })));
    }

    /** Runs the two mistakes, then the two fixes: {@code ./run pitfall-hanging-shutdown [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-hanging-shutdown");
        System.out.println("== mistake: a ticker and a consumer nobody stops; the loop is closed after main");
        mistakeClose(scale);
        System.out.println("== mistake: the same under EventLoop.run, which cancels them");
        mistakeRun(scale);
        System.out.println("== fix: cancel the background tasks and wait for them");
        fixCancel(scale);
        System.out.println("== fix: start them in a TaskGroup, which cannot end before they do; cancel them when the work is done");
        fixTaskGroup(scale);
    }
}
