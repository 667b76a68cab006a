package io.eventloop;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of one loop that are not done yet: an intrusive doubly linked list through
 * {@link Task#previousLive} / {@link Task#nextLive}, so adding and removing a task allocate
 * nothing and take O(1).
 *
 * <p>The loop holds its live tasks strongly, from {@link EventLoop#createTask} until the task
 * finishes. asyncio keeps them in a {@code WeakSet} and tells users to keep a reference, or a
 * task nobody holds may be collected mid-run (python/cpython#91887); here a pending task cannot
 * vanish, and {@link EventLoop#close()} names the ones still pending.
 *
 * <p>Loop thread only.
 */
final class LiveTasks {
    private final EventLoop loop;
    /** Head of the list; the most recently created task first. */
    private Task<?> head;
    private int count;
    /** The id of the last task created: "Task-N" numbers tasks from 1, per loop. */
    private long lastId;

    LiveTasks(EventLoop loop) {
        this.loop = loop;
    }

    /** The id of the next task. */
    long nextId() {
        return ++lastId;
    }

    /** Links a task just created. */
    void add(Task<?> task) {
        task.nextLive = head;
        if (head != null) {
            head.previousLive = task;
        }
        head = task;
        count++;
    }

    /** Unlinks a task that has finished; nothing if it is not linked (the loop closed). */
    void remove(Task<?> task) {
        Task<?> prev = task.previousLive;
        Task<?> next = task.nextLive;
        if (prev != null) {
            prev.nextLive = next;
        } else if (head == task) {
            head = next;
        } else {
            return; // not linked (the loop closed)
        }
        if (next != null) {
            next.previousLive = prev;
        }
        task.previousLive = null;
        task.nextLive = null;
        count--;
    }

    /** Number of live tasks; for {@link EventLoop#metrics()}. */
    int count() {
        return count;
    }

    /** {@link EventLoop#allTasks()}: the live tasks, in no particular order. */
    List<Task<?>> all() {
        loop.checkThread("EventLoop.allTasks");
        List<Task<?>> all = new ArrayList<>(count);
        for (Task<?> t = head; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    /**
     * The end of {@link EventLoop#run}: cancels every live task and runs the loop until they are
     * done, reporting those that fail while cancelling. asyncio's {@code runners._cancel_all_tasks}.
     */
    void cancelAll() {
        List<Task<?>> leftovers = all();
        if (leftovers.isEmpty()) {
            return;
        }
        if (loop.debug) {
            for (Task<?> t : leftovers) {
                Diagnostics.warn("EventLoop.run(): main is done; cancelling " + t);
            }
        }
        for (Task<?> t : leftovers) {
            t.cancel();
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Future<Object>> all = (List) leftovers;
        loop.runUntilComplete(Async.gatherSettled(all));
        for (Task<?> t : leftovers) {
            if (t.state() == Future.FAILED) {
                loop.callExceptionHandler(new ErrorContext("unhandled exception during EventLoop.run() shutdown",
                        (Throwable) t.rawResult(), null, t, t));
            }
        }
    }

    /**
     * At {@link EventLoop#close()}: reports each task still pending to the exception handler
     * ("Task was destroyed but it is pending", asyncio's words when a pending task is collected).
     */
    void reportPending() {
        for (Task<?> t = head; t != null; t = t.nextLive) {
            // The task's toString says where it was created (debug mode) and what it waits on.
            loop.callExceptionHandler(new ErrorContext("Task was destroyed but it is pending", null, null, t, t));
        }
    }

    /**
     * At {@link EventLoop#close()}, after {@link #reportPending()}: each pending task whose body
     * runs in steps ({@link Task.Stepper}) lets go of it, so a suspended body runs its
     * {@code finally} blocks instead of being dropped; a failure there is reported.
     */
    void abandonPending() {
        for (Task<?> t = head; t != null; t = t.nextLive) {
            try {
                t.abandon();
            } catch (Throwable e) {
                loop.callExceptionHandler(new ErrorContext("closing the loop: a pending task failed to let go of its body",
                        e, null, t, t));
            }
        }
    }

    /** At {@link EventLoop#close()}: forgets every task, even if reporting them failed. */
    void clear() {
        head = null;
        count = 0;
    }
}
