package io.eventloop.sync;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingSupplier;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks: asyncio's {@code asyncio.Condition}, with Java's names
 * ({@code await} for {@code wait}, {@code signal} for {@code notify}, which {@code Object}
 * already owns).
 * <pre>{@code
 * // consumer                                          // producer
 * cond.withLock(() -> cond.awaitUntil(() -> !items.isEmpty())   cond.withLock(() -> {
 *         .map(v -> items.remove()));                          items.add(x); cond.signal();
 *                                                              return Async.completed(null); });
 * }</pre>
 * Every method except {@link #acquire()} is used while holding the condition's lock, as in
 * asyncio; {@link #await()} releases it while waiting and holds it again when its future
 * completes, whether it was signalled or cancelled.
 *
 * <p><b>Fairness.</b> Waiters are signalled in FIFO order; a signalled waiter queues for the lock
 * behind the tasks already waiting for it.
 *
 * <p><b>Cancellation.</b> A cancelled {@code await()} re-acquires the lock before its future ends
 * cancelled, so the {@code ensure} that releases the lock is always right (asyncio's bpo-32841,
 * bpo-42600). A waiter that was signalled and is then cancelled before it resumes passes the
 * signal to the next waiter (python/cpython#112202), which may make that waiter wake spuriously,
 * as the condition-variable contract allows: check the predicate, or use {@link #awaitUntil}.
 *
 * <p><b>Compared with {@code java.util.concurrent.locks.Condition}:</b> the same protocol, no
 * thread blocks, and no spurious wake-ups other than the one above. Loop thread only.
 */
public final class AsyncCondition {
    private final AsyncLock lock;
    /** Waiters not signalled yet, oldest first. */
    private final WaitList<CondWaiter> waiters = new WaitList<>();

    /** A condition with a new lock of its own. */
    public AsyncCondition() {
        this(new AsyncLock());
    }

    /**
     * A condition over {@code lock}, which other conditions may share.
     *
     * @param lock the lock that guards the condition's state
     */
    public AsyncCondition(AsyncLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * The underlying lock.
     *
     * @return the lock
     */
    public AsyncLock lock() {
        return lock;
    }

    /**
     * {@link AsyncLock#acquire()} of the underlying lock.
     *
     * @return a future that completes once the caller holds the lock
     */
    public Future<Void> acquire() {
        return lock.acquire();
    }

    /** {@link AsyncLock#release()} of the underlying lock. */
    public void release() {
        lock.release();
    }

    /**
     * {@link AsyncLock#isLocked()} of the underlying lock.
     *
     * @return true if the lock is held
     */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * {@link AsyncLock#withLock} of the underlying lock: {@code async with cond:}.
     *
     * @param <T> the type of the body's value
     * @param body starts the work under the lock and returns its future
     * @return the body's outcome, once the lock is released
     */
    public <T> Future<T> withLock(ThrowingSupplier<? extends Future<T>> body) {
        return lock.withLock(body);
    }

    /**
     * Releases the lock and waits until signalled, then re-acquires the lock: asyncio's
     * {@code await cond.wait()}. The future completes once the lock is held again; if it is
     * cancelled, it still re-acquires the lock first, then ends cancelled.
     *
     * @return a future that completes once signalled and holding the lock again
     * @throws IllegalStateException if the lock is not held, changing nothing
     */
    public Future<Void> await() {
        EventLoop loop = lock.loop("AsyncCondition.await");
        if (!lock.isLocked()) {
            throw new IllegalStateException("await() on " + this + " without holding its lock");
        }
        CondWaiter w = new CondWaiter(loop, this);
        waiters.add(w);
        lock.handOff();
        return w;
    }

    /**
     * Waits until {@code predicate} is true: asyncio's {@code await cond.wait_for(predicate)}.
     * Checks it first (no wait if it already holds), then after every wake-up, always with the
     * lock held. A predicate that throws fails the future, with the lock held.
     *
     * @param predicate the condition to wait for, checked with the lock held
     * @return a future that completes once the predicate holds, with the lock held
     * @throws IllegalStateException if the lock is not held
     */
    public Future<Void> awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        EventLoop loop = lock.loop("AsyncCondition.awaitUntil");
        if (!lock.isLocked()) {
            throw new IllegalStateException("awaitUntil() on " + this + " without holding its lock");
        }
        Future<Boolean> again = LoopBound.completed(loop, Boolean.FALSE);
        return Async.repeat(() -> predicate.getAsBoolean() ? again : await().map(v -> Boolean.TRUE));
    }

    /** Wakes the longest-waiting waiter, if any: {@code notify()}. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes at most {@code n} waiters, longest-waiting first: asyncio's {@code notify(n)}. Each
     * woken waiter resumes once it has re-acquired the lock, so after the caller releases it.
     *
     * @param n the most waiters to wake
     * @throws IllegalStateException if the lock is not held, changing nothing
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        lock.loop("AsyncCondition.signal");
        if (!lock.isLocked()) {
            throw new IllegalStateException("signal() on " + this + " without holding its lock");
        }
        if (n < 0) {
            throw new IllegalArgumentException("signal(" + n + "): the count must not be negative");
        }
        wake(n);
    }

    /**
     * Wakes every waiter: {@code notify_all()}.
     *
     * @throws IllegalStateException if the lock is not held, changing nothing
     */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private void wake(int n) {
        for (int i = 0; i < n; i++) {
            CondWaiter w = waiters.poll();
            if (w == null) {
                return;
            }
            w.signalled();
        }
    }

    /** Waiters not signalled yet. For tests. */
    int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "AsyncCondition[" + (lock.isLocked() ? "locked" : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }

    /**
     * The future of one {@link #await()}. It waits in the condition's list until signalled or
     * cancelled, then in the lock's queue until it holds the lock again, and only then completes
     * (signalled) or ends cancelled.
     */
    private static final class CondWaiter extends LockWaiter {
        private final AsyncCondition cond;
        /** Whether a signal moved it to the lock's queue. */
        private boolean signalled;
        /** Whether it waits for the lock (after a signal or a cancel). */
        private boolean reacquiring;
        /** A cancel to deliver once the lock is held again. */
        private boolean cancelPending;
        private String cancelMessage;
        private boolean retracted;

        CondWaiter(EventLoop loop, AsyncCondition cond) {
            super(loop);
            this.cond = cond;
        }

        void signalled() {
            signalled = true;
            reacquire();
        }

        private void reacquire() {
            reacquiring = true;
            cond.lock.enqueue(this);
        }

        @Override
        void granted() {
            if (cancelPending) {
                super.cancel(cancelMessage);
            } else {
                complete(null);
            }
        }

        /**
         * Takes the cancel, but ends cancelled only once the lock is held again. A waiter that
         * was signalled passes the signal on.
         */
        @Override
        public boolean cancel(String message) {
            cond.lock.loop("Future.cancel");
            if (isDone()) {
                return false;
            }
            if (!cancelPending) {
                cancelPending = true;
                cancelMessage = message;
                if (!reacquiring) {
                    cond.waiters.unlink(this);
                    reacquire();
                } else if (signalled) {
                    cond.wake(1);
                }
            }
            return true;
        }

        /**
         * Signalled and holding the lock, but the awaiting task was cancelled before it resumed:
         * it goes on with the cancellation still holding the lock (as a cancelled await does),
         * and the signal passes to the next waiter.
         */
        @Override
        protected boolean retract() {
            if (!retracted) {
                retracted = true;
                cond.wake(1);
            }
            return true;
        }

        @Override
        String what() {
            return "AsyncCondition.await";
        }
    }
}
