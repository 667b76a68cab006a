package io.eventloop.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot "done" flag that the benchmark thread waits on and a loop thread raises.
 *
 * <p>Both loops under test are driven the same way: the benchmark thread hands an operation to
 * the loop thread, then parks here until the loop says it finished. Using one mechanism for
 * both keeps the hand-off cost identical on each side of a ratio.
 */
public final class Signal {
    private volatile boolean done;
    private volatile Thread waiter;

    /** Arms the signal for the calling thread. Call before handing the operation over. */
    public void reset() {
        waiter = Thread.currentThread();
        done = false;
    }

    /** Raises the signal and unparks the waiter. Any thread. */
    public void fire() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /** Parks until {@link #fire()}. */
    public void await() {
        while (!done) {
            LockSupport.park(this);
        }
    }

    /** Parks until {@link #fire()} or until {@code timeoutNanos} have passed; whether it fired. */
    public boolean await(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }
}
