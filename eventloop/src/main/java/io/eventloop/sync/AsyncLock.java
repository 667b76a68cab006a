package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingSupplier;
import java.util.Objects;

/**
 * A mutual-exclusion lock for tasks on one loop: asyncio's {@code asyncio.Lock}.
 * <pre>{@code
 * lock.withLock(() -> account.read().then(balance -> account.write(balance + 10)));
 * }</pre>
 * is {@code async with lock: ...}: the body starts once the lock is held, and the lock is released
 * however the body ends (value, failure or cancellation). The explicit form is
 * {@code lock.acquire().then(v -> ...)} with {@link #release()} in an {@code ensure}.
 *
 * <p><b>Fairness.</b> Strictly FIFO: {@link #release()} hands the lock straight to the first
 * waiter (the lock stays locked on its behalf), so no later {@link #acquire()} can slip in
 * between. Like asyncio's lock, it is not owned by a task: any code on the loop may release it.
 *
 * <p><b>Cancellation.</b> A cancelled {@code acquire()} leaves the queue at once and never gets
 * the lock. If the lock was already handed to a waiter whose task is cancelled before it resumes,
 * the waiter passes the lock on to the next one (asyncio's bpo-27585 and bpo-32734 guards), so a
 * cancel never leaves the lock held by nobody and never lets two tasks hold it. This holds at the
 * await of the future {@code acquire()} returns; await it once.
 *
 * <p><b>Compared with {@code java.util.concurrent.locks.ReentrantLock}:</b> nothing blocks: a
 * waiting task is a pending future and the loop thread runs other work; not reentrant, not owned.
 * Every method must be called on the loop's thread (the lock binds to the current loop on first
 * use).
 */
public final class AsyncLock extends LoopBound {
    /** Whether the lock is held (by a task, or handed to a waiter that has not resumed yet). */
    private boolean locked;
    /** Waiting acquirers, oldest first. Never non-empty while unlocked. */
    final WaitList<LockWaiter> waiters = new WaitList<>();
    /** The completed future an uncontended {@link #acquire()} returns; shared, so no allocation. */
    private Granted granted;
    private final Runnable releaser = this::release;

    /** An unlocked lock, bound to a loop on first use. */
    public AsyncLock() {
    }

    @Override
    void bound(EventLoop loop) {
        granted = new Granted(loop, this);
    }

    /**
     * Acquires the lock: a future that completes once this caller holds it, at once if the lock
     * is free. asyncio's {@code await lock.acquire()}.
     *
     * @return a future that completes once the caller holds the lock
     * @throws IllegalStateException when called from a thread other than the loop's
     */
    public Future<Void> acquire() {
        EventLoop loop = loop("AsyncLock.acquire");
        if (!locked) {
            locked = true;
            return granted;
        }
        Acquire w = new Acquire(loop, this);
        waiters.add(w);
        return w;
    }

    /**
     * Takes the lock if it is free, without waiting.
     *
     * @return whether the lock is now held by the caller
     */
    public boolean tryAcquire() {
        loop("AsyncLock.tryAcquire");
        if (locked) {
            return false;
        }
        locked = true;
        return true;
    }

    /**
     * Releases the lock, handing it to the first waiter if there is one.
     *
     * @throws IllegalStateException if the lock is not locked (asyncio's RuntimeError), changing
     *         nothing; or when called from a thread other than the loop's
     */
    public void release() {
        loop("AsyncLock.release");
        if (!locked) {
            throw new IllegalStateException("release() of an unlocked " + this);
        }
        handOff();
    }

    /**
     * Whether the lock is held, or handed to a waiter that has not resumed yet.
     *
     * @return true if the lock is taken
     */
    public boolean isLocked() {
        return locked;
    }

    /**
     * Runs {@code body} while holding the lock and releases it however the body ends:
     * {@code async with lock: return await body()}. A free lock is taken and the body called at
     * once; otherwise the body starts once the lock is handed over. If the caller is cancelled
     * while waiting for the lock, the body never runs and nothing is released. A body that throws,
     * checked or not, fails the result with that exception (the lock is released).
     *
     * @param <T> the type of the body's value
     * @param body starts the work under the lock and returns its future
     * @return the body's outcome, once the lock is released
     */
    public <T> Future<T> withLock(ThrowingSupplier<? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        EventLoop loop = loop("AsyncLock.withLock");
        if (!locked) {
            locked = true;
            return Guarded.started(loop, body, releaser);
        }
        return Guarded.run(acquire(), body, releaser);
    }

    /** Passes the (locked) lock to the first waiter, or unlocks it when nobody waits. */
    void handOff() {
        LockWaiter w = waiters.poll();
        if (w == null) {
            locked = false;
        } else {
            w.granted();
        }
    }

    /** Gives the lock to {@code w} now if it is free, else queues it. */
    void enqueue(LockWaiter w) {
        if (!locked) {
            locked = true;
            w.granted();
        } else {
            waiters.add(w);
        }
    }

    /** Tasks waiting to acquire. For tests. */
    int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "AsyncLock[" + (locked ? "locked" : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }

    /** A task waiting in {@link #acquire()}. */
    private static final class Acquire extends LockWaiter {
        private final AsyncLock lock;
        private boolean retracted;

        Acquire(EventLoop loop, AsyncLock lock) {
            super(loop);
            this.lock = lock;
        }

        @Override
        void granted() {
            complete(null);
        }

        /** Woken, then cancelled before it resumed: pass the lock on (bpo-27585). */
        @Override
        protected boolean retract() {
            if (!retracted) {
                retracted = true;
                if (lock.locked) {
                    lock.handOff();
                }
            }
            return true;
        }

        @Override
        String what() {
            return "AsyncLock.acquire";
        }
    }

    /**
     * The shared future of an uncontended {@link #acquire()}. Each await of it stands for one
     * acquisition, so a retract (the awaiting task was cancelled before it resumed, e.g. it was
     * already being cancelled when it called acquire) releases one.
     */
    private static final class Granted extends Future<Void> {
        private final AsyncLock lock;

        Granted(EventLoop loop, AsyncLock lock) {
            super(loop);
            this.lock = lock;
            complete(null);
        }

        @Override
        protected boolean retract() {
            if (lock.locked) {
                lock.handOff();
            }
            return true;
        }

        @Override
        public String toString() {
            return "AsyncLock.acquire[granted]";
        }
    }
}
