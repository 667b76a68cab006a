package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.examples.Scale;
import io.eventloop.sync.AsyncQueue;
import java.util.List;

/**
 * {@link HangingShutdown} in straight-line form: the ticker and the consumer are coroutine tasks
 * with a {@code while (true)} around an {@code await}, which is what makes them easy to forget;
 * {@code loop.close()} and {@code EventLoop.run} report and cancel them as they do any task
 * (a suspended body is resumed once with the cancellation, so its {@code finally} blocks run).
 * Python:
 * <pre>
 * async def main():
 *     asyncio.create_task(ticker())      # runs for ever, never cancelled
 *     asyncio.create_task(consumer(q))   # waits on q.get() for ever
 *     await do_the_work(q)               # returns; the two are still pending
 * </pre>
 */
public final class HangingShutdownAwait {
    private HangingShutdownAwait() {
    }

    /** Prints a tick every 30 s, for ever. */
    static Task<Void> ticker(Scale scale) {
        return async("ticker", () -> {
            while (true) {
                await(Async.sleep(scale.seconds(30)));
                System.out.println("tick");
            }
        });
    }

    /** Takes jobs from the queue, for ever. */
    static Task<Void> consumer(AsyncQueue<String> jobs) {
        return async("consumer", () -> {
            while (true) {
                System.out.println("consumed " + await(jobs.get()));
            }
        });
    }

    /** The work main is there for: two jobs into the queue, then done. */
    static Task<String> work(AsyncQueue<String> jobs, Scale scale) {
        return async("main", () -> {
            jobs.putNowait("job 1");
            jobs.putNowait("job 2");
            await(Async.sleep(scale.seconds(0.02)));
            return "work done";
        });
    }

    /** The mistake, with a loop of one's own: main returns, close() finds the two tasks pending. */
    static void mistakeClose(Scale scale) {
        EventLoop loop = new EventLoop(HangingShutdown.DEBUG);
        try {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            ticker(scale);
            consumer(jobs);
            System.out.println(loop.runUntilComplete(work(jobs, scale)));
        } finally {
            loop.close();
        }
    }

    /** The same mistake under EventLoop.run: it cancels them, and in debug mode says which. */
    static void mistakeRun(Scale scale) {
        System.out.println(EventLoop.<String>run(HangingShutdown.DEBUG, () -> async(() -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            ticker(scale);
            consumer(jobs);
            return await(work(jobs, scale));
        })));
    }

    /** Fix one: keep the tasks, cancel them when the work is done, and wait until they are. */
    static void fixCancel(Scale scale) {
        System.out.println(EventLoop.<String>run(HangingShutdown.DEBUG, () -> async(() -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            Task<Void> ticker = ticker(scale);
            Task<Void> consumer = consumer(jobs);
            String result = await(work(jobs, scale));
            ticker.cancel();
            consumer.cancel();
            await(Async.gatherSettled(List.of(ticker, consumer)));
            return result;
        })));
    }

    /** Fix two: a TaskGroup, which cannot end before its children do. */
    static void fixTaskGroup(Scale scale) {
        System.out.println(EventLoop.<String>run(HangingShutdown.DEBUG, () -> TaskGroup.run(group -> async(() -> {
            AsyncQueue<String> jobs = new AsyncQueue<>();
            Task<Void> ticker = group.spawn("ticker", () -> ticker(scale));
            Task<Void> consumer = group.spawn("consumer", () -> consumer(jobs));
            String result = await(work(jobs, scale));
            ticker.cancel(); // a cancelled child is not a failure: the group ends with result
            consumer.cancel();
            return result;
        }))));
    }

    /** Runs the two mistakes, then the two fixes: {@code ./run pitfall-hanging-shutdown --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-hanging-shutdown --await");
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
