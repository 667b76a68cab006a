package io.eventloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who awaits whom on one loop, now: every live task and the chain it waits on, as a tree. asyncio
 * 3.14's {@code asyncio.capture_call_graph()} / {@code print_call_graph()} and
 * {@code python -m asyncio pstree PID}, for a whole loop.
 * <pre>{@code
 * System.out.println(CallGraph.of(loop));   // any thread
 * }</pre>
 * prints, for a task {@code main} whose {@link TaskGroup} runs {@code sleeper} and
 * {@code gatherer}, which gathers a sleep and a task waiting on a queue (debug mode off):
 * <pre>
 * EventLoop@5ca881b5[running], 4 tasks
 * └── (T) main
 *     └── Future[TaskGroup[running, children=2], pending]
 *         ├── (T) sleeper
 *         │   └── Future[sleep, pending] (a timer completes it in 5.000 s)
 *         └── (T) gatherer
 *             └── Future[gather of 2, pending]
 *                 ├── Future[sleep, pending] (a timer completes it in 3.000 s)
 *                 └── (T) inner
 *                     └── AsyncQueue.get[pending]
 * </pre>
 * <ul>
 *   <li>The roots are the tasks no other task waits on. Under a task is what it waits on, followed
 *       through its continuations ({@code then}, {@code map}, ...) to the future at the end, as
 *       the shutdown report does: another task (its own subtree), a combinator ({@code gather},
 *       {@code wait}, {@code waitFor}, a {@code TaskGroup}'s body and children) with what it
 *       waits on under it, or the operation itself (a sleep with its time left, a read, a lock or
 *       queue waiter).</li>
 *   <li>In debug mode each task and continuation shows where it was created, and each
 *       continuation on the way is a level of its own, like a coroutine frame in asyncio's graph
 *       (at most 16 per chain). Without debug mode the chains are folded.</li>
 *   <li>A task waited on by several others is drawn in full under the first and marked
 *       "(shown above)" under the rest; so are the tasks of a cycle (a deadlock).</li>
 *   <li>The task that asks for the graph is "(running)"; a task created but not started yet is
 *       "(not started)"; a cancelled task still unwinding is "(cancelling)".</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@link #of(EventLoop)} may be called from any thread. On the loop thread it
 * reads the loop's state at once. From another thread it asks the loop through its one door
 * ({@link EventLoop#callSoonThreadsafe}) and waits for the answer, which the loop gives between two
 * callbacks: usually within microseconds, at most {@link #DEFAULT_TIMEOUT} (or the timeout given)
 * while a callback keeps the loop thread busy; then it throws. A loop that is not running cannot
 * answer another thread: its state belongs to the thread that runs it next.
 *
 * <p><b>Without a code change</b> ({@code docs/operations.md}, "Who awaits whom"): every Java
 * Flight Recorder recording holds an {@code io.eventloop.CallGraph} event per running loop at the
 * start and end of each chunk ({@code jcmd PID JFR.start}, then {@code JFR.dump}), and the system
 * property {@code eventloop.callGraphSignal} (for example {@code USR2}) makes that signal log the
 * call graph of every loop of the process.
 *
 * <p>Compared with a thread dump: a thread dump of a loop shows one thread in {@code select};
 * this shows the thousands of tasks multiplexed on it and what each is waiting for.
 */
public final class CallGraph {
    /** How long a call from another thread waits for the loop by default: one second. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Continuations drawn per chain in debug mode; the rest are counted. */
    private static final int MAX_FRAMES = 16;
    /** Levels of tasks and combinators drawn below a root; deeper ones are counted, not drawn. */
    private static final int MAX_DEPTH = 64;

    private final String loop;
    private final int taskCount;
    private final List<Node> roots;

    private CallGraph(String loop, int taskCount, List<Node> roots) {
        this.loop = loop;
        this.taskCount = taskCount;
        this.roots = roots;
    }

    /**
     * One node of the tree: a task, or a future a task waits on.
     *
     * @param task the task's name for a task, or null for a future that is not a task
     * @param description what the tree prints for it: a task's name, creation site (debug mode) and
     *        state ("(running)", "(not started)", "(cancelling)", "(shown above)"); a future's
     *        {@code toString}, with the time left on the timer that completes it
     * @param children what it waits on (for a task: one node, or none if it waits on nothing now)
     */
    public record Node(String task, String description, List<Node> children) {
        /**
         * Whether this node is a task.
         *
         * @return true for a task, false for another future
         */
        public boolean isTask() {
            return task != null;
        }
    }

    /**
     * {@link #of(EventLoop, Duration)} with {@link #DEFAULT_TIMEOUT}.
     *
     * @param loop the loop to look at
     * @return its tasks and what each waits on
     */
    public static CallGraph of(EventLoop loop) {
        return of(loop, DEFAULT_TIMEOUT);
    }

    /**
     * The call graph of {@code loop} now. Any thread: on the loop's thread it is read at once;
     * from another thread the loop is asked through {@link EventLoop#callSoonThreadsafe}, and this
     * waits up to {@code timeout} for its answer.
     *
     * @param loop the loop to look at
     * @param timeout how long another thread waits for the loop to answer
     * @return its tasks and what each waits on
     * @throws IllegalStateException if the loop is closed; or, from another thread, if it is not
     *         running, does not answer within {@code timeout} (a callback is blocking its thread:
     *         the watchdog names it), or this thread is interrupted while waiting (its interrupt
     *         flag is set again)
     */
    public static CallGraph of(EventLoop loop, Duration timeout) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(timeout, "timeout");
        loop.checkNotClosed("CallGraph.of");
        if (loop.inLoopThread()) {
            return build(loop);
        }
        if (!loop.isRunning()) {
            throw new IllegalStateException("CallGraph.of: " + loop + " is not running, so it cannot answer thread '"
                    + Thread.currentThread().getName() + "'; ask from its thread, or while it runs");
        }
        CompletableFuture<CallGraph> answer = request(loop);
        try {
            return answer.get(Clock.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new IllegalStateException("CallGraph.of: " + loop + " did not answer within " + timeout
                    + "; a callback is blocking its thread (Options.watchdog reports which)", e);
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("CallGraph.of: interrupted while waiting for " + loop, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Asks {@code loop}, from another thread, for its graph: the answer completes on the loop
     * thread, between two callbacks. Completes exceptionally if the loop is closed.
     */
    static CompletableFuture<CallGraph> request(EventLoop loop) {
        CompletableFuture<CallGraph> answer = new CompletableFuture<>();
        boolean sent = loop.callSoonThreadsafeIfOpen(() -> {
            if (!answer.isDone()) { // not given up on
                try {
                    answer.complete(build(loop));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            }
        });
        if (!sent) {
            answer.completeExceptionally(new IllegalStateException("CallGraph.of: " + loop + " is closed"));
        }
        return answer;
    }

    /**
     * The roots: the tasks no other task waits on, in the order they were created.
     *
     * @return the root nodes
     */
    public List<Node> roots() {
        return roots;
    }

    /**
     * How many tasks were live.
     *
     * @return the number of live tasks
     */
    public int taskCount() {
        return taskCount;
    }

    /**
     * The tree, as {@code pstree} draws one: a first line naming the loop and how many tasks
     * are live, then one line per node, "(T)" before a task.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(loop).append(", ").append(taskCount).append(taskCount == 1 ? " task" : " tasks");
        for (int i = 0; i < roots.size(); i++) {
            draw(sb, roots.get(i), "", i == roots.size() - 1);
        }
        return sb.toString();
    }

    private static void draw(StringBuilder sb, Node node, String indent, boolean last) {
        sb.append('\n').append(indent).append(last ? "└── " : "├── ");
        if (node.isTask()) {
            sb.append("(T) ");
        }
        sb.append(node.description());
        String below = indent + (last ? "    " : "│   ");
        List<Node> children = node.children();
        for (int i = 0; i < children.size(); i++) {
            draw(sb, children.get(i), below, i == children.size() - 1);
        }
    }

    // ================================================================== building it, on the loop thread

    /** Reads the loop's live tasks and what each waits on. Loop thread only. */
    private static CallGraph build(EventLoop loop) {
        List<Task<?>> tasks = loop.allTasks();
        Collections.reverse(tasks); // the live list starts with the newest
        Builder b = new Builder(loop);
        for (Task<?> t : tasks) {
            b.collectAwaited(t);
        }
        List<Node> roots = new ArrayList<>();
        for (Task<?> t : tasks) {
            if (!b.awaited.contains(t)) {
                roots.add(b.task(t, 0));
            }
        }
        for (Task<?> t : tasks) {
            if (!b.shown.contains(t)) { // only waited on by each other: a cycle
                roots.add(b.task(t, 0));
            }
        }
        return new CallGraph(loop.toString(), tasks.size(), List.copyOf(roots));
    }

    /** One graph being built. */
    private static final class Builder {
        private final EventLoop loop;
        /** The tasks some other task waits on: not roots. */
        final Set<Task<?>> awaited = Collections.newSetFromMap(new IdentityHashMap<>());
        /** The tasks drawn in full so far. */
        final Set<Task<?>> shown = Collections.newSetFromMap(new IdentityHashMap<>());

        Builder(EventLoop loop) {
            this.loop = loop;
        }

        /** Adds to {@link #awaited} the tasks {@code t} waits on, through continuations and combinators. */
        void collectAwaited(Task<?> t) {
            List<Future<?>> todo = new ArrayList<>();
            t.forEachAwaited(todo::add);
            Set<Future<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (!todo.isEmpty()) {
                Future<?> f = Diagnostics.innermost(todo.remove(todo.size() - 1));
                if (f instanceof Task<?> other) {
                    if (other != t) {
                        awaited.add(other);
                    }
                } else if (seen.add(f)) {
                    f.forEachAwaited(todo::add);
                }
            }
        }

        /** A task's node: the task, and what it waits on under it. */
        Node task(Task<?> t, int depth) {
            if (!shown.add(t)) {
                return new Node(t.name(), t.name() + " (shown above)", List.of());
            }
            StringBuilder d = new StringBuilder(t.name()).append(Diagnostics.site(t));
            if (t.notStarted()) {
                d.append(" (not started)");
            } else if (t == loop.currentTask) {
                d.append(" (running)");
            } else if (t.cancelling() > 0) {
                d.append(" (cancelling)");
            }
            List<Node> children = new ArrayList<>(1);
            t.forEachAwaited(f -> children.add(waitingOn(f, depth + 1)));
            return new Node(t.name(), d.toString(), List.copyOf(children));
        }

        /**
         * What {@code f} stands for under the task or combinator that waits on it: the chain of
         * continuations from {@code f} (drawn only where they have a creation site), then what is at
         * its end.
         */
        Node waitingOn(Future<?> f, int depth) {
            List<String> frames = new ArrayList<>();
            int folded = 0;
            while (f instanceof Waiting<?> w && !(f instanceof Task<?>) && w.awaited() != null) {
                if (w.site != null) {
                    if (frames.size() < MAX_FRAMES) {
                        frames.add(w.toString());
                    } else {
                        folded++;
                    }
                }
                f = w.awaited();
            }
            Node node = end(f, depth);
            if (folded > 0) {
                node = new Node(null, "... " + folded + " more continuations", List.of(node));
            }
            for (int i = frames.size() - 1; i >= 0; i--) {
                node = new Node(null, frames.get(i), List.of(node));
            }
            return node;
        }

        /** The future at the end of a chain: a task, a combinator and what it waits on, or the operation. */
        private Node end(Future<?> f, int depth) {
            if (f instanceof Task<?> t) {
                return depth > MAX_DEPTH ? new Node(t.name(), t.name() + " (deeper waits not shown)", List.of()) : task(t, depth);
            }
            List<Future<?>> parts = new ArrayList<>();
            f.forEachAwaited(parts::add);
            if (parts.isEmpty()) {
                return new Node(null, Diagnostics.waitedOn(f), List.of());
            }
            if (depth > MAX_DEPTH) {
                return new Node(null, f + " (deeper waits not shown)", List.of());
            }
            List<Node> children = new ArrayList<>(parts.size());
            for (Future<?> part : parts) {
                children.add(waitingOn(part, depth + 1));
            }
            return new Node(null, f.toString(), List.copyOf(children));
        }
    }
}
