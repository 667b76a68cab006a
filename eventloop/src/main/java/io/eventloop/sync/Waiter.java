package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * A future that waits in a primitive's FIFO {@link WaitList}, as asyncio's primitives keep a
 * deque of waiter futures. A cancelled waiter leaves its list at once, so it can never be handed
 * anything; a waiter that was handed something and whose awaiter is then cancelled before it
 * resumes gives it back through {@link #retract()} (each kind of waiter says how).
 */
abstract class Waiter<T> extends Future<T> {
    /** The list this waiter is in, or null. Loop thread only. */
    WaitList<?> list;
    Waiter<?> prev;
    Waiter<?> next;

    Waiter(EventLoop loop) {
        super(loop);
    }

    /** Cancels the waiter and removes it from its list. */
    @Override
    public boolean cancel(String message) {
        if (!super.cancel(message)) {
            return false;
        }
        WaitList<?> l = list;
        if (l != null) {
            l.unlink(this);
        }
        return true;
    }

    /** What this waiter waits for, for {@link #toString()}: "AsyncLock.acquire", say. */
    abstract String what();

    @Override
    public String toString() {
        String s = super.toString();
        return what() + s.substring(s.indexOf('['));
    }
}
