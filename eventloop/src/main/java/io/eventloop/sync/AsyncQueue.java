package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.Objects;

/**
 * A first-in, first-out queue between tasks: asyncio's {@code asyncio.Queue}.
 * <pre>{@code
 * AsyncQueue<Job> jobs = new AsyncQueue<>(100);            // at most 100 waiting jobs
 * producer: jobs.put(job)                                  // waits while the queue is full
 * consumer: Async.repeat(() -> jobs.get().then(job -> run(job)).map(v -> { jobs.taskDone(); return true; }))
 * }</pre>
 * {@link #put} and {@link #get} return futures that wait (for room, for an item);
 * {@link #offer} and {@link #poll} never wait; {@link #putNowait} and {@link #getNowait} are their
 * throwing forms, asyncio's {@code put_nowait} / {@code get_nowait}. Items are never null.
 * {@link #taskDone()} and {@link #join()} count work in progress; {@link #shutdown} ends the queue.
 *
 * <p><b>Fairness.</b> Getters and putters are served in FIFO order. An item put while a getter
 * waits goes straight to the oldest getter. Room made by a get is promised to the oldest waiting
 * putter at once ({@link #isFull()} counts it), and its item enters the queue right after that
 * putter resumes, as in asyncio, where a woken putter puts its item when it runs.
 *
 * <p><b>Cancellation</b> never loses or duplicates an item:
 * <ul>
 *   <li>A cancelled {@code get()} or {@code put()} that was still waiting leaves its list at
 *       once; a put whose awaiter sees the cancellation never enters its item.</li>
 *   <li>A getter handed an item and cancelled before it resumes gives the item back to the front
 *       of the queue, or to the next waiting getter (bpo-23812). Given back to a queue that filled
 *       up meanwhile, the item may make it hold one more than {@code maxSize} for a moment.</li>
 *   <li>A putter that was promised room and is cancelled before it resumes gives the room to the
 *       next putter; its item never enters the queue.</li>
 * </ul>
 * These hold at the await of the future {@code get()} / {@code put()} returns; await it once.
 *
 * <p><b>Compared with {@code java.util.concurrent.ArrayBlockingQueue}:</b> the same
 * {@code put} / {@code offer} / {@code poll} vocabulary without blocking a thread, plus asyncio's
 * {@code taskDone} / {@code join} and {@code shutdown}. Loop thread only.
 *
 * @param <T> the item type
 */
public class AsyncQueue<T> extends LoopBound {
    private final int maxSize;
    private final Store<T> items;
    /** Getters waiting for an item (only while the queue is empty), oldest first. */
    private final WaitList<Getter<T>> getters = new WaitList<>();
    /** Putters waiting for room (only while the queue is full), oldest first. */
    private final WaitList<Putter<T>> putters = new WaitList<>();
    /** Tasks in {@link #join()}. */
    private final WaitList<Joiner> joiners = new WaitList<>();
    /** Slots promised to putters that were let in and have not resumed yet; their items follow. */
    private int reserved;
    /** Items put (or promised a slot) and not yet marked done by {@link #taskDone()}. */
    private int unfinished;
    private boolean shutDown;
    /** Whether {@code shutdown(true)} dropped the items: items given back later are dropped too. */
    private boolean drained;
    /** The completed future a put that did not wait returns; shared. */
    private Future<Void> putDone;
    private Future<Void> joined;

    /** An unbounded FIFO queue. */
    public AsyncQueue() {
        this(0);
    }

    /**
     * A FIFO queue of at most {@code maxSize} items; 0 means unbounded.
     *
     * @param maxSize the most items the queue holds before puts wait; 0 for no limit
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public AsyncQueue(int maxSize) {
        this(maxSize, new Store.Ordered<>(false));
    }

    AsyncQueue(int maxSize, Store<T> items) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("a queue's maxSize must be >= 0 (0: unbounded), not " + maxSize);
        }
        this.maxSize = maxSize;
        this.items = items;
    }

    @Override
    final void bound(EventLoop loop) {
        putDone = new PutDone(loop);
        joined = completed(loop, null);
    }

    // ------------------------------------------------------------------ putting

    /**
     * Puts {@code item}: a future that completes once the item is in the queue (or handed to a
     * getter), at once if there is room. asyncio's {@code await queue.put(item)}.
     *
     * @param item the item to put
     * @return the future; failed with {@link QueueShutDownException} if the queue is shut down,
     *         or gets shut down while the put waits
     * @throws NullPointerException if {@code item} is null
     * @throws ClassCastException if the queue orders items naturally and {@code item} is not
     *         {@link Comparable}
     */
    public final Future<Void> put(T item) {
        Objects.requireNonNull(item, "item");
        EventLoop loop = loop("AsyncQueue.put");
        items.check(item);
        if (shutDown) {
            return failed(loop, shutDownError("put"));
        }
        if (!isFull()) {
            enqueue(item);
            return putDone;
        }
        Putter<T> p = new Putter<>(loop, this, item);
        putters.add(p);
        return p;
    }

    /**
     * Puts {@code item} if there is room, without waiting.
     *
     * @param item the item to put
     * @return false, changing nothing, if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public final boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        loop("AsyncQueue.offer");
        items.check(item);
        if (shutDown) {
            throw shutDownError("offer");
        }
        if (isFull()) {
            return false;
        }
        enqueue(item);
        return true;
    }

    /**
     * {@link #offer} that throws when full: asyncio's {@code put_nowait}.
     *
     * @param item the item to put
     * @throws QueueFullException if the queue is full, changing nothing
     * @throws QueueShutDownException if the queue is shut down
     */
    public final void putNowait(T item) {
        if (!offer(item)) {
            throw new QueueFullException("putNowait on a full " + this);
        }
    }

    /** A new item: to the oldest waiting getter, else into the queue. */
    private void enqueue(T item) {
        Getter<T> g = getters.poll();
        if (g != null) {
            g.hand(item);
        } else {
            items.add(item); // first: a comparator that throws leaves the count as it was
        }
        unfinished++;
    }

    // ------------------------------------------------------------------ getting

    /**
     * Takes the next item: a future that completes with it, at once if the queue is not empty.
     * asyncio's {@code await queue.get()}.
     *
     * @return the future; failed with {@link QueueShutDownException} if the queue is shut down
     *         and empty, or gets shut down while the get waits
     */
    public final Future<T> get() {
        EventLoop loop = loop("AsyncQueue.get");
        if (items.size() == 0 && shutDown && reserved == 0) {
            return failed(loop, shutDownError("get"));
        }
        Getter<T> g = new Getter<>(loop, this);
        if (items.size() > 0) {
            g.hand(take());
        } else {
            getters.add(g);
        }
        return g;
    }

    /**
     * Takes the next item without waiting.
     *
     * @return the item, or null if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public final T poll() {
        loop("AsyncQueue.poll");
        if (items.size() > 0) {
            return take();
        }
        if (shutDown && reserved == 0) {
            throw shutDownError("poll");
        }
        return null;
    }

    /**
     * {@link #poll} that throws when empty: asyncio's {@code get_nowait}.
     *
     * @return the item taken from the queue
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public final T getNowait() {
        T item = poll();
        if (item == null) {
            throw new QueueEmptyException("getNowait on an empty " + this);
        }
        return item;
    }

    /** Takes the next stored item; the room it leaves goes to the oldest putter. */
    private T take() {
        T item = items.take();
        admitPutters();
        return item;
    }

    /** Promises the free room to the oldest putters; each item follows once its putter resumed. */
    private void admitPutters() {
        Putter<T> p;
        while (!isFull() && (p = putters.poll()) != null) {
            reserved++;
            unfinished++; // counted from now, so a join() cannot complete before the item is in
            p.admit();
        }
    }

    /** A let-in putter resumed: its item enters (to the oldest getter first). */
    private void admitted(T item) {
        reserved--;
        if (drained) {
            itemDone(); // shutdown(true) came first: dropped like the rest, and counted done
        } else {
            Getter<T> g = getters.poll();
            if (g != null) {
                g.hand(item);
            } else {
                items.add(item);
            }
        }
        if (shutDown && reserved == 0) {
            failGetters(); // those that waited for this item and found none left
        }
    }

    /** A let-in putter was cancelled before it resumed: its room goes to the next putter. */
    private void admissionWithdrawn() {
        reserved--;
        itemDone();
        admitPutters();
        if (shutDown && reserved == 0) {
            failGetters();
        }
    }

    /** An item taken for a getter that was cancelled before it resumed: it is the next one out. */
    private void giveBack(T item) {
        if (drained) {
            itemDone(); // shutdown(true) dropped everything; this one too
            return;
        }
        Getter<T> g = getters.poll();
        if (g != null) {
            g.hand(item);
        } else {
            items.giveBack(item);
        }
    }

    // ------------------------------------------------------------------ state

    /**
     * Items in the queue (not counting items handed to getters).
     *
     * @return the number of items queued
     */
    public final int size() {
        return items.size();
    }

    /**
     * Whether the queue holds no item.
     *
     * @return true if there is no item to take
     */
    public final boolean isEmpty() {
        return items.size() == 0;
    }

    /**
     * Whether a put would wait: {@code maxSize > 0} and the items queued, plus the room promised
     * to putters that have not resumed yet, reach it.
     *
     * @return true if a put would wait
     */
    public final boolean isFull() {
        return maxSize > 0 && items.size() + reserved >= maxSize;
    }

    /**
     * The capacity given at construction; 0 means unbounded.
     *
     * @return the capacity, or 0
     */
    public final int maxSize() {
        return maxSize;
    }

    // ------------------------------------------------------------------ taskDone / join

    /**
     * Marks one item as processed: asyncio's {@code task_done()}. When every item put has been
     * marked, {@link #join()} completes.
     *
     * @throws IllegalArgumentException if called more times than items were put (asyncio's
     *         ValueError), changing nothing
     */
    public final void taskDone() {
        loop("AsyncQueue.taskDone");
        if (unfinished <= 0) {
            throw new IllegalArgumentException("taskDone() called more times than items were put into " + this);
        }
        itemDone();
    }

    private void itemDone() {
        if (unfinished > 0 && --unfinished == 0) {
            Joiner j;
            while ((j = joiners.poll()) != null) {
                j.complete(null);
            }
        }
    }

    /**
     * A future that completes once every item put has been marked with {@link #taskDone()}, at
     * once if none is outstanding: asyncio's {@code await queue.join()}.
     *
     * @return a future that completes once no item is outstanding
     */
    public final Future<Void> join() {
        EventLoop loop = loop("AsyncQueue.join");
        if (unfinished == 0) {
            return joined;
        }
        Joiner j = new Joiner(loop);
        joiners.add(j);
        return j;
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Shuts the queue down: asyncio 3.13's {@code shutdown(immediate)}. From now on puts fail with
     * {@link QueueShutDownException}, and so do the puts waiting now. Gets go on taking the items
     * left, then fail the same way; the gets waiting now (the queue is empty) fail at once.
     * With {@code immediate}, the items left are dropped and counted as done, which may complete
     * {@link #join()}. Calling it again does nothing more, except that {@code immediate} still
     * drops what is left.
     *
     * @param immediate whether to drop the items left instead of letting gets take them
     */
    public final void shutdown(boolean immediate) {
        loop("AsyncQueue.shutdown");
        shutDown = true;
        if (immediate) {
            drained = true;
            for (int n = items.size(); n > 0; n--) {
                itemDone();
            }
            items.clear();
        }
        if (reserved == 0) {
            failGetters(); // else they wait for the items of the putters already let in
        }
        Putter<T> p;
        while ((p = putters.poll()) != null) {
            p.fail(shutDownError("put"));
        }
    }

    private void failGetters() {
        Getter<T> g;
        while ((g = getters.poll()) != null) {
            g.fail(shutDownError("get"));
        }
    }

    /**
     * Whether {@link #shutdown} was called.
     *
     * @return true once the queue is shut down
     */
    public final boolean isShutDown() {
        return shutDown;
    }

    private QueueShutDownException shutDownError(String operation) {
        return new QueueShutDownException(operation + " on a shut-down " + this);
    }

    /** Getters waiting. For tests. */
    final int waitingGetters() {
        return getters.size();
    }

    /** Putters waiting. For tests. */
    final int waitingPutters() {
        return putters.size();
    }

    /** Items put and not yet marked done. For tests. */
    final int unfinished() {
        return unfinished;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("[size=").append(items.size());
        if (maxSize > 0) {
            sb.append('/').append(maxSize);
        }
        if (!getters.isEmpty()) {
            sb.append(", getters=").append(getters.size());
        }
        if (!putters.isEmpty()) {
            sb.append(", putters=").append(putters.size());
        }
        if (shutDown) {
            sb.append(", shut down");
        }
        return sb.append(']').toString();
    }

    /** A {@link #get()}: waiting for an item, or already handed one. */
    private static final class Getter<T> extends Waiter<T> {
        private final AsyncQueue<T> queue;
        private T item;
        private boolean retracted;

        Getter(EventLoop loop, AsyncQueue<T> queue) {
            super(loop);
            this.queue = queue;
        }

        void hand(T taken) {
            item = taken;
            complete(taken);
        }

        /** Handed an item, then cancelled before it resumed: the item goes back (bpo-23812). */
        @Override
        protected boolean retract() {
            if (!retracted) {
                retracted = true;
                T i = item;
                item = null;
                queue.giveBack(i);
            }
            return true;
        }

        @Override
        String what() {
            return "AsyncQueue.get";
        }
    }

    /**
     * A {@link #put} that waited for room. Let in, it completes at once, and its item enters the
     * queue right after the putter's awaiter has resumed (a callback queued behind it): so an
     * awaiter cancelled in between can withdraw, and no getter can have taken the item yet.
     */
    private static final class Putter<T> extends Waiter<Void> implements Runnable {
        private static final byte WAITING = 0;
        private static final byte ADMITTED = 1;
        private static final byte IN = 2;
        private static final byte WITHDRAWN = 3;

        private final AsyncQueue<T> queue;
        private final T item;
        private byte state;

        Putter(EventLoop loop, AsyncQueue<T> queue, T item) {
            super(loop);
            this.queue = queue;
            this.item = item;
        }

        void admit() {
            state = ADMITTED;
            complete(null);             // schedules the awaiter...
            loop().callSoon(this);      // ...and, right behind it, the item's entry
        }

        /** The awaiter has resumed (or withdrawn): the item enters. */
        @Override
        public void run() {
            if (state == ADMITTED) {
                state = IN;
                queue.admitted(item);
            }
        }

        /**
         * Let in, then cancelled before it resumed: withdraw; the item never enters. A waiter that
         * comes to this future late, after the item is in, cannot undo the put: it goes on and
         * gets its cancel at its next await.
         */
        @Override
        protected boolean retract() {
            if (state == ADMITTED) {
                state = WITHDRAWN;
                queue.admissionWithdrawn();
                return true;
            }
            return state == WITHDRAWN;
        }

        @Override
        String what() {
            return "AsyncQueue.put";
        }
    }

    /**
     * The shared future of a put that did not wait. The item went in synchronously (only a task
     * already being cancelled when it called put can be cancelled before it sees this), and a
     * shared future does not know its item, so it is never taken back: the awaiting task resumes
     * and gets its cancel at the next await, as with asyncio's {@code put} that did not suspend.
     */
    private static final class PutDone extends Future<Void> {
        PutDone(EventLoop loop) {
            super(loop);
            complete(null);
        }

        @Override
        protected boolean retract() {
            return false;
        }

        @Override
        public String toString() {
            return "AsyncQueue.put[done]";
        }
    }

    private static final class Joiner extends Waiter<Void> {
        Joiner(EventLoop loop) {
            super(loop);
        }

        @Override
        String what() {
            return "AsyncQueue.join";
        }
    }
}
