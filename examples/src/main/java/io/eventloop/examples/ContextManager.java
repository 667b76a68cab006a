package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.List;

/**
 * Asynchronous context managers (the "Speed up your Python scripts" tutorial's {@code AsyncResource} and the "asyncio fundamentals" tutorial's
 * {@code AsyncDatabase}). Python ("Speed up your Python scripts"):
 * <pre>
 * class AsyncResource:
 *     async def __aenter__(self):
 *         print("Asynchronously acquiring resource...")
 *         await asyncio.sleep(1)
 *         return self
 *     async def __aexit__(self, exc_type, exc_val, exc_tb):
 *         print("Asynchronously releasing resource...")
 *         await asyncio.sleep(1)
 *     async def use(self):
 *         print("Using the resource.")
 *
 * async def main():
 *     async with AsyncResource() as resource:
 *         await resource.use()
 * </pre>
 * and "asyncio fundamentals":
 * <pre>
 * class AsyncDatabase:
 *     async def __aenter__(self):
 *         await self.connect()
 *         return self
 *     async def __aexit__(self, exc_type, exc, tb):
 *         await self.disconnect()
 *
 * async def main():
 *     async with AsyncDatabase() as db:
 *         await db.query("SELECT * FROM users")
 * </pre>
 * {@code __aenter__} becomes a method returning {@code Future<R>} (here {@code open()} and
 * {@code connect()}), {@code __aexit__} is {@link AsyncCloseable#closeAsync}, and
 * {@code async with} is {@link Async#using(Future, io.eventloop.ThrowingFunction)}.
 * The database is a stand-in that prints what it does. Its second use runs a query that fails:
 * the connection is still released before the failure reaches the caller, as {@code __aexit__}
 * runs on an exception. {@code --scale F} multiplies the waits.
 */
public final class ContextManager {
    private ContextManager() {
    }

    /** The "Speed up your Python scripts" tutorial's resource: one second to acquire, one to release. */
    static final class AsyncResource implements AsyncCloseable {
        private final Scale scale;

        private AsyncResource(Scale scale) {
            this.scale = scale;
        }

        /** {@code __aenter__}. */
        static Future<AsyncResource> open(Scale scale) {
            System.out.println("Asynchronously acquiring resource...");
            return Async.sleep(scale.seconds(1), new AsyncResource(scale));
        }

        /** {@code __aexit__}. */
        @Override
        public Future<Void> closeAsync() {
            System.out.println("Asynchronously releasing resource...");
            return Async.sleep(scale.seconds(1));
        }

        Future<Void> use() {
            System.out.println("Using the resource.");
            return Async.completed(null);
        }
    }

    /** The "asyncio fundamentals" tutorial's database, simulated: it knows one table. */
    static final class AsyncDatabase implements AsyncCloseable {
        private final Scale scale;

        private AsyncDatabase(Scale scale) {
            this.scale = scale;
        }

        static Future<AsyncDatabase> connect(Scale scale) {
            System.out.println("connecting");
            return Async.sleep(scale.seconds(0.1), new AsyncDatabase(scale));
        }

        Future<List<String>> query(String sql) {
            System.out.println("query: " + sql);
            return Async.sleep(scale.seconds(0.1)).map(v -> {
                if (!sql.endsWith("FROM users")) {
                    throw new IllegalArgumentException("no such table in: " + sql);
                }
                return List.of("alice", "bob");
            });
        }

        @Override
        public Future<Void> closeAsync() {
            System.out.println("disconnecting");
            return Async.sleep(scale.seconds(0.1));
        }
    }

    static Future<Void> resource(Scale scale) {
        return Async.using(AsyncResource.open(scale), resource -> resource.use());
    }

    static Future<Void> database(Scale scale) {
        return Async.using(AsyncDatabase.connect(scale), db -> db.query("SELECT * FROM users"))
                .then(users -> {
                    System.out.println("users: " + users);
                    return Async.using(AsyncDatabase.connect(scale),
                            db -> db.query("SELECT * FROM nowhere"));
                })
                .map(rows -> (Void) null)
                .recover(IllegalArgumentException.class, e -> {
                    System.out.println("failed after the release: " + e.getMessage());
                    return Async.completed(null);
                });
    }

    /** Runs the program: {@code ./run context-manager [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "context-manager");
        EventLoop.run(() -> resource(scale));
        EventLoop.run(() -> database(scale));
    }
}
