package io.eventloop.examples.pitfalls;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.LoopMetrics;
import io.eventloop.examples.Scale;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.Transport;
import io.eventloop.sync.AsyncSemaphore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Pitfall: unlimited concurrency. Python:
 * <pre>
 * await asyncio.gather(*(fetch(i) for i in range(2000)))        # 2,000 connections at once
 *
 * sem = asyncio.Semaphore(10)
 * async def bounded(i):
 *     async with sem:
 *         return await fetch(i)
 * await asyncio.gather(*(bounded(i) for i in range(2000)))      # at most 10 at a time
 * </pre>
 *
 * <p>Starting 2,000 requests at once is not an error the loop can see: each is a fine future.
 * What shows is the effect. The server here, on loopback, serves at most {@value #CAPACITY}
 * requests at a time and answers "busy" beyond that, as a rate-limited API answers 429; each
 * answer takes {@value #WORK_MILLIS} ms. Unbounded, most requests are turned away and
 * {@code loop.metrics()} shows thousands of channels registered at once; under an
 * {@code AsyncSemaphore(10)} every request is served and the loop never holds more than a few
 * dozen channels. (The 2,000 tasks are pending in both runs: the semaphore bounds the requests
 * in flight, not the tasks; a bounded {@code AsyncQueue} with ten worker tasks bounds both.)
 * {@code --scale F} multiplies the time an answer takes.
 */
public final class Unbounded {
    static final int REQUESTS = 2000;
    static final int CAPACITY = 50;
    static final int WORK_MILLIS = 5;
    static final int LIMIT = 10;

    private Unbounded() {
    }

    /** What one run saw. */
    record Outcome(int served, int busy, int peakAtServer, LoopMetrics atPeak) {
    }

    /** The server's side: how many requests it serves right now, and the most it has. */
    static final class Counters {
        int active;
        int peakActive;
        LoopMetrics atPeak;
    }

    /** The rate-limited server: "ok" after the work, or "busy" at once when full. */
    static Supplier<Protocol> server(EventLoop loop, Counters counters, Duration work) {
        return () -> new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                LoopMetrics m = loop.metrics();
                if (counters.atPeak == null || m.registeredChannels() > counters.atPeak.registeredChannels()) {
                    counters.atPeak = m;
                }
                if (counters.active >= CAPACITY) {
                    transport.write("busy\n".getBytes(StandardCharsets.US_ASCII));
                    transport.close();
                    return;
                }
                counters.active++;
                counters.peakActive = Math.max(counters.peakActive, counters.active);
                loop.callLater(work, () -> {
                    counters.active--;
                    transport.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                    transport.close();
                });
            }
        };
    }

    /** One request: connect, read the answer line, close. */
    static Future<String> fetch(EventLoop loop, int port) {
        return loop.openConnection("127.0.0.1", port).then(c -> c.reader().readLine()
                .ensure(c.writer()::close));
    }

    /** Runs the 2,000 requests, each as a task, against a fresh server; under the semaphore if {@code bounded}. */
    static Outcome run(boolean bounded, Scale scale) {
        return EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            Counters counters = new Counters();
            AsyncSemaphore semaphore = new AsyncSemaphore(LIMIT);
            // A listen backlog of REQUESTS: with the default 100, the kernel would drop the SYNs
            // beyond it and the clients would retry after a second, so the run would take seconds
            // and the refusals would be the kernel's, not the server's "busy".
            return Net.createServer(loop, server(loop, counters, scale.scaled(Duration.ofMillis(WORK_MILLIS))), "127.0.0.1", 0,
                    REQUESTS).then(srv -> {
                List<Future<String>> requests = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    requests.add(loop.createTask("request " + i, bounded
                            ? () -> semaphore.withPermit(() -> fetch(loop, srv.port()))
                            : () -> fetch(loop, srv.port())));
                }
                return Async.gather(requests).ensure(() -> closeServer(srv)).map(answers -> {
                    int served = (int) answers.stream().filter("ok"::equals).count();
                    int busy = (int) answers.stream().filter("busy"::equals).count();
                    return new Outcome(served, busy, counters.peakActive, counters.atPeak);
                });
            });
        });
    }

    private static Future<Void> closeServer(Server srv) {
        srv.close();
        return srv.waitClosed();
    }

    /** Prints what a run saw: answers, the most served at once, the metrics at the channel peak. */
    static void print(Outcome o) {
        System.out.printf("served %d, turned away busy %d; at most %d served at once%n",
                o.served(), o.busy(), o.peakAtServer());
        System.out.println("loop.metrics() when the most channels were registered: " + o.atPeak());
    }

    /**
     * Runs the requests unbounded, then bounded, printing what each run saw:
     * {@code ./run pitfall-unbounded [--scale F]}.
     */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "pitfall-unbounded");
        System.out.println("== mistake: " + REQUESTS + " requests at once against a server that serves "
                + CAPACITY + " at a time");
        print(run(false, scale));
        System.out.println("== fix: the same requests under an AsyncSemaphore(" + LIMIT + ")");
        print(run(true, scale));
    }
}
