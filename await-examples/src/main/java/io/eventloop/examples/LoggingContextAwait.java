package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.TaskGroup;

/**
 * {@link LoggingContext} in straight-line form: each request a coroutine task that sets its id in
 * {@link LoggingContext#REQUEST_ID} and then logs across its {@code await}s, the
 * {@code toThread} call and the audit task it starts; the id follows, because a coroutine task is
 * a task and its {@code TaskLocal}s are the task's. Python:
 * <pre>
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
 * The lines are printed by {@link LoggingContext#log}, which reads the id from the MDC of the
 * printing thread (see {@link LoggingContext} for why the program prints them itself).
 */
public final class LoggingContextAwait {
    /** The simulated requests: method and path, its id, and how long authorising it takes (seconds). */
    private static final String[][] REQUESTS = {
        {"GET /users/7", "a3f1", "0.3"},
        {"POST /orders", "7c02", "0.1"},
        {"GET /health", "e9b4", "0.2"},
    };

    private LoggingContextAwait() {
    }

    /** One request, run as a task of its own: its id is set first, and everything after sees it. */
    static Task<Void> handle(String request, String id, double authoriseSeconds, Scale scale) {
        return async("request " + id, () -> {
            LoggingContext.REQUEST_ID.set(id);
            LoggingContext.log(request + " received");
            await(Async.sleep(scale.seconds(authoriseSeconds)));
            LoggingContext.log(request + " authorised");
            int row = await(Async.toThread(() -> {
                LoggingContext.log(request + " loading from the database (blocking, on a worker thread)");
                scale.blockingSleep(0.05);
                return request.length();
            }));
            async("audit " + id, () -> {
                await(Async.sleep(scale.seconds(0.05)));
                LoggingContext.log(request + " audited (a task the request started)");
                return null;
            });
            LoggingContext.log(request + " answered with row " + row);
            return null;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            LoggingContext.bridgeToMdc();
            LoggingContext.log("serving " + REQUESTS.length + " requests");
            await(TaskGroup.run(group -> {
                for (String[] r : REQUESTS) {
                    group.spawn("request " + r[1], () -> handle(r[0], r[1], Double.parseDouble(r[2]), scale));
                }
                return Async.completed(null);
            }));
            await(Async.sleep(scale.seconds(0.1))); // the audits finish meanwhile
            LoggingContext.log("all " + REQUESTS.length + " requests answered");
            return null;
        });
    }

    /** Runs the program: {@code ./run logging-context --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "logging-context --await [--scale F]");
        try {
            EventLoop.run(() -> main(scale));
        } finally {
            LoggingContext.REQUEST_ID.mirrorTo(null);
        }
    }
}
