package io.eventloop.await;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * Straight-line {@code await} on the loop thread: a task whose body is ordinary sequential code.
 * <pre>{@code
 * import static io.eventloop.await.Await.*;
 *
 * Task<Void> handler = async(() -> {
 *     try {
 *         String line;
 *         while ((line = await(reader.readLine())) != null) {
 *             writer.write(line + "\n");
 *             await(writer.drain());
 *         }
 *     } finally {
 *         writer.close();
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>{@link #async} makes a real {@link Task} on the current loop; {@link #await} suspends its body
 * until a future is done while the loop thread goes on running everything else, then resumes the
 * body on the loop thread with the future's value, or throws its failure. The body is a one-shot
 * delimited continuation ({@code jdk.internal.vm.Continuation}, what virtual threads are made of):
 * no other thread, no lock, and between two {@code await}s nothing else on the loop runs, exactly
 * as between two {@code await}s of an asyncio coroutine.
 *
 * <p>Everything a task does, a coroutine task does, because it is one: cancelling it cancels the
 * future its body awaits, and the cancellation comes out of that {@code await} as a
 * {@link CancellationException}, so {@code try/finally} cleans up (a body that catches it and goes
 * on wins, as in asyncio); {@code cancelling()} / {@code uncancel()}, {@code Async.timeout} and
 * {@code Async.waitFor}, {@code TaskGroup}, {@code Async.shield}, deadlines and
 * {@code TaskLocal}s, {@code EventLoop.currentTask()}, the pending-task report, the call graph and
 * debug mode (creation site, slow steps, the watchdog) see it like any task, with what its body
 * awaits. Closing the loop with a body still suspended resumes it once with a cancellation so its
 * {@code finally} blocks run ({@link Task.Stepper#abandoned()}).
 *
 * <p>Requirements: JDK 21 or newer, started with
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}; without it, or on a VM port
 * without continuations, {@link #async} throws {@link UnsupportedOperationException} saying so.
 * {@code jdk.internal.vm.Continuation} is not a supported API: a JDK release may change it (this
 * module is tested on JDK 21 and 25).
 *
 * <p>Compared with asyncio: {@code async(() -> ...)} is {@code asyncio.create_task(coro())} and
 * {@code await(f)} is {@code await f}. The body starts on the next iteration, like a task, not
 * when awaited. Compared with {@code CompletableFuture.join()} or a virtual thread: nothing
 * blocks a thread, and the body never leaves the loop thread.
 */
public final class Await {
    private Await() {
    }

    /**
     * {@link #async(String, Callable)} with the default name "Task-N".
     *
     * @param <T> the type of the body's value
     * @param body sequential code that may call {@link #await}
     * @return the task, already scheduled on the current loop
     * @throws IllegalStateException if no loop runs on this thread, or it is closed
     * @throws UnsupportedOperationException if this JVM cannot run coroutines (the message says
     *         which flag to add)
     */
    public static <T> Task<T> async(Callable<T> body) {
        return async(null, body);
    }

    /**
     * A task on the current loop ({@link EventLoop#current()}) whose body is {@code body}, run as a
     * coroutine: asyncio's {@code create_task(coro(), name=name)}. The body starts on the next
     * iteration; its return value is the task's value, what it throws (checked or not) the task's
     * failure, a {@link CancellationException} the task's cancellation.
     *
     * @param <T> the type of the body's value
     * @param name the task's name, or null for "Task-N"
     * @param body sequential code that may call {@link #await}
     * @return the task, already scheduled on the current loop
     * @throws IllegalStateException if no loop runs on this thread, or it is closed
     * @throws UnsupportedOperationException if this JVM cannot run coroutines (the message says
     *         which flag to add)
     */
    public static <T> Task<T> async(String name, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        Support.check();
        return Coroutine.start(EventLoop.current(), name, body);
    }

    /**
     * Waits for {@code f} inside the body of an {@link #async} task: asyncio's {@code await f}.
     * If {@code f} is already done, its outcome comes back at once without suspending, as asyncio's
     * {@code await} of a done future does not suspend (so a loop whose every await is already done
     * never lets the loop run: {@code await(Async.yieldNow())} does). Otherwise the body is
     * suspended, the loop thread goes on, and the body resumes on a later iteration once {@code f}
     * is done.
     *
     * <p>The failure of {@code f} is thrown as it is, the same instance, checked or not (so a
     * {@code catch (IOException e)} around an {@code await} alone does not compile: catch
     * {@code Exception} and test its type, or let it fail the task). A cancellation, of {@code f}
     * or of the task while it waits, comes out as {@link CancellationException}.
     *
     * @param <T> the type of the future's value
     * @param f the future to wait for; on the same loop
     * @return its value
     * @throws CancellationException if {@code f} or the task was cancelled
     * @throws IllegalStateException if called outside the body of an {@link #async} task (from a
     *         callback, off the loop thread), for a future of another loop, or where the body cannot
     *         be suspended: inside {@code synchronized} (on JDK 24 and later, where the JVM would
     *         suspend the body with the monitor held, only in debug mode:
     *         {@link io.eventloop.EventLoop#isDebug()}), or under a native frame such as a class
     *         initializer (the message says where)
     * @throws UnsupportedOperationException if this JVM cannot run coroutines (the message says
     *         which flag to add)
     */
    public static <T> T await(Future<T> f) {
        Objects.requireNonNull(f, "f");
        Support.check();
        Coroutine<?> c = Coroutine.current(f);
        if (f.isDone()) {
            Throwable t = f.exception(); // throws the CancellationException of a cancelled future
            if (t != null) {
                throw sneaky(t);
            }
            return f.result();
        }
        return c.suspend(f);
    }

    /** Throws {@code t} as it is, checked or not; the declared return lets callers write {@code throw sneaky(t)}. */
    static RuntimeException sneaky(Throwable t) {
        throw Await.<RuntimeException>uncheckedThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X uncheckedThrow(Throwable t) throws X {
        throw (X) t;
    }
}
