package io.eventloop.await;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The body of one {@link Await#async} task: a one-shot delimited continuation, driven by its task
 * as a {@link Task.Stepper}.
 * <pre>
 *   task step ── step(value, failure) ──&gt; continuation.run() ── body runs ──&gt; await(f) not done:
 *        ^                                                                    awaiting = f; yield
 *        └──────── f done: the task's next step ─────── step returns f &lt;────────────┘
 * </pre>
 * A step resumes the body where its last {@code await} yielded, with the outcome of what it
 * awaited; the body runs on the loop thread's own stack until its next {@code await} of a pending
 * future, which yields the continuation (its frames are copied off the stack) and so returns from
 * {@code run()} into the step, which hands the future to the task to wait on. Everything a task
 * does with what it waits on (cancel it, report it, retract its value) it does with that future.
 *
 * <p>Loop thread only, like the task that drives it.
 */
final class Coroutine<T> implements Task.Stepper<T> {
    /** The one scope of every coroutine's continuation: {@link #current(Future)} finds the innermost. */
    private static final ContinuationScope SCOPE = new ContinuationScope("eventloop-await");

    private final EventLoop loop;
    private final Body body;
    /** The task driving this body; set right after it is created, before its first step. */
    private Task<T> task;
    /** What the body awaits, from its yield until the step hands it to the task. */
    private Future<?> awaiting;
    /** The outcome of what it awaited, from the step until the resumed await takes it. */
    private Object resumeValue;
    private Throwable resumeFailure;
    /** The body's outcome, once its continuation is done. */
    private T value;
    private Throwable thrown;
    /** Set when the loop closed with the body suspended: every await then throws at once. */
    private boolean abandoned;

    private Coroutine(EventLoop loop, Callable<T> callable) {
        this.loop = loop;
        this.body = new Body(this, () -> {
            try {
                value = callable.call();
            } catch (Throwable t) {
                thrown = t;
            }
        });
    }

    /** A new task on {@code loop} whose body is {@code callable}, run as a coroutine. */
    static <T> Task<T> start(EventLoop loop, String name, Callable<T> callable) {
        Coroutine<T> c = new Coroutine<>(loop, callable);
        c.task = loop.createSteppedTask(name, c);
        return c.task;
    }

    /** The continuation, and the coroutine it belongs to; onPinned says what to do instead. */
    private static final class Body extends Continuation {
        final Coroutine<?> coroutine;

        Body(Coroutine<?> coroutine, Runnable target) {
            super(SCOPE, target);
            this.coroutine = coroutine;
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            String where = switch (reason) {
                // JDK 21-23. JDK 24+ (JEP 491) suspends a continuation that holds a monitor instead, for
                // this one too; Continuation.isPinned cannot tell (it counts its own native frame), so
                // there only debug mode refuses a held monitor (Monitors, before the yield).
                case MONITOR -> "inside a synchronized block or method (a held monitor pins the stack on this JDK):"
                        + " move the await out of it, and guard loop state with an AsyncLock if it needs one";
                case NATIVE -> "under a native frame (a class initializer, or code called back from native code):"
                        + " move the await out of it";
                default -> "(" + reason + "): move the await out of it";
            };
            throw coroutine.pinned(where);
        }
    }

    /** The failure of an await where the body cannot be suspended, saying where that is. */
    private IllegalStateException pinned(String where) {
        return new IllegalStateException("await() in " + task + " cannot suspend here, " + where
                + "; or wait with then(...) instead");
    }

    /**
     * The coroutine whose body is running on this thread, or an exception saying why there is none
     * that can await {@code f}.
     */
    static Coroutine<?> current(Future<?> f) {
        Continuation c = Continuation.getCurrentContinuation(SCOPE);
        if (c instanceof Body b) {
            Coroutine<?> co = b.coroutine;
            if (f.loop() != co.loop) {
                throw new IllegalStateException("await(" + f + ") in " + co.task + ": the future belongs to another"
                        + " event loop; pass it over with toCompletableFuture() and Future.from(...)");
            }
            return co;
        }
        if (!f.loop().inLoopThread()) {
            throw new IllegalStateException("await(" + f + ") on thread " + Thread.currentThread().getName()
                    + ", which is not the loop thread of its future: await works only in the body of"
                    + " Await.async(...), on the loop; from another thread use toCompletableFuture().get()");
        }
        throw new IllegalStateException("await(" + f + ") outside a coroutine: only the body of Await.async(...)"
                + " can await (not a callback such as then, map or onDone, nor code outside a task);"
                + " start the code with Await.async(() -> ...), or wait with f.then(...) instead");
    }

    /** Suspends the body until {@code f} (pending) is done, and gives its outcome. */
    @SuppressWarnings("unchecked")
    <V> V suspend(Future<V> f) {
        if (abandoned) {
            throw new CancellationException("the event loop closed while " + task + " was waiting");
        }
        if (loop.isDebug()) {
            String monitor = Monitors.heldInBody();
            if (monitor != null) {
                throw pinned("inside a synchronized block or method (debug mode found " + monitor + " held): this"
                        + " JDK would suspend the body with the monitor, and other code of the loop thread that"
                        + " then synchronizes on it would block the loop for good; move the await out of it, and"
                        + " guard loop state with an AsyncLock if it needs one");
            }
        }
        awaiting = f;
        try {
            Continuation.yield(SCOPE); // onPinned throws instead of returning false
        } finally {
            awaiting = null;
        }
        Object v = resumeValue;
        Throwable x = resumeFailure;
        resumeValue = null;
        resumeFailure = null;
        if (x != null) {
            throw Await.sneaky(x);
        }
        return (V) v;
    }

    @Override
    public Future<?> step(Object value, Throwable failure) throws Exception {
        resumeValue = value;
        resumeFailure = failure;
        body.run();
        if (!body.isDone()) {
            return awaiting;
        }
        Throwable t = thrown;
        thrown = null;
        if (t == null) {
            return null;
        }
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UndeclaredThrowableException(t);
    }

    @Override
    public T value() {
        return value;
    }

    /**
     * The loop closed with the body suspended: resume it once with a cancellation, so its
     * {@code finally} blocks run; an await in them throws at once instead of suspending. A
     * failure other than the cancellation is reported by the loop.
     */
    @Override
    public void abandoned() throws Exception {
        if (body.isDone()) {
            return;
        }
        abandoned = true;
        try {
            step(null, new CancellationException("the event loop closed while " + task + " was waiting"));
        } catch (CancellationException expected) {
            // the usual end of a cancelled body
        }
    }
}
