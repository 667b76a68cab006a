package io.eventloop;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value that each task sees its own copy of, which the tasks it creates inherit: asyncio's
 * {@code contextvars.ContextVar}. A request id, a user, a tracing span: what a thread-local holds
 * in a thread-per-request server, but on a loop that runs thousands of requests on one thread.
 * <pre>{@code
 * static final TaskLocal<String> REQUEST_ID = new TaskLocal<>("requestId");
 *
 * Future<Response> handle(Request r) {            // run as a task per request
 *     REQUEST_ID.set(r.id());
 *     return authorise(r)                          // continuations see r.id() ...
 *             .then(user -> Async.toThread(() -> db.load(user)))  // ... so does the executor thread
 *             .map(row -> respond(row));
 * }
 * }</pre>
 *
 * <p><b>Who sees what</b> (asyncio's rules):
 * <ul>
 *   <li>A task takes a copy of the context current where it is created ({@link EventLoop#createTask},
 *       {@link TaskGroup#spawn}, {@link EventLoop#submit}): its creator task's, or, outside any
 *       task, the creating callback's or thread's. Copying costs one reference: contexts are
 *       immutable, and {@link #set} makes a new one.</li>
 *   <li>{@link #set} in a task is seen by that task (its later steps, every continuation of it:
 *       {@code then}, {@code map}, {@code recover}, ...) and by the tasks it creates afterwards; never by
 *       its parent, its siblings, or tasks it created before. Continuations belong to the task that
 *       created them, so two futures of one task ({@code Async.gather(a(), b())}) share its
 *       context: make them tasks to give each its own, as asyncio's {@code gather} does.</li>
 *   <li>A callback ({@link EventLoop#callSoon}, {@link EventLoop#callLater},
 *       {@link EventLoop#callAt}, {@link EventLoop#callSoonThreadsafe}, {@link Future#onDone})
 *       runs in the context current when it was scheduled (asyncio's {@code context=} default,
 *       {@code copy_context()}); a {@code set} inside it ends with it. So does a continuation
 *       created outside any task.</li>
 *   <li>{@link EventLoop#runInExecutor} and {@link Async#toThread} carry the caller's context to
 *       the executor thread for the duration of the call, and restore that thread's own
 *       afterwards: nothing is left on a pool thread, and a {@code set} there does not come back.
 *       For other hand-offs to threads, {@link #wrap(Runnable)}.</li>
 *   <li>Other threads, and the loop's thread between runs, have a context of their own, as with
 *       contextvars in threads.</li>
 *   <li>I/O callbacks ({@code Protocol} methods, readers added with {@link EventLoop#addReader}) and
 *       the tasks {@code startServer} creates for connections start with an empty context, where
 *       asyncio's inherit the context that started the server: set what a connection needs in its
 *       handler.</li>
 * </ul>
 *
 * <p><b>Values and resets.</b> {@link #get()} returns the value, else the default given to the
 * constructor (null if none). {@link #set} returns a {@link Token}; closing it (or
 * {@link #reset}) puts back the value from before that {@code set}, in the same task or thread:
 * {@code try (var t = USER.set(u)) { ... }}, as with Python 3.14's {@code with var.set(u):}. For a
 * synchronous scope, {@link #callWith} and {@link #runWith} ({@code copy_context().run(...)}).
 *
 * <p><b>Thread-bound stores.</b> {@link #mirrorTo} keeps a store such as SLF4J's MDC in step with
 * the local on every thread that runs code in a context, so log lines carry the request id
 * without code at each call; see {@code docs/guide.md}, "Task-local values".
 *
 * <p><b>Compared with {@code ThreadLocal} and {@code ScopedValue}:</b> a thread-local follows the
 * thread, and a loop thread runs every task; this follows the task. A {@code ScopedValue} (JDK 25)
 * is bound for the extent of a call on one thread; a task's continuations run later, outside that
 * extent, and still see a {@code TaskLocal}.
 *
 * @param <T> the value type
 */
public final class TaskLocal<T> {
    private final String name;
    private final T defaultValue;
    /** What {@link #mirrorTo} installed, or null. Any thread. */
    private volatile Consumer<? super T> mirror;

    /**
     * A local named {@code name} (for messages) whose value is null where it is not set.
     *
     * @param name what messages call it
     */
    public TaskLocal(String name) {
        this(name, null);
    }

    /**
     * A local named {@code name} whose value is {@code defaultValue} where it is not set: {@code ContextVar(name, default=...)}.
     *
     * @param name what messages call it
     * @param defaultValue the value seen where none is set
     */
    public TaskLocal(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /**
     * The name given to the constructor.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value the running code sees: the one set in its task (or callback, or thread), else the
     * one inherited, else the default. Any thread. asyncio's {@code ContextVar.get()}.
     *
     * @return the value seen by the running code
     */
    public T get() {
        return valueIn(Context.current());
    }

    /**
     * Whether the running code sees a value set for this local (not the default): {@code var in copy_context()}.
     *
     * @return true if a value was set, false if the default is seen
     */
    public boolean isSet() {
        return Context.lookup(Context.current(), this) != Context.MISSING;
    }

    /**
     * Sets the value for the running task (its later steps and continuations, and the tasks it
     * creates from now on), or for the running callback, or for this thread: asyncio's
     * {@code ContextVar.set()}. Tasks created before, the parent task and sibling tasks keep what
     * they had. {@code null} is a value like any other.
     *
     * @param value the new value
     * @return a token that puts back the previous value when closed (or passed to {@link #reset})
     */
    public Token set(T value) {
        Context c = Context.current();
        Object previous = Context.lookup(c, this);
        Context.replace(Context.with(c, this, value));
        return new Token(this, previous, Context.owner());
    }

    /**
     * Puts back the value {@code token}'s {@link #set} replaced (or no value, if there was none),
     * whatever was set since: asyncio's {@code ContextVar.reset()}. Same as {@code token.close()}.
     *
     * @param token what {@link #set} returned
     * @throws IllegalArgumentException if the token is another local's
     * @throws IllegalStateException if it was used already, or was made in another task or thread
     */
    public void reset(Token token) {
        Objects.requireNonNull(token, "token");
        if (token.local != this) {
            throw new IllegalArgumentException(token + " belongs to " + token.local + ", not " + this);
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used to reset " + this);
        }
        Object owner = Context.owner();
        if (owner != token.owner) {
            throw new IllegalStateException(token + " was made in " + describe(token.owner) + "; it cannot reset "
                    + this + " in " + describe(owner));
        }
        token.used = true;
        Context.replace(Context.with(Context.current(), this, token.previous));
    }

    /**
     * Calls {@code body} with this local set to {@code value} and returns what it returns; then
     * every local is as before, including any {@code set} inside {@code body}: asyncio's
     * {@code copy_context().run(...)} with the value set first. A synchronous scope: tasks created
     * inside take the value with them, while continuations created inside run later, in their
     * task's context as it is then. To give asynchronous work a value of its own, set it in the
     * task that does the work, or create that task here: {@code REQUEST_ID.callWith(id, () ->
     * loop.createTask(() -> handle(request)))}.
     *
     * @param <R> the result type
     * @param value the value {@code body} sees
     * @param body the code to run
     * @return what {@code body} returned
     */
    public <R> R callWith(T value, Supplier<? extends R> body) {
        Objects.requireNonNull(body, "body");
        return Context.callIn(Context.with(Context.current(), this, value), body::get);
    }

    /**
     * {@link #callWith} for a body that returns nothing.
     *
     * @param value the value {@code body} sees
     * @param body the code to run
     */
    public void runWith(T value, Runnable body) {
        Objects.requireNonNull(body, "body");
        callWith(value, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Keeps a thread-bound store in step with this local: {@code sink} receives the value (or the
     * default) that code is about to see on its thread, each time that changes: before a
     * callback, task step or continuation on a loop, whose context differs from the one before;
     * around executor work that {@link EventLoop#runInExecutor} carries a context to (and with
     * the thread's own value after it); and when {@link #set}, {@link #reset}, {@link #callWith}
     * or {@link #wrap} change the context. The bridge to SLF4J's MDC:
     * <pre>{@code
     * REQUEST_ID.mirrorTo(id -> {
     *     if (id == null) MDC.remove("requestId"); else MDC.put("requestId", id);
     * });
     * }</pre>
     * A local has one sink; {@code null} removes it. While any local has a sink, every loop runs
     * its callbacks through its instrumented path (as debug mode does), with a sink call per
     * change of context; with none, this costs nothing. A sink runs on the loop thread for loop
     * code: keep it short, and it must not throw (what it throws is logged and ignored).
     *
     * @param sink what receives each value the running thread is about to see; null to remove it
     * @return this local
     */
    public TaskLocal<T> mirrorTo(Consumer<? super T> sink) {
        mirror = sink;
        Context.setMirrored(this, sink != null);
        return this;
    }

    /**
     * {@code body} carrying the context current now: wherever it runs (a thread pool of your own,
     * a {@code CompletableFuture} stage, a timer thread), it sees this moment's values of every
     * {@code TaskLocal} while it runs, and the running thread's own afterwards:
     * {@code copy_context().run}. Each run starts from the values captured here.
     *
     * @param body the code to carry the context to
     * @return {@code body}, run in the context captured now
     */
    public static Runnable wrap(Runnable body) {
        Objects.requireNonNull(body, "body");
        Context c = Context.current();
        return () -> Context.callIn(c, () -> {
            body.run();
            return null;
        });
    }

    /**
     * {@link #wrap(Runnable)} for a {@link Callable}.
     *
     * @param <V> the result type
     * @param body the code to carry the context to
     * @return {@code body}, called in the context captured now
     */
    public static <V> Callable<V> wrap(Callable<V> body) {
        Objects.requireNonNull(body, "body");
        return Context.carry(Context.current(), body);
    }

    /** The value of this local in {@code c}, or the default. */
    @SuppressWarnings("unchecked")
    T valueIn(Context c) {
        Object v = Context.lookup(c, this);
        return v == Context.MISSING ? defaultValue : (T) v;
    }

    /** Gives the sink the value in {@code c}; what the sink throws is logged. */
    void mirror(Context c) {
        Consumer<? super T> sink = mirror;
        if (sink == null) {
            return;
        }
        try {
            sink.accept(valueIn(c));
        } catch (RuntimeException e) {
            LoopLog.error(EventLoop.class, "the mirror of " + this + " threw; it is ignored", e);
        }
    }

    private static String describe(Object owner) {
        return owner instanceof Task<?> t ? "task '" + t.name() + "'" : "thread '" + ((Thread) owner).getName() + "'";
    }

    @Override
    public String toString() {
        return "TaskLocal[" + name + "]";
    }

    /**
     * What {@link #set} returns: closing it puts back the value from before that {@code set}
     * ({@link TaskLocal#reset}), once, in the task or thread that made it. asyncio's
     * {@code contextvars.Token}, a context manager since Python 3.14 as this is an
     * {@link AutoCloseable}.
     */
    public static final class Token implements AutoCloseable {
        private final TaskLocal<?> local;
        /** The value before the set, or {@link Context#MISSING}. */
        private final Object previous;
        /** The task, else the thread, that made it. */
        private final Object owner;
        private boolean used;

        private Token(TaskLocal<?> local, Object previous, Object owner) {
            this.local = local;
            this.previous = previous;
            this.owner = owner;
        }

        /**
         * The local this token resets.
         *
         * @return the local
         */
        public TaskLocal<?> local() {
            return local;
        }

        /**
         * Resets the local: {@link TaskLocal#reset}.
         *
         * @throws IllegalStateException if the token was used already, or was made in another task or thread
         */
        @Override
        public void close() {
            local.reset(this);
        }

        @Override
        public String toString() {
            return "Token[" + local.name() + (used ? ", used" : "") + "]";
        }
    }
}
