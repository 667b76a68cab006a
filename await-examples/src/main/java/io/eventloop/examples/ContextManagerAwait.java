package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.EventLoop;
import io.eventloop.Task;
import java.util.List;

/**
 * {@link ContextManager} in straight-line form: {@code async with} is an {@code await} of the
 * opening, then {@code try/finally} with an {@code await} of the closing. Python:
 * <pre>
 * async def main():
 *     async with AsyncResource() as resource:
 *         await resource.use()
 * </pre>
 */
public final class ContextManagerAwait {
    private ContextManagerAwait() {
    }

    static Task<Void> resource(Scale scale) {
        return async(() -> {
            ContextManager.AsyncResource resource = await(ContextManager.AsyncResource.open(scale));
            try {
                await(resource.use());
            } finally {
                await(resource.closeAsync());
            }
            return null;
        });
    }

    static Task<Void> database(Scale scale) {
        return async(() -> {
            ContextManager.AsyncDatabase db = await(ContextManager.AsyncDatabase.connect(scale));
            List<String> users;
            try {
                users = await(db.query("SELECT * FROM users"));
            } finally {
                await(db.closeAsync());
            }
            System.out.println("users: " + users);
            try {
                ContextManager.AsyncDatabase other = await(ContextManager.AsyncDatabase.connect(scale));
                try {
                    await(other.query("SELECT * FROM nowhere"));
                } finally {
                    await(other.closeAsync());
                }
            } catch (IllegalArgumentException e) {
                System.out.println("failed after the release: " + e.getMessage());
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run context-manager --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "context-manager --await");
        EventLoop.run(() -> resource(scale));
        EventLoop.run(() -> database(scale));
    }
}
