package io.eventloop.examples.pitfalls;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.examples.Scale;
import io.eventloop.net.Connection;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.sync.AsyncSemaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Unbounded} in straight-line form: the 2,000 requests are coroutine tasks, and the fix is
 * {@code async with sem:} as an {@code await} of the permit and a {@code try/finally} that
 * releases it. The rate-limited server is the callback form's ({@link Unbounded#server}): a
 * {@code Protocol}, callbacks by nature. Python:
 * <pre>
 * await asyncio.gather(*(fetch(i) for i in range(2000)))        # 2,000 connections at once
 *
 * sem = asyncio.Semaphore(10)
 * async def bounded(i):
 *     async with sem:
 *         return await fetch(i)
 * await asyncio.gather(*(bounded(i) for i in range(2000)))      # at most 10 at a time
 * </pre>
 */
public final class UnboundedAwait {
    private UnboundedAwait() {
    }

    /** One request: connect, read the answer line, close. */
    static Task<String> fetch(EventLoop loop, int port) {
        return async(() -> {
            Connection c = await(loop.openConnection("127.0.0.1", port));
            try {
                return await(c.reader().readLine());
            } finally {
                c.writer().close();
            }
        });
    }

    /** {@code async with sem: return await fetch(i)}. */
    static Task<String> bounded(AsyncSemaphore semaphore, EventLoop loop, int port) {
        return async(() -> {
            await(semaphore.acquire());
            try {
                return await(fetch(loop, port));
            } finally {
                semaphore.release();
            }
        });
    }

    /** Runs the 2,000 requests, each as a task, against a fresh server; under the semaphore if {@code bounded}. */
    static Unbounded.Outcome run(boolean bounded, Scale scale) {
        return EventLoop.run(() -> async(() -> {
            EventLoop loop = EventLoop.current();
            Unbounded.Counters counters = new Unbounded.Counters();
            AsyncSemaphore semaphore = new AsyncSemaphore(Unbounded.LIMIT);
            // a listen backlog of REQUESTS, for the reason the callback form gives
            Server srv = await(Net.createServer(loop, Unbounded.server(loop, counters,
                    scale.scaled(Duration.ofMillis(Unbounded.WORK_MILLIS))), "127.0.0.1", 0, Unbounded.REQUESTS));
            List<String> answers;
            try {
                List<Future<String>> requests = new ArrayList<>();
                for (int i = 0; i < Unbounded.REQUESTS; i++) {
                    requests.add(bounded ? bounded(semaphore, loop, srv.port()) : fetch(loop, srv.port()));
                }
                answers = await(Async.gather(requests));
            } finally {
                srv.close();
                await(srv.waitClosed());
            }
            int served = (int) answers.stream().filter("ok"::equals).count();
            int busy = (int) answers.stream().filter("busy"::equals).count();
            return new Unbounded.Outcome(served, busy, counters.peakActive, counters.atPeak);
        }));
    }

    /**
     * Runs the requests unbounded, then bounded, printing what each run saw:
     * {@code ./run pitfall-unbounded --await [--scale F]}.
     */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-unbounded --await");
        System.out.println("== mistake: " + Unbounded.REQUESTS + " requests at once against a server that serves "
                + Unbounded.CAPACITY + " at a time");
        Unbounded.print(run(false, scale));
        System.out.println("== fix: the same requests under an AsyncSemaphore(" + Unbounded.LIMIT + ")");
        Unbounded.print(run(true, scale));
    }
}
