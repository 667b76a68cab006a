package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;

/**
 * A flag tasks can wait for: asyncio's {@code asyncio.Event}. {@link #await()} completes once the
 * flag is set; {@link #set()} wakes every waiter; {@link #clear()} lowers the flag for later
 * waiters only: those already woken stay woken, even if {@code clear()} follows {@code set()} in
 * the same callback.
 *
 * <p><b>Cancellation.</b> A cancelled {@code await()} leaves the waiters at once. An event hands
 * nothing out, so a wake-up that is cancelled before it is seen costs nothing.
 *
 * <p><b>Compared with {@code CountDownLatch(1)} or {@code CompletableFuture}:</b> it can be
 * cleared and set again, and nothing blocks. Loop thread only.
 */
public final class AsyncEvent extends LoopBound {
    private boolean set;
    private final WaitList<EventWaiter> waiters = new WaitList<>();
    /** The completed future {@link #await()} returns while the flag is set; shared. */
    private Future<Void> done;

    /** An event with the flag down, bound to a loop on first use. */
    public AsyncEvent() {
    }

    @Override
    void bound(EventLoop loop) {
        done = completed(loop, null);
    }

    /** Raises the flag and wakes every waiter, in the order they came. */
    public void set() {
        loop("AsyncEvent.set");
        if (!set) {
            set = true;
            EventWaiter w;
            while ((w = waiters.poll()) != null) {
                w.complete(null);
            }
        }
    }

    /** Lowers the flag: later {@link #await()} calls wait for the next {@link #set()}. */
    public void clear() {
        loop("AsyncEvent.clear");
        set = false;
    }

    /**
     * Whether the flag is up: asyncio's {@code is_set()}.
     *
     * @return true while the flag is up
     */
    public boolean isSet() {
        return set;
    }

    /**
     * A future that completes once the flag is up, at once if it is: asyncio's {@code await event.wait()}.
     *
     * @return a future that completes once the flag is up
     */
    public Future<Void> await() {
        EventLoop loop = loop("AsyncEvent.await");
        if (set) {
            return done;
        }
        EventWaiter w = new EventWaiter(loop);
        waiters.add(w);
        return w;
    }

    /** Tasks waiting. For tests. */
    int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "AsyncEvent[" + (set ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }

    private static final class EventWaiter extends Waiter<Void> {
        EventWaiter(EventLoop loop) {
            super(loop);
        }

        @Override
        String what() {
            return "AsyncEvent.await";
        }
    }
}
