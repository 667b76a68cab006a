package io.eventloop;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * A future that gets its outcome by waiting on one other future at a time and then running a
 * step: what a coroutine suspended at an {@code await} is in asyncio. Five classes extend it:
 * {@link Chain} (map, then, recover, ensure), {@link Task}, {@link Using}'s scope, the scope of a
 * {@link Timeout}, and the loop of {@link Async#repeat}.
 *
 * <p>This class holds the cancellation rule of the whole library, asyncio's
 * {@code Task.cancel} / {@code _must_cancel}:
 * <ol>
 *   <li>A cancel while waiting cancels the awaited future; its {@link CancellationException} then
 *       arrives here like any other outcome, and the step decides (a {@code recover} may catch it).</li>
 *   <li>If the awaited future can no longer be cancelled (it is done, its callback not yet run) or
 *       nothing is awaited (the step is running), the cancel is remembered ({@code mustCancel}):
 *       the step sees a {@code CancellationException} instead of the awaited outcome, the next
 *       future the step waits on is cancelled at once, and a step that finishes with a value ends
 *       cancelled instead.</li>
 * </ol>
 * Rule 2 is what lets a lock, semaphore or queue that has already woken a waiter learn that the
 * waiter was cancelled before it resumed, and pass the wake-up on: when the step is about to see
 * the cancellation instead of a value, the awaited future is asked to {@link Future#retract()}
 * it first (a lock grant passes the lock on, a queue item goes back to the queue). A continuation
 * that passed such a value through unchanged passes the retract on to where the value came from.
 */
abstract class Waiting<T> extends Future<T> {
    /** The task whose continuation this is, made current while a step runs; may be null. A task owns itself. */
    Task<?> owner;
    /** What this future waits on now; null while a step runs, before a task starts, or when done. */
    private Future<?> awaited;
    /** A cancel that could not be passed on yet (rule 2), or null. */
    private CancellationException mustCancel;
    /**
     * The future whose value this one took unchanged (the awaited future while a step runs;
     * after a pass-through {@link #adopt}, where the value came from), so that a
     * {@link #retract()} can be passed back to it. Null once used or when the value was computed.
     */
    private Future<?> valueSource;
    /**
     * The timeout scope this future was created under, made current while a step runs (like
     * {@link #owner}); null outside any scope. It is how a deadline reaches continuations and
     * tasks created inside a scope (see {@link Timeout#currentDeadline()}).
     */
    private final Timeout timeout;
    /**
     * The {@link TaskLocal} values: for a task, the task's own, which its steps and continuations
     * see and {@link TaskLocal#set} replaces; for a continuation created outside any task, the
     * context current where it was created, which its step runs in (asyncio's
     * {@code add_done_callback} captures one the same way); unused (null) for a continuation of a
     * task. Null is the empty context. Loop thread only; see {@link Context}.
     */
    Context context;

    Waiting(EventLoop loop, Task<?> owner) {
        super(loop);
        this.owner = owner;
        this.timeout = loop.currentTimeout;
        if (owner == null) {
            context = Context.capture(loop); // a task's copy of its creator's, or a continuation's outside tasks
        }
        if (loop.debug) {
            // Debug mode only (a stack walk, a few microseconds): where user code made this task
            // or continuation. Off, it is one read of a final field.
            site = Diagnostics.creationSite();
        }
    }

    /** The object registered as a listener on awaited futures; it calls {@link #wake()}. */
    abstract Runnable waker();

    /**
     * Runs the next step with the outcome of what was awaited.
     *
     * @param state SUCCEEDED, FAILED or CANCELLED (a failure with a CancellationException
     *              arrives as CANCELLED)
     * @param result the value, the failure, or the CancellationException
     */
    abstract void resume(byte state, Object result);

    /** Starts waiting on {@code next}; {@link #resume} runs once it is done, on a later iteration. */
    final void await(Future<?> next) {
        if (startAwaiting(next)) {
            next.addListener(waker());
        }
    }

    /**
     * {@link #await} from inside this future's own step, for a step that awaits at most once
     * more (a continuation's second half, a task's body): if {@code next} is already done, the
     * step goes on with its outcome now instead of on the next iteration, as asyncio's
     * {@code await} of a done future does not suspend. Nothing user-visible runs inline: what
     * follows is this future finishing, whose own listeners are scheduled as usual. Not for steps
     * that loop (a loop of done futures would never yield).
     */
    final void awaitFromStep(Future<?> next) {
        if (startAwaiting(next)) {
            if (next.isDone()) {
                next.markRetrieved(); // this future takes its outcome, as a listener would
                wake();
            } else {
                next.addListener(waker());
            }
        }
    }

    /** Checks {@code next} and makes it the awaited future; false (and this future failed) if it cannot be. */
    private boolean startAwaiting(Future<?> next) {
        if (next == null) {
            failStep(new NullPointerException("a continuation returned null instead of a Future"));
        } else if (next.loop != loop) {
            failStep(new IllegalStateException("awaited " + next + " belongs to another event loop than " + this));
        } else if (next == this) {
            failStep(new IllegalStateException(this + " cannot await itself"));
        } else {
            awaited = next;
            if (mustCancel != null && next.cancel(mustCancel.getMessage())) {
                mustCancel = null;
            }
            return true;
        }
        return false;
    }

    /**
     * Called through {@link #waker()} by the loop once the awaited future is done: runs the step.
     *
     * <p>When the step finishes this future, the continuations of the same task that wait on it
     * go on right after it, in the same callback (see {@link #notifyListener}): so a chain of
     * {@code then}s inside one task costs one hop per await of something that is not done yet,
     * as nested coroutines inside one asyncio task do, not one hop per link. A queue, drained
     * here by the outermost step, keeps the stack flat however long the chain.
     */
    final void wake() {
        if (isDone()) {
            return;
        }
        Waiting<?> outer = loop.stepping;
        try {
            step();
        } finally {
            loop.stepping = outer;
            if (outer == null) {
                runContinuations();
            }
        }
    }

    /** The continuations queued by steps that finished in this callback; an Error leaves the rest to the ready queue. */
    private void runContinuations() {
        ArrayDeque<Waiting<?>> queue = loop.continuations;
        try {
            for (Waiting<?> w = queue.poll(); w != null; w = queue.poll()) {
                loop.stepping = w;
                w.step();
            }
        } finally {
            loop.stepping = null;
            for (Waiting<?> w = queue.poll(); w != null; w = queue.poll()) {
                loop.schedule(w.waker());
            }
        }
    }

    /**
     * A listener of this future that waits as part of the same task (a continuation, an
     * {@code Async.repeat}, a scope, the task itself) goes on in this callback when this future
     * finishes its own step; every other listener runs on the next iteration, and so does every
     * listener outside tasks, where a cancel between two steps must still find the value to
     * hand back ({@link Future#retract()}).
     * Only a step's outcome does this: a {@code complete()} or {@code cancel()} from user code
     * schedules as usual, so nothing user-visible ever runs inside such a call.
     */
    @Override
    final void notifyListener(Runnable listener) {
        Waiting<?> next = owner == null || loop.stepping != this ? null
                : listener instanceof Waiting<?> w ? w // a continuation, a repeat, a scope: its own waker
                : listener instanceof Task.Step s ? s.task()
                : null;
        if (next != null && next.owner == owner) {
            loop.continuations.add(next);
        } else {
            loop.schedule(listener);
        }
    }

    /** The step itself, with the running task and timeout scope made current. */
    private void step() {
        if (isDone()) {
            return;
        }
        loop.stepping = this;
        Future<?> done = awaited;
        awaited = null;
        valueSource = done;
        Task<?> previous = loop.currentTask;
        Timeout previousTimeout = loop.currentTimeout;
        loop.currentTask = owner;
        loop.currentTimeout = timeout;
        if (owner == null && context != null) {
            // Outside tasks, the step runs in the context it was created in. Not restored: such a step
            // is a callback of its own (the scheduler's context is empty when it starts, and is
            // cleared again after it), so an empty one needs no write.
            loop.scheduler.context = context;
        }
        try {
            CancellationException cancel = mustCancel;
            if (cancel != null) {
                if (done != null && done.state() == SUCCEEDED && !done.retract()) {
                    // What was awaited cannot take its value back (a put whose item a getter
                    // already took): go on with it; the cancel stays pending for the next await.
                    resume(SUCCEEDED, done.rawResult());
                } else {
                    mustCancel = null;
                    resume(CANCELLED, cancel);
                }
            } else if (done == null) {
                resume(SUCCEEDED, null);
            } else {
                byte s = done.state();
                Object r = done.rawResult();
                resume(s == FAILED && r instanceof CancellationException ? CANCELLED : s, r);
            }
        } finally {
            loop.currentTask = previous;
            loop.currentTimeout = previousTimeout;
        }
    }

    /**
     * Applies rule 1 down the chain of waiting futures, then rule 2 where it stops. A loop, not a
     * recursive {@code awaited.cancel()}: a recursive async function a million levels deep is a
     * chain a million {@code Waiting}s long, and cancelling it must not overflow the stack. Final
     * so that this loop may step into an awaited {@code Waiting} instead of calling its cancel;
     * subclasses react through {@code cancelRequested()}.
     *
     * <p>Tasks that await each other in a cycle (a deadlock) have no end to the chain: the cancel
     * then goes to the last task of the cycle, the one whose await closes it, which stops waiting
     * and sees the {@link CancellationException} at that await; the others get it from there as
     * each await returns. Every future of the chain is told once ({@code cancelRequested}).
     */
    @Override
    public final boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        if (isDone()) {
            return false;
        }
        long length = chainLength();
        Waiting<?> w = this;
        for (long i = 1; i < length; i++) {
            w.cancelRequested();
            w = w.awaitedWaiting(); // inner takes the cancel, so w has nothing more to do
        }
        w.cancelRequested();
        Future<?> f = w.awaited;
        if (f instanceof Waiting<?> inner && !inner.isDone()) {
            // The cycle closes here: w stops waiting and its step sees the cancel (rule 2).
            inner.removeListener(w.waker());
            w.mustCancel = new CancellationException(message);
            loop.schedule(w.waker());
        } else if (f == null || !f.cancel(message)) {
            w.mustCancel = new CancellationException(message);
        }
        return true;
    }

    /** The awaited future if it is a pending {@code Waiting} (the chain goes on), else null. */
    private Waiting<?> awaitedWaiting() {
        return awaited instanceof Waiting<?> inner && !inner.isDone() ? inner : null;
    }

    /**
     * How many {@code Waiting}s the chain from this one holds, each counted once: the last one
     * awaits something else, or (tasks awaiting each other) the first of a cycle. Brent's cycle
     * finding, so nothing is allocated however long the chain.
     */
    private long chainLength() {
        Waiting<?> mark = this;
        Waiting<?> w = this;
        long n = 1;
        long power = 1;
        long lambda = 1;
        for (Waiting<?> next = w.awaitedWaiting(); next != null; next = w.awaitedWaiting()) {
            if (next == mark) {
                // a cycle of length lambda; find where it starts (mu) with two walkers lambda apart
                Waiting<?> behind = this;
                Waiting<?> ahead = this;
                for (long i = 0; i < lambda; i++) {
                    ahead = ahead.awaitedWaiting();
                }
                long mu = 0;
                while (behind != ahead) {
                    behind = behind.awaitedWaiting();
                    ahead = ahead.awaitedWaiting();
                    mu++;
                }
                return mu + lambda;
            }
            w = next;
            n++;
            if (lambda == power) {
                mark = w;
                power <<= 1;
                lambda = 0;
            }
            lambda++;
        }
        return n;
    }

    /** Hook: a cancel was requested (a task counts them). */
    void cancelRequested() {
    }

    @Override
    final void forEachAwaited(java.util.function.Consumer<? super Future<?>> action) {
        Future<?> f = awaited;
        if (f != null) {
            action.accept(f);
        }
    }

    /** What this future waits on right now, or null. */
    final Future<?> awaited() {
        return awaited;
    }

    /** Ends with a value a step produced, unless a cancel is pending (rule 2). */
    final void succeedStep(T value) {
        valueSource = null;
        CancellationException cancel = mustCancel;
        if (cancel != null) {
            mustCancel = null;
            finish(CANCELLED, cancel);
        } else {
            finish(SUCCEEDED, value);
        }
    }

    /** Ends with a failure; a CancellationException makes this future cancelled. */
    final void failStep(Throwable error) {
        mustCancel = null;
        finish(error instanceof CancellationException ? CANCELLED : FAILED, error);
    }

    /**
     * A step threw: fail with it. An {@link Error} is also rethrown so that it stops the loop
     * run, as a {@code BaseException} escapes asyncio's loop.
     */
    final void stepThrew(Throwable error) {
        failStep(error);
        if (error instanceof Error e) {
            throw e;
        }
    }

    /** Ends the way the awaited future that just completed ended (its value passes through). */
    final void adopt(byte state, Object result) {
        adopt(state, result, valueSource);
    }

    /** Ends with {@code state} and {@code result}, which came unchanged from {@code source}. */
    @SuppressWarnings("unchecked")
    final void adopt(byte state, Object result, Future<?> source) {
        if (state == SUCCEEDED) {
            succeedStep((T) result);
            valueSource = source;
        } else {
            failStep((Throwable) result);
        }
    }

    /** The future the running step resumed from (for a step that adopts its value later). */
    final Future<?> resumedFrom() {
        return valueSource;
    }

    /**
     * A value passed through unchanged is retracted where it came from: so a queue item that went
     * through {@code then}, {@code recover}, {@code ensure} or a timeout scope still goes back to
     * its queue when the last waiter is cancelled before it resumes. A value a step computed
     * ({@code map}) is simply dropped.
     */
    @Override
    protected boolean retract() {
        Future<?> source = valueSource;
        valueSource = null;
        return source == null || source.retract();
    }
}
