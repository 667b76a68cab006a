package io.eventloop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Structured concurrency: asyncio's {@code async with asyncio.TaskGroup() as group:}.
 * <pre>{@code
 * Future<Page> page = TaskGroup.run(group -> {
 *     Task<User> user = group.spawn(() -> users.load(id));
 *     Task<List<Post>> posts = group.spawn(() -> posts.recent(id));
 *     return Async.gather(user, posts).map(v -> new Page(user.result(), posts.result()));
 * });
 * }</pre>
 * {@link #run} calls the body with the group, now. The group's future completes when the body's
 * future and every child are done, with the body's value. Then:
 * <ul>
 *   <li>The first real failure, of a child or of the body, cancels the body's current await and
 *       every other child. The group then fails with a {@link TaskGroupException} listing every
 *       real failure (failures that happen while the others are being cancelled included), never
 *       a {@link CancellationException}. A child that is cancelled on its own is not a failure.</li>
 *   <li>Cancelling the group's future cancels the body and every child, each exactly once; the
 *       group ends cancelled with that cancel's message once all of them are done, unless real
 *       failures happened meanwhile (they win).</li>
 *   <li>An {@link Error} of a child or of the body is rethrown as it is, not wrapped; the other
 *       failures then go to the loop's exception handler.</li>
 *   <li>Children may spawn more children, on the same group, while the group runs or waits for
 *       its children. Finished children are not retained. {@link #spawn} on a finished group, or
 *       on a group that is cancelling its children, throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p><b>Deadlines.</b> A group's children run under the deadline the group runs under
 * ({@link #deadline()}, {@link Timeout#currentDeadline()} inside a child), so a group inside
 * {@code Async.timeout(...)} gives all its children one budget; when the scope expires, it
 * cancels the group, which cancels every child.
 *
 * <p><b>Compared with asyncio:</b> the same rules. asyncio cancels the parent task to interrupt
 * the body and later uncancels it; here the group cancels the body's future directly, so the
 * owning task's cancel count never changes. <b>Compared with
 * {@code StructuredTaskScope.ShutdownOnFailure}:</b> one thread, no joins to forget (the group's
 * future is the join), and failures are aggregated instead of only the first being kept.
 */
public final class TaskGroup {
    private final EventLoop loop;
    /** The timeout scope in force where the group was created; its children run under it. */
    private final Timeout timeout;
    /** The task {@link #run} was called in, which runs the body; null outside a task. */
    private final Task<?> owner;
    /** Children not yet done, in spawn order (the order they are cancelled in). Loop thread only. */
    private final LinkedHashSet<Task<?>> children = new LinkedHashSet<>();
    /** Real failures of the children and the body, in the order they happened. */
    private final List<Throwable> errors = new ArrayList<>();
    /** Where the first of {@link #errors} came from, for the exception's message: "task 'x'" or "the body". */
    private String firstFrom;
    /** The first Error among them, rethrown bare. */
    private Throwable fatal;
    /** The body's future; null only while the body function runs. */
    private Future<?> body;
    private boolean bodyDone;
    /** Whether the body and the children are being cancelled (asyncio's {@code _aborting}). */
    private boolean aborting;
    /** The cancel of the group's future, or null. */
    private CancellationException cancelled;
    /** A cancel of the body that came from neither the group nor its future, or null. */
    private CancellationException bodyCancelled;
    private Group<?> future;

    private TaskGroup(EventLoop loop) {
        this.loop = loop;
        this.timeout = loop.currentTimeout;
        this.owner = loop.currentTask;
    }

    /**
     * Runs {@code body} with a new group on the current loop and returns a future that completes
     * when the body's future and every child are done; see the class comment for how failures
     * and cancellation end it. A body that throws counts as a body that failed.
     *
     * @param <T> the type of the body's value
     * @param body starts the work with the group, spawning children into it, and returns its future
     * @return the body's value, or a failure: {@link TaskGroupException}, a bare {@link Error},
     *         or cancellation
     */
    public static <T> Future<T> run(ThrowingFunction<TaskGroup, ? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.current();
        loop.checkThread("TaskGroup.run");
        TaskGroup group = new TaskGroup(loop);
        Group<T> f = new Group<>(loop, group);
        group.future = f;
        Future<T> b;
        try {
            b = body.apply(group);
            if (b == null) {
                throw new NullPointerException("the TaskGroup body returned null instead of a Future");
            }
        } catch (Error e) {
            group.abort(null);
            throw e;
        } catch (Throwable t) {
            b = new Future<>(loop);
            b.markRetrieved();
            b.finish(t instanceof CancellationException ? Future.CANCELLED : Future.FAILED, t);
        }
        Future<T> started = b;
        group.body = started;
        started.addListener(group::bodyDone);
        return f;
    }

    /**
     * {@link #spawn(String, ThrowingSupplier)} with the default task name.
     *
     * @param <R> the type of the child's value
     * @param body starts the child's work and returns its future
     * @return the child task, already scheduled
     */
    public <R> Task<R> spawn(ThrowingSupplier<? extends Future<R>> body) {
        return spawn(null, body);
    }

    /**
     * Starts {@code body} as a child task of the group: asyncio's {@code group.create_task}.
     * The child runs under the group's deadline (see the class comment). A body that throws,
     * checked or not, fails the child, which fails the group like any child failure.
     *
     * @param <R> the type of the child's value
     * @param name the task's name, or null for "Task-N"
     * @param body starts the child's work and returns its future
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group is finished, or is cancelling its children
     */
    public <R> Task<R> spawn(String name, ThrowingSupplier<? extends Future<R>> body) {
        Objects.requireNonNull(body, "body");
        loop.checkThread("TaskGroup.spawn");
        if (future.isDone()) {
            throw new IllegalStateException(this + " is finished; spawn children while its body or its children run");
        }
        if (aborting) {
            throw new IllegalStateException(this + " is shutting down; no new children");
        }
        Timeout outer = loop.currentTimeout;
        loop.currentTimeout = timeout;
        Task<R> task;
        try {
            task = loop.createTask(name, body);
        } finally {
            loop.currentTimeout = outer;
        }
        children.add(task);
        task.addListener(() -> childDone(task));
        return task;
    }

    /**
     * Cancels the body and every child, and lets the group end <em>without</em> a cancellation:
     * asyncio 3.14's {@code TaskGroup.cancel()}, for "we have what we needed, stop the rest". The
     * group's future completes when everything has finished, with the body's value if the body
     * completed, else null; real failures still make it fail. Does nothing once the group is
     * finished or already cancelling.
     */
    public void cancel() {
        loop.checkThread("TaskGroup.cancel");
        if (!future.isDone() && !aborting) {
            abort(null);
        }
    }

    /**
     * The deadline the group and its children run under, on the {@link EventLoop#time()} scale:
     * the earliest deadline of the timeout scopes around {@link #run}; empty if none.
     *
     * @return the deadline in {@link EventLoop#time()} nanoseconds, or empty
     */
    public OptionalLong deadline() {
        return Timeout.deadlineOf(timeout);
    }

    /** Children not done yet. For tests. */
    int childCount() {
        return children.size();
    }

    private void bodyDone() {
        bodyDone = true;
        byte s = body.state();
        if (s == Future.CANCELLED) {
            if (!aborting) {
                // Cancelled neither by the group nor through its future: asyncio's "parent task is
                // being cancelled" case. Stop the children and end cancelled.
                bodyCancelled = (CancellationException) body.rawResult();
                abort(null);
            }
        } else if (s == Future.FAILED) {
            Throwable t = (Throwable) body.rawResult();
            if (t instanceof CancellationException c) {
                if (!aborting) {
                    bodyCancelled = c;
                    abort(null);
                }
            } else {
                failed(t, owner == null ? "the body" : "the body, in task '" + owner.name() + "'");
            }
        }
        finishIfDone();
    }

    private void childDone(Task<?> child) {
        children.remove(child);
        if (child.state() == Future.FAILED && !(child.rawResult() instanceof CancellationException)) {
            failed((Throwable) child.rawResult(), "task '" + child.name() + "'");
        }
        finishIfDone();
    }

    private void failed(Throwable t, String from) {
        if (errors.isEmpty()) {
            firstFrom = from;
        }
        errors.add(t);
        if (t instanceof Error && fatal == null) {
            fatal = t;
        }
        if (!aborting) {
            abort(null);
        }
    }

    /** Cancels the body (if still running) and every child: asyncio's {@code _abort}. */
    private void abort(String message) {
        aborting = true;
        if (body != null && !bodyDone) {
            body.cancel(message);
        }
        for (Task<?> child : new ArrayList<>(children)) {
            child.cancel(message);
        }
    }

    private void finishIfDone() {
        if (!bodyDone || !children.isEmpty() || future.isDone()) {
            return;
        }
        if (fatal != null) {
            for (Throwable t : errors) {
                if (t != fatal) {
                    loop.callExceptionHandler(new ErrorContext("TaskGroup failure not propagated because an Error"
                            + " ends the group", t, null, future, null));
                }
            }
            future.finish(Future.FAILED, fatal);
        } else if (!errors.isEmpty()) {
            future.finish(Future.FAILED, new TaskGroupException("unhandled errors in a TaskGroup", errors, firstFrom));
        } else if (cancelled != null) {
            future.finish(Future.CANCELLED, cancelled);
        } else if (bodyCancelled != null) {
            future.finish(Future.CANCELLED, bodyCancelled);
        } else if (body.state() == Future.SUCCEEDED) {
            future.finish(Future.SUCCEEDED, body.rawResult());
        } else {
            future.finish(Future.SUCCEEDED, null); // the body was stopped by cancel()
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TaskGroup[");
        if (future != null && future.isDone()) {
            sb.append("finished");
        } else {
            sb.append(aborting ? "cancelling" : "running").append(", children=").append(children.size());
        }
        if (!errors.isEmpty()) {
            sb.append(", errors=").append(errors.size());
        }
        return sb.append(']').toString();
    }

    /** The group's future: cancelling it cancels everything inside. */
    private static final class Group<T> extends Future<T> {
        private final TaskGroup group;

        Group(EventLoop loop, TaskGroup group) {
            super(loop);
            this.group = group;
        }

        /**
         * Cancels the body and every child (once, however often it is called) and ends
         * cancelled when they are all done; true while the group has not finished.
         */
        @Override
        public boolean cancel(String message) {
            loop.checkThread("Future.cancel");
            if (isDone()) {
                return false;
            }
            if (group.cancelled == null) {
                group.cancelled = new CancellationException(message);
            }
            if (!group.aborting) {
                group.abort(message);
            }
            return true;
        }

        @Override
        void forEachAwaited(Consumer<? super Future<?>> action) {
            if (group.body != null && !group.bodyDone) {
                action.accept(group.body);
            }
            for (Task<?> child : group.children) {
                action.accept(child);
            }
        }

        @Override
        public String toString() {
            return "Future[" + group + ", " + describeState() + "]";
        }
    }
}
