package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingSupplier;
import java.util.Objects;

/**
 * A counting semaphore for tasks: asyncio's {@code asyncio.Semaphore}, typically a limit on
 * concurrency:
 * <pre>{@code
 * AsyncSemaphore connections = new AsyncSemaphore(10);
 * connections.withPermit(() -> fetch(url));      // async with connections: ...
 * }</pre>
 *
 * <p><b>Fairness.</b> Strictly FIFO: {@link #release()} hands its permit straight to the first
 * waiter, so a permit never goes to a later {@link #acquire()} while others wait
 * (python/cpython#90155). Until a woken waiter has resumed, a new {@code acquire()} queues behind
 * it even if a permit was released meanwhile, as asyncio's {@code locked()} counts a woken waiter
 * still in its list (CPython's test_acquire_fifo_order_2): a task that releases and re-acquires
 * goes behind the waiters already woken. {@link #tryAcquire()} takes only a free permit, which
 * exists only when nobody waits.
 *
 * <p><b>Cancellation.</b> A cancelled {@code acquire()} leaves the queue at once and never takes
 * a permit. If a permit was already handed to a waiter whose task is cancelled before it resumes,
 * the permit passes to the next waiter (or back to the count), so permits are never lost or
 * created by a cancel. This holds at the await of the future {@code acquire()} returns; await it
 * once.
 *
 * <p><b>Compared with {@code java.util.concurrent.Semaphore}:</b> fair, non-blocking, one permit
 * per call; no thread is ever parked. Not bounded: releasing more than was acquired raises the
 * count (see {@link AsyncBoundedSemaphore}). Loop thread only.
 */
public class AsyncSemaphore extends LoopBound {
    /** Free permits. Positive only while nobody waits. */
    private int value;
    /** Waiters handed a permit whose awaiters have not resumed yet. */
    private int woken;
    /** Waiting acquirers, oldest first. */
    private final WaitList<Permit> waiters = new WaitList<>();
    /** The completed future an uncontended {@link #acquire()} returns; shared. */
    private Granted granted;
    private final Runnable releaser = this::release;

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @param permits how many permits are free at first
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public AsyncSemaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("a semaphore's initial permits must be >= 0, not " + permits);
        }
        this.value = permits;
    }

    @Override
    final void bound(EventLoop loop) {
        granted = new Granted(loop, this);
    }

    /**
     * Takes a permit: a future that completes once the caller has one, at once if one is free.
     * asyncio's {@code await sem.acquire()}.
     *
     * @return a future that completes once the caller holds a permit
     */
    public final Future<Void> acquire() {
        EventLoop loop = loop("AsyncSemaphore.acquire");
        if (value > 0 && woken == 0) {
            value--;
            return granted;
        }
        Permit w = new Permit(loop, this);
        waiters.add(w);
        return w;
    }

    /**
     * Takes a free permit without waiting.
     *
     * @return whether a permit was taken
     */
    public final boolean tryAcquire() {
        loop("AsyncSemaphore.tryAcquire");
        if (value > 0 && woken == 0) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Returns a permit, handing it to the first waiter if there is one.
     *
     * @throws IllegalStateException if the count would overflow; when called from another thread
     */
    public void release() {
        loop("AsyncSemaphore.release");
        if (value == Integer.MAX_VALUE) {
            throw new IllegalStateException("release() would overflow the permits of " + this);
        }
        handOff();
    }

    /**
     * Free permits (0 whenever a task waits): asyncio's {@code _value}.
     *
     * @return the number of free permits
     */
    public final int available() {
        return value;
    }

    /**
     * Whether {@link #acquire()} would wait: asyncio's {@code locked()}.
     *
     * @return true if no permit is free
     */
    public final boolean isLocked() {
        return value == 0 || woken > 0;
    }

    /**
     * Runs {@code body} while holding a permit and releases it however the body ends:
     * {@code async with sem: return await body()}. With a free permit the body is called at once;
     * otherwise it starts once a permit is handed over. If the caller is cancelled while waiting
     * for the permit, the body never runs and nothing is released. A body that throws, checked or
     * not, fails the result with that exception (the permit is returned).
     *
     * @param <T> the type of the body's value
     * @param body starts the work under the permit and returns its future
     * @return the body's outcome, once the permit is returned
     */
    public final <T> Future<T> withPermit(ThrowingSupplier<? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = loop("AsyncSemaphore.withPermit");
        if (value > 0 && woken == 0) {
            value--;
            return Guarded.started(loop, body, releaser);
        }
        return Guarded.run(acquire(), body, releaser);
    }

    /** Gives one permit to the first waiter, or to the count. */
    final void handOff() {
        Permit w = waiters.poll();
        if (w == null) {
            value++;
        } else {
            give(w);
        }
    }

    /** Hands {@code w} a permit; a callback right behind its awaiter marks it resumed. */
    private void give(Permit w) {
        woken++;
        w.complete(null);
        w.loop().callSoon(w);
    }

    /** A woken waiter's awaiter has resumed: permits released meanwhile go to the next waiters. */
    private void resumed() {
        woken--;
        while (value > 0 && !waiters.isEmpty()) {
            value--;
            give(waiters.poll());
        }
    }

    /** Tasks waiting to acquire. For tests. */
    final int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[available=" + value
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }

    /** A task waiting in {@link #acquire()}. */
    private static final class Permit extends Waiter<Void> implements Runnable {
        private final AsyncSemaphore sem;
        private boolean retracted;

        Permit(EventLoop loop, AsyncSemaphore sem) {
            super(loop);
            this.sem = sem;
        }

        /** Runs right behind the awaiter of a permit handed over. */
        @Override
        public void run() {
            sem.resumed();
        }

        /** Handed a permit, then cancelled before it resumed: pass the permit on. */
        @Override
        protected boolean retract() {
            if (!retracted) {
                retracted = true;
                sem.handOff();
            }
            return true;
        }

        @Override
        String what() {
            return "AsyncSemaphore.acquire";
        }
    }

    /** The shared future of an uncontended {@link #acquire()}; a retract returns one permit. */
    private static final class Granted extends Future<Void> {
        private final AsyncSemaphore sem;

        Granted(EventLoop loop, AsyncSemaphore sem) {
            super(loop);
            this.sem = sem;
            complete(null);
        }

        @Override
        protected boolean retract() {
            sem.handOff();
            return true;
        }

        @Override
        public String toString() {
            return "AsyncSemaphore.acquire[granted]";
        }
    }
}
