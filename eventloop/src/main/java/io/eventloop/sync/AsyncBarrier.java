package io.eventloop.sync;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.concurrent.BrokenBarrierException;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code asyncio.Barrier}. Each party
 * calls {@link #await()}; when the last one arrives, all of them go on together and the barrier
 * is ready for the next round.
 * <pre>{@code
 * AsyncBarrier start = new AsyncBarrier(3);
 * for (int i = 0; i < 3; i++) loop.createTask(() -> prepare().then(v -> start.await()).then(n -> run()));
 * }</pre>
 * {@code await()}'s value is the party's arrival index in its round, 0 to {@code parties - 1},
 * unique within the round.
 *
 * <p><b>Breaking.</b> {@link #abort()} breaks the barrier: waiting parties, and every later
 * {@code await()}, fail with {@link BrokenBarrierException} until {@link #reset()}. {@code reset()}
 * fails the waiting parties the same way and makes the barrier usable again.
 *
 * <p><b>Cancellation.</b> A party cancelled while waiting leaves the barrier, which then waits for
 * one more arrival; a cancel does not break the barrier (as in asyncio, unlike
 * {@code threading.Barrier}'s timeouts).
 *
 * <p><b>Compared with {@code java.util.concurrent.CyclicBarrier}:</b> the same rounds and
 * {@link BrokenBarrierException}; no barrier action and nothing blocks. Loop thread only.
 */
public final class AsyncBarrier extends LoopBound {
    private final int parties;
    /** Parties waiting in this round, in arrival order. */
    private final WaitList<Party> waiters = new WaitList<>();
    private boolean broken;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks each round waits for
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public AsyncBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least 1 party, not " + parties);
        }
        this.parties = parties;
    }

    /**
     * Arrives at the barrier: a future that completes with this party's arrival index when the
     * last party arrives (at once for the last one), or fails with
     * {@link BrokenBarrierException} if the barrier is or gets broken or reset.
     *
     * @return a future of this party's arrival index: 0 for the first, {@code parties() - 1} for
     *     the last
     */
    public Future<Integer> await() {
        EventLoop loop = loop("AsyncBarrier.await");
        if (broken) {
            return failed(loop, new BrokenBarrierException(this + " is broken; reset() it first"));
        }
        if (waiters.size() + 1 == parties) {
            int index = 0;
            Party w;
            while ((w = waiters.poll()) != null) {
                w.complete(index++);
            }
            return completed(loop, index);
        }
        Party w = new Party(loop);
        waiters.add(w);
        return w;
    }

    /**
     * Returns the barrier to its empty state: parties waiting now fail with
     * {@link BrokenBarrierException}; a broken barrier becomes usable again.
     */
    public void reset() {
        loop("AsyncBarrier.reset");
        breakWaiters("the barrier was reset");
        broken = false;
    }

    /**
     * Breaks the barrier: parties waiting now, and every later {@link #await()}, fail with
     * {@link BrokenBarrierException} until {@link #reset()}.
     */
    public void abort() {
        loop("AsyncBarrier.abort");
        broken = true;
        breakWaiters("the barrier was aborted");
    }

    private void breakWaiters(String why) {
        Party w;
        while ((w = waiters.poll()) != null) {
            w.fail(new BrokenBarrierException(why));
        }
    }

    /**
     * How many parties each round needs.
     *
     * @return the number of parties per round
     */
    public int parties() {
        return parties;
    }

    /**
     * How many parties wait in the current round: asyncio's {@code n_waiting}.
     *
     * @return the number of parties waiting now
     */
    public int waiting() {
        return waiters.size();
    }

    /**
     * Whether {@link #abort()} broke the barrier (and no {@link #reset()} followed).
     *
     * @return true if the barrier is broken
     */
    public boolean isBroken() {
        return broken;
    }

    @Override
    public String toString() {
        return "AsyncBarrier[" + waiters.size() + "/" + parties + (broken ? ", broken" : "") + "]";
    }

    private static final class Party extends Waiter<Integer> {
        Party(EventLoop loop) {
            super(loop);
        }

        @Override
        String what() {
            return "AsyncBarrier.await";
        }
    }
}
