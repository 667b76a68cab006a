package io.eventloop;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The result of an operation that has not finished yet, bound to one {@link EventLoop}:
 * asyncio's {@code Future}, in continuation-passing style.
 *
 * <pre>
 *              complete(v)
 *   PENDING ──────────────&gt; SUCCEEDED
 *      │     fail(e)
 *      ├──────────────────&gt; FAILED
 *      │     cancel(msg)
 *      └──────────────────&gt; CANCELLED
 * </pre>
 * A future leaves {@code PENDING} once; {@link #complete}, {@link #fail} and {@link #cancel()}
 * on a done future return {@code false} and change nothing.
 *
 * <p><b>Continuations.</b> {@link #map}, {@link #then}, {@link #recover}, {@link #exceptionally}
 * and {@link #ensure} each return a new future that waits on this one: {@code then} is what
 * {@code await} is in asyncio, {@code recover} and {@code exceptionally} are {@code except},
 * {@code ensure} is {@code finally}. The functions of the first four may throw checked exceptions:
 * a throw fails the new future, as an exception raised after an {@code await} does. Every
 * continuation and every {@link #onDone} callback runs through the loop's ready queue on a later
 * iteration, never inline inside {@code complete}; so chains of any length never grow the stack,
 * and a callback always sees a consistent world.
 *
 * <p><b>Cancellation.</b> Cancelling a derived future cancels what it is waiting on right now,
 * which may itself be derived; so a cancel reaches the innermost sleep, read or lock wait, and
 * comes back out as a {@link CancellationException} through every continuation, which may catch it
 * with {@code recover(CancellationException.class, ...)} and go on, as in asyncio.
 *
 * <p><b>Threads.</b> A future belongs to its loop's thread: every mutating call from another
 * thread throws {@link IllegalStateException}. From other threads use
 * {@link EventLoop#callSoonThreadsafe} or {@link #toCompletableFuture()}; to wait on the loop for
 * a {@link CompletionStage} that other threads complete, {@link #from(CompletionStage)}.
 *
 * <p><b>Compared with {@code CompletableFuture}:</b> one thread, so no races and no
 * {@code *Async} variants; callbacks are always deferred to the loop (a {@code CompletableFuture}
 * runs them inline in whichever thread completes it); cancellation travels down the chain to the
 * operation being waited on (a {@code CompletableFuture} cancel only affects itself); and there
 * is no blocking {@code get()}: waiting is {@link #then}. The names map as {@code thenApply} →
 * {@link #map}, {@code thenCompose} → {@link #then}, {@code exceptionally} →
 * {@link #exceptionally}, {@code exceptionallyCompose} → {@link #recover}, {@code whenComplete} →
 * {@link #ensure(Runnable)} or {@link #onDone}; {@link #from(CompletionStage)} and
 * {@link #toCompletableFuture()} cross between the two.
 *
 * @param <T> the value type
 */
public class Future<T> {
    static final byte PENDING = 0;
    static final byte SUCCEEDED = 1;
    static final byte FAILED = 2;
    static final byte CANCELLED = 3;

    /** The loop this future belongs to. */
    final EventLoop loop;
    /** PENDING, SUCCEEDED, FAILED or CANCELLED. Loop thread only. */
    private byte state;
    /** Whether someone looked at the outcome (result(), exception(), a callback). Loop thread only. */
    private boolean retrieved;
    /** The value, the failure, or the {@link CancellationException}. Loop thread only. */
    private Object result;
    /** Done-callbacks: null, one Runnable, or an ArrayList of them (most futures have 0 or 1). */
    private Object listeners;
    /**
     * Where user code created this future (debug mode: tasks, continuations and
     * {@link EventLoop#createFuture()}), else null. The field fits in the object's alignment padding, so it costs no memory.
     */
    StackTraceElement site;

    /**
     * A pending future on {@code loop}. Applications create futures with
     * {@link EventLoop#createFuture()}; this constructor is for futures that hand something over
     * when they complete (the waiters of {@code io.eventloop.sync}) and override
     * {@link #retract()}.
     *
     * @param loop the loop the future belongs to; its callbacks run there
     */
    protected Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * A future on the current loop that ends the way {@code stage} does: asyncio's
     * {@code asyncio.wrap_future}, the way to wait on the loop for a {@link CompletableFuture} or
     * any other {@link CompletionStage} (an HTTP client's {@code sendAsync}, a driver's query)
     * that other threads complete. {@link #toCompletableFuture()} is the opposite direction.
     * <ul>
     *   <li>It takes the stage's value, its failure (unwrapped from the
     *       {@link CompletionException} a dependent stage reports), or its cancellation (a
     *       {@link CancellationException}, wrapped or not, makes it cancelled), always on the loop
     *       thread: a stage completed on another thread reaches the loop through
     *       {@link EventLoop#callSoonThreadsafe}, one iteration later; a stage already complete,
     *       or completed on the loop thread, is taken at once. A stage that completes after the
     *       loop closed is dropped.</li>
     *   <li>Cancelling the returned future cancels the stage, without interrupting:
     *       {@code cancel(false)} when the stage is a {@link java.util.concurrent.Future} (every
     *       {@code CompletableFuture} is), else {@code stage.toCompletableFuture().cancel(false)}.
     *       A stage that cannot be cancelled (that call throws
     *       {@link UnsupportedOperationException}, as for a {@code minimalCompletionStage()}, or
     *       {@code toCompletableFuture()} returns a copy) runs on, and its outcome is dropped; the
     *       returned future is cancelled either way. Cancelling a {@code CompletableFuture} stops
     *       no work by itself: it only completes it, so the work behind it must check.</li>
     * </ul>
     * Compared with asyncio's {@code wrap_future(f, loop=...)}: there is no loop argument; the
     * future belongs to the current loop, and this is called on its thread.
     *
     * @param <T> the type of the stage's value
     * @param stage the stage to follow, completed by any thread
     * @return a future on the current loop with the stage's outcome
     * @throws IllegalStateException when called from a thread that has no loop, or not on its
     *         loop's thread
     */
    public static <T> Future<T> from(CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        EventLoop loop = EventLoop.current();
        loop.checkThread("Future.from");
        return StageFuture.follow(loop, stage);
    }

    /**
     * The loop this future belongs to; asyncio's {@code get_loop()}.
     *
     * @return the loop whose thread completes this future and runs its callbacks
     */
    public final EventLoop loop() {
        return loop;
    }

    /**
     * Whether the future is no longer pending: it has a value, a failure, or was cancelled.
     *
     * @return true once the future has a value, a failure or was cancelled
     */
    public final boolean isDone() {
        return state != PENDING;
    }

    /**
     * Whether the future was cancelled. A future that failed with a CancellationException is not.
     *
     * @return true if a cancel ended it
     */
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * The value.
     *
     * @return the value the future completed with
     * @throws IllegalStateException if the future is still pending
     * @throws CancellationException if it was cancelled
     * @throws CompletionException wrapping the failure when that is a checked exception;
     *         an unchecked failure is thrown as it is (the same instance)
     */
    @SuppressWarnings("unchecked")
    public final T result() {
        switch (state) {
            case SUCCEEDED:
                return (T) result;
            case PENDING:
                throw new IllegalStateException("result() of a pending future: " + this
                        + "; wait for it with then(...) or onDone(...)");
            default:
                retrieved = true;
                Throwable t = (Throwable) result;
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new CompletionException(t);
        }
    }

    /**
     * The failure, or {@code null} if the future completed with a value.
     *
     * @return the failure, or null after a value
     * @throws IllegalStateException if the future is still pending
     * @throws CancellationException if it was cancelled
     */
    public final Throwable exception() {
        switch (state) {
            case SUCCEEDED:
                return null;
            case PENDING:
                throw new IllegalStateException("exception() of a pending future: " + this);
            case CANCELLED:
                retrieved = true;
                throw (CancellationException) result;
            default:
                retrieved = true;
                return (Throwable) result;
        }
    }

    /**
     * Completes the future with {@code value} and schedules its callbacks.
     *
     * @param value the future's value; may be null
     * @return {@code false}, changing nothing, if the future was already done
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public boolean complete(T value) {
        loop.checkThread("Future.complete");
        return finish(SUCCEEDED, value);
    }

    /**
     * Fails the future with {@code error} and schedules its callbacks.
     *
     * @param error the future's failure
     * @return {@code false}, changing nothing, if the future was already done
     * @throws NullPointerException if {@code error} is null
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public boolean fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        loop.checkThread("Future.fail");
        return finish(FAILED, error);
    }

    /**
     * Cancels the future: same as {@code cancel(null)}.
     *
     * @return {@code false} if the future was already done
     */
    public final boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future. A plain future becomes cancelled at once; a derived future or a task
     * passes the cancel on to what it waits on and ends cancelled when the resulting
     * {@link CancellationException}, carrying {@code message}, comes back out (unless a
     * continuation catches it).
     *
     * @param message carried by the {@link CancellationException}; may be null
     * @return {@code false} if the future was already done, {@code true} if the cancel was
     *         taken (asyncio's {@code cancel()} return value)
     */
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        return finish(CANCELLED, new CancellationException(message));
    }

    /**
     * Registers {@code callback} to run with this future once it is done. The callback runs on a
     * later loop iteration through the ready queue, never inline; callbacks run in registration
     * order. If the future is already done the callback is scheduled at once.
     *
     * <p>An exception thrown by the callback goes to the loop's exception handler.
     *
     * @param callback receives this future, done
     * @return this future
     */
    public final Future<T> onDone(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("Future.onDone");
        Context context = Context.capture(loop); // it runs with the TaskLocal values of now
        addListener(context == null ? new DoneCallback<>(this, callback)
                : new DoneCallback.InContext<>(this, callback, context));
        return this;
    }

    /**
     * Removes every registration of {@code callback} that has not been scheduled yet.
     *
     * @param callback the callback given to {@link #onDone}
     * @return how many were removed
     */
    public final int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.removeDoneCallback");
        if (listeners == null) {
            return 0;
        }
        if (!(listeners instanceof ArrayList<?>)) {
            if (listeners instanceof DoneCallback<?> d && d.callback.equals(callback)) {
                listeners = null;
                return 1;
            }
            return 0;
        }
        @SuppressWarnings("unchecked")
        ArrayList<Runnable> list = (ArrayList<Runnable>) listeners;
        int before = list.size();
        list.removeIf(r -> r instanceof DoneCallback<?> d && d.callback.equals(callback));
        return before - list.size();
    }

    /**
     * A future of {@code fn(value)}: asyncio's {@code x = await f; return fn(x)}. A failure or
     * cancellation of this future passes through without calling {@code fn}; a throw from
     * {@code fn} fails the result.
     *
     * @param <R> the type of the new value
     * @param fn computes the new value from this future's value
     * @return a future of {@code fn}'s result
     */
    public final <R> Future<R> map(ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        loop.checkThread("Future.map");
        return new Chain<>(this, Chain.MAP, fn, null, null);
    }

    /**
     * A future of the future {@code fn(value)} returns: asyncio's
     * {@code x = await f; return await fn(x)}. This is the "await" of the continuation model.
     * Cancelling the result cancels whichever of the two futures it is waiting on.
     *
     * @param <R> the type of the next future's value
     * @param fn starts the next step with this future's value and returns its future
     * @return a future of the next future's outcome
     */
    public final <R> Future<R> then(ThrowingFunction<? super T, ? extends Future<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        loop.checkThread("Future.then");
        return new Chain<>(this, Chain.THEN, fn, null, null);
    }

    /**
     * Handles a failure of type {@code type} with the future {@code fn} returns: asyncio's
     * {@code except X as e: return await fn(e)}, {@code CompletableFuture}'s
     * {@code exceptionallyCompose} restricted to one type. A value, or a failure of another type,
     * passes through. Cancellation is caught only when asked for by name:
     * {@code recover(CancellationException.class, ...)} catches it, while
     * {@code recover(Exception.class, ...)} and {@code recover(Throwable.class, ...)} do not
     * (as Python's {@code except Exception} does not catch {@code CancelledError}), so a broad
     * handler cannot swallow a cancel by accident. A throw from {@code fn}, checked or not, fails
     * the result.
     *
     * <p>{@code fn} returns a future; to fall back on a plain value, use
     * {@link #exceptionally(Class, ThrowingFunction)}:
     * {@code exceptionally(IOException.class, e -> "fallback")} (written with {@code recover},
     * that lambda does not compile: a {@code String} is not a {@code Future<String>}).
     *
     * @param <X> the type of failure to handle
     * @param type the class of failure to handle, subclasses included
     * @param fn starts the handling with the failure and returns its future
     * @return a future of this future's value, or of the handler's outcome after such a failure
     */
    public final <X extends Throwable> Future<T> recover(Class<X> type,
            ThrowingFunction<? super X, ? extends Future<T>> fn) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        loop.checkThread("Future.recover");
        return new Chain<>(this, Chain.RECOVER, fn, type, null);
    }

    /**
     * Replaces a failure of type {@code type} with the value {@code fn} computes from it:
     * asyncio's {@code except X as e: return fn(e)}, {@code CompletableFuture}'s
     * {@code exceptionally} restricted to one type. {@link #recover} is the form whose handler
     * returns a future (it waits). A value, or a failure of another type, passes through; a throw
     * from {@code fn}, checked or not, fails the result.
     *
     * <p>Cancellation follows {@link #recover}'s rule, not {@code CompletableFuture}'s: it is
     * replaced only when {@code type} is {@link CancellationException} (or a subclass), never by
     * {@code exceptionally(Exception.class, ...)} or {@code exceptionally(Throwable.class, ...)}.
     * <pre>{@code
     * Future<String> config = AsyncFiles.readString(path)
     *         .exceptionally(NoSuchFileException.class, e -> DEFAULT_CONFIG);
     * }</pre>
     *
     * @param <X> the type of failure to handle
     * @param type the class of failure to handle, subclasses included
     * @param fn computes the fallback value from the failure
     * @return a future of this future's value, or of the fallback after such a failure
     */
    public final <X extends Throwable> Future<T> exceptionally(Class<X> type,
            ThrowingFunction<? super X, ? extends T> fn) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fn, "fn");
        loop.checkThread("Future.exceptionally");
        return new Chain<>(this, Chain.EXCEPTIONALLY, fn, type, null);
    }

    /**
     * Runs {@code cleanup} however this future ends, then ends the same way: asyncio's
     * {@code finally:}, {@code CompletableFuture}'s {@code whenComplete} without the arguments.
     * If the cleanup throws, its exception wins.
     *
     * @param cleanup what to run once this future is done
     * @return a future with this future's outcome, after the cleanup
     */
    public final Future<T> ensure(Runnable cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        loop.checkThread("Future.ensure");
        return new Chain<>(this, Chain.ENSURE, null, null, cleanup);
    }

    /**
     * Waits for the future {@code cleanup} returns however this future ends, then ends the same
     * way: asyncio's {@code finally: await cleanup()}. If the cleanup fails or is cancelled, that
     * outcome wins.
     *
     * @param cleanup starts the cleanup and returns its future
     * @return a future with this future's outcome, after the cleanup
     */
    public final Future<T> ensure(Supplier<? extends Future<?>> cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        loop.checkThread("Future.ensure");
        return new Chain<>(this, Chain.ENSURE, null, null, cleanup);
    }

    /**
     * A {@link CompletableFuture} that completes, on the loop thread, the way this future does:
     * the door for code on other threads. Cancelling it from another thread cancels this future
     * on the loop. Its blocking {@code get()} and {@code join()} throw
     * {@link IllegalStateException} when called on the loop thread, where they would deadlock.
     *
     * @return a future other threads can wait on, block on, or cancel
     */
    public final CompletableFuture<T> toCompletableFuture() {
        loop.checkThread("Future.toCompletableFuture");
        LoopCompletableFuture<T> cf = new LoopCompletableFuture<>(loop);
        cf.follow(this);
        return cf;
    }

    /**
     * Takes back what this future handed over, because the continuation or task that awaited it
     * was cancelled after it completed with a value but before that waiter resumed: the
     * "woken, then cancelled" case of asyncio's locks and queues, seen from the future's side.
     * The waiter calls it on the loop thread just before going on with a
     * {@link CancellationException} instead of the value.
     *
     * <p>The default returns {@code true} and does nothing: a plain value is simply dropped.
     * Futures that hand over something that must not be lost override it: a lock grant passes
     * the lock on to the next waiter, a queue item goes back to the front of the queue.
     * An override must not throw. A future awaited by several waiters gets one call per waiter
     * that was cancelled this way; the primitives' futures are meant to be awaited once.
     *
     * @return {@code true} if the value was taken back (the waiter sees the cancellation);
     *         {@code false} if it can no longer be (the waiter then resumes with the value and
     *         the cancel is delivered at its next await, as asyncio delivers a cancel that
     *         arrives after an operation finished without suspending)
     */
    protected boolean retract() {
        return true;
    }

    // ---------------------------------------------------------------- internals

    byte state() {
        return state;
    }

    /** The value or throwable, without marking the outcome as retrieved. */
    Object rawResult() {
        return result;
    }

    /**
     * Leaves PENDING. The one place a future's state changes.
     *
     * @return false if already done
     */
    final boolean finish(byte newState, Object newResult) {
        if (state != PENDING) {
            return false;
        }
        state = newState;
        result = newResult;
        Object ls = listeners;
        listeners = null;
        if (ls instanceof ArrayList<?> list) {
            for (Object r : list) {
                notifyListener((Runnable) r);
            }
        } else if (ls != null) {
            notifyListener((Runnable) ls);
        } else if (newState == FAILED && !retrieved) {
            loop.unretrievedFailure(this);
        }
        finished();
        return true;
    }

    /** Hands a listener its turn: on the next iteration, through the ready queue. */
    void notifyListener(Runnable listener) {
        loop.schedule(listener);
    }

    /**
     * For the call graph ({@link CallGraph}): gives {@code action} each future this one waits on
     * now. None for a plain future; a continuation or task gives what it awaits, a combinator its
     * pending children. Loop thread only.
     */
    void forEachAwaited(Consumer<? super Future<?>> action) {
    }

    /** Hook for subclasses that must react to leaving PENDING (a task leaves the live set). */
    void finished() {
    }

    /**
     * Adds a done-listener; schedules it at once if the future is done. Having a listener
     * counts as looking at the outcome.
     */
    final void addListener(Runnable listener) {
        retrieved = true;
        if (state != PENDING) {
            loop.schedule(listener);
        } else if (listeners == null) {
            listeners = listener;
        } else if (listeners instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked")
            ArrayList<Runnable> list = (ArrayList<Runnable>) listeners;
            list.add(listener);
        } else {
            ArrayList<Runnable> list = new ArrayList<>(4);
            list.add((Runnable) listeners);
            list.add(listener);
            listeners = list;
        }
    }

    /** Removes a listener added with {@link #addListener} that has not been scheduled yet. */
    final void removeListener(Runnable listener) {
        if (listeners == listener) {
            listeners = null;
        } else if (listeners instanceof ArrayList<?> list) {
            list.remove(listener);
        }
    }

    /** Whether a failure was looked at; the loop reports the ones that were not. */
    final boolean isRetrieved() {
        return retrieved;
    }

    final void markRetrieved() {
        retrieved = true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeState() + (site != null ? ", created at " + site : "") + "]";
    }

    final String describeState() {
        switch (state) {
            case PENDING:
                return "pending";
            case SUCCEEDED:
                return "result=" + result;
            case CANCELLED:
                return "cancelled";
            default:
                return "exception=" + result;
        }
    }

    /**
     * A user callback registered with {@link #onDone}. It runs with the TaskLocal values of its
     * registration (asyncio's {@code add_done_callback}): none, or those of an {@link InContext}.
     */
    static class DoneCallback<T> implements Runnable {
        final Future<T> future;
        final Consumer<? super Future<T>> callback;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> callback) {
            this.future = future;
            this.callback = callback;
        }

        /** The context it runs in; null for none. */
        Context context() {
            return null;
        }

        @Override
        public void run() {
            callback.accept(future);
        }

        /**
         * One registered where some TaskLocal had a value. A subclass rather than a context field
         * on every done-callback: with the field, filled from the capture even when empty,
         * ContinuationBenchmark's onDone took 15.2 ns instead of 12.7 (best of 18 iterations),
         * where no TaskLocal is used; with the subclass, 12.7.
         */
        static final class InContext<T> extends DoneCallback<T> {
            private final Context context;

            InContext(Future<T> future, Consumer<? super Future<T>> callback, Context context) {
                super(future, callback);
                this.context = context;
            }

            @Override
            Context context() {
                return context;
            }

            @Override
            public void run() {
                Context.runCallback(context, () -> callback.accept(future));
            }
        }

        @Override
        public String toString() {
            return "onDone " + callback + " of " + future;
        }
    }
}
