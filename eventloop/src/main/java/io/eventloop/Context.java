package io.eventloop;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The values of the {@link TaskLocal}s that a piece of code sees: asyncio's
 * {@code contextvars.Context}. Immutable: {@link TaskLocal#set} makes a new one and puts it where
 * the old one was, so "copying" a context (a task taking its creator's, a callback capturing the
 * one current when it was scheduled) is sharing a reference. The empty context is {@code null}:
 * fields that hold a context start out empty, and code that never gives a {@code TaskLocal} a
 * value never allocates one.
 *
 * <p><b>Where the current context is kept.</b> There is no "current context" variable switched on
 * every step; the current context is wherever the running code keeps its own:
 * <ol>
 *   <li>in a task's step or a continuation of that task: the task ({@link Waiting#context}), which
 *       {@code set} replaces, so the task's later steps and the tasks it creates afterwards see
 *       the new value. A step makes its task current, as it always did; that is all it costs;</li>
 *   <li>in any other callback of a running loop: {@link Scheduler#context}, filled in by what runs
 *       with a captured context (a {@link Handle}, an {@code onDone} callback, a continuation
 *       created outside tasks) and cleared by the scheduler after every callback, so a value set
 *       in one callback never reaches the next;</li>
 *   <li>anywhere else (another thread, an executor thread running carried work, the loop's own
 *       thread between runs): the thread's, in a thread-local.</li>
 * </ol>
 * Compared with asyncio, where every callback and task step enters its context
 * ({@code Context.run}): the same values are seen, without a switch per step.
 *
 * <p><b>Mirrors.</b> A local with a mirror ({@link TaskLocal#mirrorTo}) has its value copied into
 * a thread-bound store (SLF4J's MDC) whenever the context on a thread changes: the scheduler
 * does it before each callback, in its instrumented loop (taken only while some mirror exists), and
 * the calls here do it when they change the context.
 */
final class Context {
    /** "No value": what {@link #lookup} returns for a local the context does not hold. */
    static final Object MISSING = new Object();
    /** Never the context of anything: what the scheduler's mirrored context is before it knows. */
    static final Context UNKNOWN = new Context(new Object[0]);
    /**
     * Never the context of anything: the scheduler's context outside a run, where the thread's
     * own applies. A marker rather than a read of the volatile {@code running} flag, which
     * {@link #capture} would pay on every callSoon (measured: about 2 ns of a 13 ns hop).
     */
    static final Context NOT_RUNNING = new Context(new Object[0]);
    /** A thread's own context: other threads, executor work, the loop thread between runs. */
    private static final ThreadLocal<Context> THREAD = new ThreadLocal<>();
    private static final TaskLocal<?>[] NO_MIRRORS = new TaskLocal<?>[0];
    /** The locals with a mirror; replaced whole (copy on write) under {@link #MIRRORS_LOCK}. Any thread. */
    private static volatile TaskLocal<?>[] mirrored = NO_MIRRORS;
    /** Whether {@link #mirrored} is not empty: read by the scheduler once per iteration. Any thread. */
    static volatile boolean mirroring;
    /**
     * How many times the mirrored locals changed: a scheduler that sees a new count forgets which
     * context its thread's mirrors show, so a sink added later is given the next one. Any thread.
     */
    static volatile int mirrorsVersion;
    private static final Object MIRRORS_LOCK = new Object();

    /**
     * The locals and their values, alternating: {@code [local, value, local, value, ...]}. A
     * handful at most in practice, so a linear search by identity beats a hash map, and a new
     * context is one array copy.
     */
    private final Object[] entries;

    private Context(Object[] entries) {
        this.entries = entries;
    }

    // ================================================================== the values

    /** The value of {@code local} in {@code c}, or {@link #MISSING}. */
    static Object lookup(Context c, TaskLocal<?> local) {
        if (c != null) {
            Object[] e = c.entries;
            for (int i = 0; i < e.length; i += 2) {
                if (e[i] == local) {
                    return e[i + 1];
                }
            }
        }
        return MISSING;
    }

    /** {@code c} with {@code local} set to {@code value}, or removed when {@code value} is {@link #MISSING}. */
    static Context with(Context c, TaskLocal<?> local, Object value) {
        Object[] e = c == null ? new Object[0] : c.entries;
        int at = -1;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == local) {
                at = i;
                break;
            }
        }
        if (value == MISSING) {
            if (at < 0) {
                return c;
            }
            if (e.length == 2) {
                return null;
            }
            Object[] fewer = new Object[e.length - 2];
            System.arraycopy(e, 0, fewer, 0, at);
            System.arraycopy(e, at + 2, fewer, at, e.length - at - 2);
            return new Context(fewer);
        }
        if (at >= 0) {
            Object[] copy = e.clone();
            copy[at + 1] = value;
            return new Context(copy);
        }
        Object[] more = Arrays.copyOf(e, e.length + 2);
        more[e.length] = local;
        more[e.length + 1] = value;
        return new Context(more);
    }

    // ================================================================== where the current one is

    /** The context the code running on this thread sees. Any thread. */
    static Context current() {
        EventLoop loop = LoopRuns.running();
        if (loop == null) {
            return THREAD.get();
        }
        Task<?> t = loop.currentTask;
        return t != null ? t.context : loop.scheduler.context;
    }

    /**
     * What a task, callback or continuation made now on {@code loop}'s thread takes: the current
     * context (asyncio's {@code copy_context()}, which costs a reference here). Cheap on the paths
     * every step and callback takes: two or three field reads, none of them volatile.
     */
    static Context capture(EventLoop loop) {
        Task<?> t = loop.currentTask;
        if (t != null) {
            return t.context;
        }
        Context c = loop.scheduler.context;
        return c != NOT_RUNNING ? c : current(); // not running: this thread's, or another loop's run
    }

    /** Makes {@code c} the current context, where {@link #current()} found the one it replaces. */
    static void replace(Context c) {
        EventLoop loop = LoopRuns.running();
        if (loop == null) {
            if (c == null) {
                THREAD.remove();
            } else {
                THREAD.set(c);
            }
        } else if (loop.currentTask != null) {
            loop.currentTask.context = c;
        } else {
            loop.scheduler.context = c;
        }
        if (mirroring) {
            mirror(c);
            if (loop != null) {
                loop.scheduler.mirroredContext = c;
            }
        }
    }

    /** Who a {@link TaskLocal.Token} belongs to: the running task, else the thread. */
    static Object owner() {
        EventLoop loop = LoopRuns.running();
        Task<?> t = loop == null ? null : loop.currentTask;
        return t != null ? t : Thread.currentThread();
    }

    /** Runs {@code body} with {@code c} as the current context, then puts back the one before. */
    static <R> R callIn(Context c, Supplier<R> body) {
        Context saved = current();
        replace(c);
        try {
            return body.get();
        } finally {
            replace(saved);
        }
    }

    /**
     * Runs a callback scheduled in context {@code c} (not null): a {@link Handle}'s or an
     * {@code onDone} callback. On the loop, outside a task step, {@code c} becomes the scheduler's
     * context for the callback; anywhere else, as {@link #callIn}.
     */
    static void runCallback(Context c, Runnable callback) {
        EventLoop loop = LoopRuns.running();
        if (loop == null || loop.currentTask != null) {
            callIn(c, () -> {
                callback.run();
                return null;
            });
            return;
        }
        Scheduler s = loop.scheduler;
        Context saved = s.context;
        s.context = c;
        try {
            callback.run();
        } finally {
            s.context = saved;
        }
    }

    /**
     * {@code work} carrying {@code c} to whatever thread calls it ({@link EventLoop#runInExecutor},
     * {@link Async#toThread}): {@code c} is current while it runs, and the thread's own context is
     * back afterwards, so nothing is left on a pool thread, not even what the work itself sets
     * (asyncio's {@code to_thread} runs the function in a copy of the context). Wrapped even when
     * {@code c} is empty, for that reason: an allocation and two thread-local reads per call, next
     * to a hand-off between threads that costs microseconds.
     */
    static <V> Callable<V> carry(Context c, Callable<V> work) {
        return new Callable<>() {
            @Override
            public V call() throws Exception {
                Context saved = current();
                if (c != saved) {
                    replace(c);
                }
                try {
                    return work.call();
                } finally {
                    if (current() != saved) {
                        replace(saved);
                    }
                }
            }

            @Override
            public String toString() {
                return String.valueOf(work);
            }
        };
    }

    /** The context {@code callback} runs in, if the scheduler can tell: for mirrors. Loop thread. */
    static Context of(Runnable callback) {
        if (callback instanceof Task.Step s) {
            return s.task().context;
        }
        if (callback instanceof Waiting<?> w) {
            return w.owner != null ? w.owner.context : w.context;
        }
        if (callback instanceof Handle h) {
            return h.context;
        }
        if (callback instanceof Future.DoneCallback<?> d) {
            return d.context();
        }
        return null;
    }

    // ================================================================== mirrors

    /** Adds or removes {@code local} from the mirrored locals. */
    static void setMirrored(TaskLocal<?> local, boolean on) {
        synchronized (MIRRORS_LOCK) {
            TaskLocal<?>[] now = mirrored;
            int at = Arrays.asList(now).indexOf(local);
            if (on && at < 0) {
                TaskLocal<?>[] more = Arrays.copyOf(now, now.length + 1);
                more[now.length] = local;
                mirrored = more;
            } else if (!on && at >= 0) {
                TaskLocal<?>[] fewer = new TaskLocal<?>[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, at);
                System.arraycopy(now, at + 1, fewer, at, now.length - at - 1);
                mirrored = fewer;
            }
            mirroring = mirrored.length > 0;
            mirrorsVersion++;
        }
    }

    /** Copies the values {@code c} holds (or the defaults) into every mirror. Any thread. */
    static void mirror(Context c) {
        for (TaskLocal<?> local : mirrored) {
            local.mirror(c);
        }
    }

    /** A run ends: the loop thread's mirrors show the thread's own context again. */
    static void runEnded() {
        if (mirroring) {
            mirror(THREAD.get());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Context{");
        for (int i = 0; i < entries.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(((TaskLocal<?>) entries[i]).name()).append('=').append(entries[i + 1]);
        }
        return sb.append('}').toString();
    }
}
