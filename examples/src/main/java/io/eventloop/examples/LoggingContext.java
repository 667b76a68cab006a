package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TaskGroup;
import io.eventloop.TaskLocal;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * Logging across tasks ("Speed up your Python scripts", "Best Practices": logging "can record
 * events as they happen across tasks"): each request's id on every line the request logs, across
 * its awaits, in a task it starts, and on the executor thread of a {@code toThread} call. In
 * asyncio, a {@code contextvars.ContextVar} and a logging filter:
 * <pre>
 * request_id = contextvars.ContextVar("request_id", default="-")
 *
 * class RequestIdFilter(logging.Filter):          # what %(request_id)s in the format reads
 *     def filter(self, record):
 *         record.request_id = request_id.get()
 *         return True
 *
 * async def handle(method, path, rid):
 *     request_id.set(rid)                           # this task, and the tasks it creates
 *     log.info("%s %s received", method, path)
 *     user = await authorise(path)
 *     row = await asyncio.to_thread(load, user)     # to_thread copies the context
 *     asyncio.create_task(audit(path))              # so does create_task
 *     log.info("%s %s answered", method, path)
 *
 * async def main():
 *     async with asyncio.TaskGroup() as tg:
 *         for method, path, rid in REQUESTS:
 *             tg.create_task(handle(method, path, rid))
 * </pre>
 * In Java the id goes into a {@link TaskLocal}, and {@link TaskLocal#mirrorTo} is the filter: it
 * copies the id into SLF4J's MDC whenever a thread starts running code of another request (a
 * task step, a continuation, executor work), so a logback pattern such as
 * {@code [%thread] %X{requestId} %msg%n} prints it on every line, the library's own lines
 * included, with nothing to pass around.
 *
 * <p>The examples log through slf4j-simple, whose MDC is a no-op ({@code NOPMDCAdapter}: it keeps
 * nothing). So that the program shows what a real backend would print, it writes to a
 * {@link BasicMDCAdapter} (the MDC implementation SLF4J ships for backends) when the bound one
 * keeps nothing, and prints its lines itself, each with the id read from that MDC on the thread
 * that prints it. With logback on the class path, {@link #MDC_STORE} is the real MDC and
 * {@link #log} would be an ordinary {@code log.info}.
 *
 * <p>The three requests interleave (their waits differ), each line names its request by method
 * and path, and the id in its first column always matches it; the lines of {@code main} outside
 * any request have none ("-"). {@code --scale F} multiplies the waits.
 */
public final class LoggingContext {
    /** The request id: set by each request's task, seen by everything the request does. */
    static final TaskLocal<String> REQUEST_ID = new TaskLocal<>("requestId");
    /** The MDC key a log pattern reads: {@code %X{requestId}}. */
    static final String MDC_KEY = "requestId";
    /** SLF4J's MDC, or a stand-in when the bound backend keeps none (slf4j-simple; see the class comment). */
    static final MDCAdapter MDC_STORE = MDC.getMDCAdapter() instanceof NOPMDCAdapter ? new BasicMDCAdapter() : MDC.getMDCAdapter();

    /** The simulated requests: method and path, its id, and how long authorising it takes (seconds). */
    private static final String[][] REQUESTS = {
        {"GET /users/7", "a3f1", "0.3"},
        {"POST /orders", "7c02", "0.1"},
        {"GET /health", "e9b4", "0.2"},
    };

    private LoggingContext() {
    }

    /** The bridge, once per process: the MDC follows {@link #REQUEST_ID} on every thread. */
    static void bridgeToMdc() {
        REQUEST_ID.mirrorTo(id -> {
            if (id == null) {
                MDC_STORE.remove(MDC_KEY);
            } else {
                MDC_STORE.put(MDC_KEY, id);
            }
        });
    }

    /**
     * One log line, laid out as the pattern {@code %X{requestId} [%thread] %msg} would lay it out:
     * the id is whatever the MDC of the printing thread holds now, not an argument.
     */
    static void log(String message) {
        String id = MDC_STORE.get(MDC_KEY);
        System.out.printf("%-5s %-24s %s%n", id == null ? "-" : id, "[" + Thread.currentThread().getName() + "]", message);
    }

    /** One request, run as a task of its own: its id is set first, and everything after sees it. */
    static Future<Void> handle(String request, String id, double authoriseSeconds, Scale scale) {
        REQUEST_ID.set(id);
        log(request + " received");
        return Async.sleep(scale.seconds(authoriseSeconds)).then(v -> {
            log(request + " authorised");
            return Async.toThread(() -> {
                log(request + " loading from the database (blocking, on a worker thread)");
                scale.blockingSleep(0.05);
                return request.length();
            });
        }).map(row -> {
            EventLoop.current().createTask("audit " + id, () -> Async.sleep(scale.seconds(0.05)).map(v -> {
                log(request + " audited (a task the request started)");
                return null;
            }));
            log(request + " answered with row " + row);
            return null;
        });
    }

    static Future<Void> main(Scale scale) {
        bridgeToMdc();
        log("serving " + REQUESTS.length + " requests");
        return TaskGroup.run(group -> {
            for (String[] r : REQUESTS) {
                group.spawn("request " + r[1], () -> handle(r[0], r[1], Double.parseDouble(r[2]), scale));
            }
            return Async.completed(null);
        }).then(v -> Async.sleep(scale.seconds(0.1))).map(v -> { // the audits finish meanwhile
            log("all " + REQUESTS.length + " requests answered");
            return null;
        });
    }

    /** Runs the program: {@code ./run logging-context [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "logging-context [--scale F]");
        try {
            EventLoop.run(() -> main(scale));
        } finally {
            REQUEST_ID.mirrorTo(null);
        }
    }
}
