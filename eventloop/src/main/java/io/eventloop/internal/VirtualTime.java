package io.eventloop.internal;

/**
 * Fake time for a loop under test ({@code io.eventloop.testing.TestClock} implements it): the
 * loop reads its time here, and asks here before it waits. Not API: public only because the
 * testing module lives in another package; a loop gets one only through
 * {@link LoopAccess.Bridge#newLoop}.
 */
public interface VirtualTime {
    /** The loop's monotonic nanoseconds. */
    long nanoTime();

    /**
     * The loop has nothing ready and is about to wait for I/O, another thread or a timer. Loop
     * thread.
     *
     * @param nextDeadline the earliest timer's deadline, or {@link Long#MAX_VALUE} if none is set
     * @param othersPending whether anything outside the loop may still wake it: a registered
     *                      channel, work on an executor, a submission from another thread
     * @return true if time was moved so that the loop has something to do now (it then polls
     *         without waiting); false to wait as usual
     */
    boolean beforeWait(long nextDeadline, boolean othersPending);

    /** The wait that {@link #beforeWait} let happen is over (the select returned). Loop thread. */
    void afterWait();
}
