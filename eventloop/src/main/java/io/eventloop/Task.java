package io.eventloop;

/**
 * A named unit of concurrent work on the loop: asyncio's {@code Task}.
 *
 * <p>Calling an async method in this library starts it at once (a "hot" future), so a task is
 * not needed to make something run. It adds what asyncio tasks add:
 * <ul>
 *   <li>a {@link #name()};</li>
 *   <li>a deferred start: the body runs on a later loop iteration, not inside
 *       {@link EventLoop#createTask};</li>
 *   <li>tracking: the loop holds every live task strongly (see {@link EventLoop#allTasks()}), so
 *       a fire-and-forget task cannot be garbage-collected mid-run the way asyncio's weakly held
 *       tasks can (python/cpython#91887), and a task still pending at close is reported;</li>
 *   <li>{@link EventLoop#currentTask()} inside its body and every continuation created while it
 *       runs;</li>
 *   <li>{@link #cancelling()} / {@link #uncancel()}, the cancel-request count timeout scopes use;</li>
 *   <li>its own {@link TaskLocal} values, a copy of its creator's, which its continuations see;</li>
 *   <li>a report to the exception handler if it fails and nobody ever looks at the failure.</li>
 * </ul>
 * A task's outcome is its body's: {@link #complete} and {@link #fail} throw
 * {@link IllegalStateException}. Cancelling a task cancels the future its body is waiting on;
 * cancelling it before it starts means the body never runs.
 *
 * <p>Compared with a {@code CompletableFuture} from {@code supplyAsync}: the body runs on the loop
 * thread, not a pool, and a cancel reaches the operation it is waiting on.
 *
 * @param <T> the value type
 */
public class Task<T> extends Waiting<T> {
    /** The given name, or null for the default "Task-" + id (built only when asked for). */
    private final String name;
    private final long id;
    /** The body, until the first step takes it. Loop thread only. */
    private ThrowingSupplier<? extends Future<T>> body;
    /** A body run in steps ({@link EventLoop#createSteppedTask}), or null. Loop thread only. */
    private final Stepper<T> stepper;
    /** Whether the stepper's first step has run. Loop thread only. */
    private boolean stepped;
    /** Cancel requests not yet uncancelled; asyncio's {@code _num_cancels_requested}. */
    private int cancelRequests;
    /** The loop's intrusive list of live tasks. Loop thread only. */
    Task<?> previousLive;
    Task<?> nextLive;
    /** What the loop runs for each step; a named class (not {@code this::wake}) so reports can name the task. */
    private final Step step = new Step(this);

    Task(EventLoop loop, long id, String name, ThrowingSupplier<? extends Future<T>> body) {
        super(loop, null);
        this.owner = this;
        this.id = id;
        this.name = name;
        this.body = body; // in debug mode, Waiting's constructor recorded the creation site
        this.stepper = null;
    }

    Task(EventLoop loop, long id, String name, Stepper<T> stepper) {
        super(loop, null);
        this.owner = this;
        this.id = id;
        this.name = name;
        this.stepper = stepper;
        if (site != null) {
            // Debug mode: the frames of the code that drives the steps (its factory method) are not where the task was made.
            site = Diagnostics.creationSite(stepper.getClass());
        }
    }

    /**
     * A task body that runs in steps, driven by its task: the protocol by which asyncio's
     * {@code Task.__step} drives a coroutine ({@code send} the outcome of what it awaited in, take
     * the next future it awaits out, until it raises {@code StopIteration} or an exception). It is
     * the hook for bodies that suspend without returning, such as a one-shot continuation: see
     * {@link EventLoop#createSteppedTask}.
     *
     * <p>Each step runs as a step of the task, on the loop thread, with the task current
     * ({@link EventLoop#currentTask()}), its timeout scope and its {@link TaskLocal} values. The
     * task waits on the future a step returns exactly as it waits on a continuation: a cancel of
     * the task cancels that future, and if that is too late (the future is done, the next step not
     * yet run) the next step receives a {@link java.util.concurrent.CancellationException}
     * instead of the value, and the value is retracted where it came from (a lock grant passes
     * on). Reports ({@link CallGraph}, the shutdown report, {@code toString}) show that future as
     * what the task waits on.
     *
     * <p>Compared with asyncio: {@code step(value, null)} is {@code coro.send(value)},
     * {@code step(null, failure)} is {@code coro.throw(failure)}, returning null is
     * {@code StopIteration} (with {@link #value()} as its value), and a throw is the coroutine
     * raising.
     *
     * @param <T> the type of the task's value
     */
    public interface Stepper<T> {
        /**
         * Runs the body from where it stopped to its next wait or its end.
         *
         * @param value on the first step null; after that, the value of the future the previous
         *              step returned, when it succeeded
         * @param failure null on the first step and after a success; else what the awaited future
         *                failed with, or a {@link java.util.concurrent.CancellationException} when
         *                it, or the task, was cancelled
         * @return the future the body waits on now (the next step runs once it is done, never
         *         inside this call), or null when the body has ended with {@link #value()}
         * @throws Exception the body's failure: it fails the task (a
         *                   {@link java.util.concurrent.CancellationException} cancels it)
         */
        Future<?> step(Object value, Throwable failure) throws Exception;

        /**
         * The body's value, asked once, after {@link #step} returned null.
         *
         * @return the task's value
         */
        T value();

        /**
         * The loop is closing ({@link EventLoop#close()}) with this task pending after its first
         * step: the body will get no more steps, so it should let go of what it holds now (a
         * suspended continuation runs its {@code finally} blocks). Called by the thread that
         * closes the loop, after the "destroyed but pending" report, while nothing else runs; the loop is already
         * closed, so nothing can be scheduled. What it throws goes to the exception handler.
         * Python closes a suspended generator the same way ({@code GeneratorExit}). The default
         * does nothing.
         *
         * @throws Exception what the release failed with; it is reported, and close goes on
         */
        default void abandoned() throws Exception {
        }
    }

    /** A task's step as a ready callback: one per task, like the method reference it replaces. */
    static final class Step implements Runnable {
        private final Task<?> task;

        Step(Task<?> task) {
            this.task = task;
        }

        Task<?> task() {
            return task;
        }

        @Override
        public void run() {
            task.wake();
        }

        @Override
        public String toString() {
            return "step of " + task;
        }
    }

    /**
     * The task's name: the one given to {@link EventLoop#createTask(String, ThrowingSupplier)}, or "Task-N".
     *
     * @return the task's name
     */
    public final String name() {
        return name != null ? name : "Task-" + id;
    }

    /**
     * How many cancel requests are pending: asyncio's {@code Task.cancelling()}.
     *
     * @return the number of cancel requests not withdrawn
     */
    public final int cancelling() {
        return cancelRequests;
    }

    /**
     * Withdraws one cancel request and returns how many remain: asyncio's {@code Task.uncancel()}.
     * A timeout scope calls it when it turns its own cancel into a {@code TimeoutException}; it
     * does not undo a cancellation already delivered.
     *
     * @return the number of cancel requests left
     */
    public final int uncancel() {
        loop.checkThread("Task.uncancel");
        if (cancelRequests > 0) {
            cancelRequests--;
        }
        return cancelRequests;
    }

    /**
     * Not allowed: a task's outcome is its body's.
     *
     * @throws IllegalStateException always
     */
    @Override
    public final boolean complete(T value) {
        throw new IllegalStateException("complete() on " + this + ": a task ends with its body's outcome;"
                + " cancel it, or complete the future its body waits on");
    }

    /**
     * Not allowed: a task's outcome is its body's.
     *
     * @throws IllegalStateException always
     */
    @Override
    public final boolean fail(Throwable error) {
        throw new IllegalStateException("fail() on " + this + ": a task ends with its body's outcome;"
                + " cancel it, or fail the future its body waits on");
    }

    @Override
    void cancelRequested() {
        cancelRequests++;
    }

    @Override
    Runnable waker() {
        return step;
    }

    /** Schedules the first step. */
    final void start() {
        loop.schedule(step);
    }

    @Override
    void resume(byte state, Object result) {
        if (stepper != null) {
            resumeStepper(state, result);
            return;
        }
        ThrowingSupplier<? extends Future<T>> b = body;
        if (b == null) {
            adopt(state, result);
            return;
        }
        body = null;
        if (state == CANCELLED) {
            adopt(state, result); // cancelled before it started: the body never runs
            return;
        }
        Future<T> f;
        try {
            f = b.get();
        } catch (Throwable t) {
            stepThrew(t);
            return;
        }
        awaitFromStep(f); // a body that returned a done future ends the task in this step
    }

    /** One step of a {@link Stepper}: asyncio's {@code Task.__step}. */
    private void resumeStepper(byte state, Object result) {
        if (!stepped) {
            stepped = true;
            if (state == CANCELLED) {
                adopt(state, result); // cancelled before it started: the body never runs
                return;
            }
        }
        Future<?> next;
        T value;
        try {
            next = state == SUCCEEDED ? stepper.step(result, null) : stepper.step(null, (Throwable) result);
            value = next == null ? stepper.value() : null;
        } catch (Throwable t) {
            stepThrew(t);
            return;
        }
        if (next == null) {
            succeedStep(value);
        } else {
            // Not awaitFromStep: a stepper may return done futures in a loop, and each must still yield.
            await(next);
        }
    }

    @Override
    void finished() {
        loop.taskFinished(this);
        JfrEvents.taskDone(this);
    }

    /**
     * A task keeps its result: a waiter cancelled after the task finished simply does not see it,
     * while the task (which others may await or inspect) still holds it, as in asyncio. What the
     * task's own body awaited was retracted at that level, if its step was cancelled in time.
     */
    @Override
    protected boolean retract() {
        return true;
    }

    /** At {@link EventLoop#close()} with this task pending: a started stepper lets go of its body. */
    final void abandon() throws Exception {
        if (stepper != null && stepped) {
            stepper.abandoned();
        }
    }

    /** Whether the body has not started yet. */
    final boolean notStarted() {
        return body != null || (stepper != null && !stepped);
    }

    /**
     * "Task[name, state, created at Site, waiting on ...]": the creation site in debug mode; for
     * a pending task, what it waits on, followed down its chain of continuations to the future at
     * the end (a sleep with its time left, a lock or queue waiter, a socket read, another task by
     * name). Shutdown reports print it.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Task[").append(name()).append(", ").append(describeState());
        if (site != null) {
            sb.append(", created at ").append(site);
        }
        if (!isDone() && notStarted()) {
            sb.append(", not started");
        }
        Future<?> w = Diagnostics.innermost(awaited());
        if (w != null) {
            sb.append(", waiting on ").append(Diagnostics.waitedOn(w));
        }
        return sb.append(']').toString();
    }

    /** "Task 'name' created at Site" (the site in debug mode only): how reports name a task. */
    final String describeBrief() {
        return "Task '" + name() + "'" + Diagnostics.site(this);
    }
}
