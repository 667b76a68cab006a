package io.eventloop.sync;

import io.eventloop.EventLoop;

/**
 * A waiter in an {@link AsyncLock}'s queue: a task's {@code acquire()}, or an
 * {@link AsyncCondition} waiter re-acquiring the lock after a signal or a cancel.
 */
abstract class LockWaiter extends Waiter<Void> {
    LockWaiter(EventLoop loop) {
        super(loop);
    }

    /** The lock has been handed to this waiter (it is out of the queue and holds the lock now). */
    abstract void granted();
}
