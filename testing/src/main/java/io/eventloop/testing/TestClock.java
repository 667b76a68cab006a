package io.eventloop.testing;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.internal.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Fake time for a loop under test: trio's {@code MockClock}, kotlinx-coroutines-test's virtual
 * time, Reactor's {@code withVirtualTime}. {@link EventLoopTest} gives each test a loop on one.
 *
 * <p><b>Auto-advance</b> (the default): when the loop has nothing to run and nothing outside it
 * can wake it (no channel registered, no executor work out, no submission from another thread),
 * time jumps to the next timer. {@code Async.sleep(Duration.ofHours(1))} completes at once in
 * wall time, and {@code loop.time()} has moved by exactly one hour. While the loop does wait on
 * a socket or another thread, time moves with real time instead, so timeouts around real I/O
 * still fire.
 *
 * <p><b>Manual</b> ({@code @EventLoopTest(autoAdvance = false)} or {@link #autoAdvance(boolean)}):
 * time moves only by {@link #advance(Duration)}. A loop that would wait on a timer with nothing
 * else to do can then never go on; the test fails at once saying so, rather than hang.
 *
 * <p>As an {@link InstantSource} it counts from the wall-clock instant it was made, moving with
 * the loop's time: hand it to code that asks for the date. Loop thread only, except
 * {@link #instant()}.
 */
public final class TestClock implements InstantSource, VirtualTime {
    /** The loop's time starts here: far from 0 and from overflow, like {@link System#nanoTime()}. */
    private static final long ORIGIN = 1_000_000_000_000L;

    private final Instant start = Instant.now();
    private volatile long now = ORIGIN;
    private boolean autoAdvance;
    private long realWaitSince = -1;  // System.nanoTime() when the loop began a wait on the outside
    private EventLoop loop;
    private String stuck;             // why the loop can never go on, once it cannot
    private boolean settling;         // run only until the loop would wait: see settle()

    /**
     * A clock, auto-advancing unless told otherwise; {@link EventLoopTest} makes one per test.
     *
     * @param autoAdvance whether time jumps to the next timer when the loop is idle
     */
    public TestClock(boolean autoAdvance) {
        this.autoAdvance = autoAdvance;
    }

    /** The clocks of live test loops, so that asserts can say why a loop is stuck. */
    private static final java.util.Map<EventLoop, TestClock> CLOCKS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    void attach(EventLoop owner) {
        loop = owner;
        CLOCKS.put(owner, this);
    }

    /** The clock of {@code loop} if it runs on one, else null. */
    static TestClock of(EventLoop loop) {
        return CLOCKS.get(loop);
    }

    /**
     * Whether time jumps to the next timer when the loop is otherwise idle.
     *
     * @return true if auto-advance is on
     */
    public boolean autoAdvance() {
        return autoAdvance;
    }

    /**
     * Switches auto-advance on or off.
     *
     * @param on whether to auto-advance
     */
    public void autoAdvance(boolean on) {
        autoAdvance = on;
    }

    /**
     * Fake time since the clock was made.
     *
     * @return the fake time elapsed
     */
    public Duration elapsed() {
        return Duration.ofNanos(nanoTime() - ORIGIN);
    }

    /**
     * Moves time forward by {@code d}. Called while the loop is not running (from the test
     * method's body), it then runs every callback that is or becomes due, without moving time
     * further ({@link #runUntilIdle()}); called from a callback, what became due runs in the
     * loop's next iteration.
     *
     * @param d how far to move time
     * @throws IllegalArgumentException if {@code d} is negative: time does not go back
     */
    public void advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: advance(" + d + ")");
        }
        now = Math.addExact(nanoTime(), d.toNanos());
        if (loop != null && !loop.isRunning() && !loop.isClosed()) {
            runUntilIdle();
        }
    }

    /**
     * Runs the loop until nothing is ready and no timer is due, without moving time: trio's
     * {@code wait_all_tasks_blocked()}, asked from outside the loop. Returns the number of
     * callbacks run.
     *
     * @return the number of callbacks run
     * @throws IllegalStateException if the loop is running (call it from the test's body, not
     *         from a callback)
     */
    public int runUntilIdle() {
        if (loop == null) {
            throw new IllegalStateException("this clock drives no loop");
        }
        int total = 0;
        for (int n = loop.runOnce(Duration.ZERO); n > 0; n = loop.runOnce(Duration.ZERO)) {
            total += n;
        }
        return total;
    }

    /**
     * Runs the loop until it would have to wait on the outside (a socket, another thread) or on
     * nothing at all, jumping to timers meanwhile in auto-advance mode: what a test's body left
     * to do, done without waiting on anything real. Loop not running.
     */
    void settle() {
        settling = true;
        try {
            Future<Void> never = loop.createFuture();
            try {
                loop.runUntilComplete(never);
            } catch (IllegalStateException stopped) {
                // the loop would have waited: settled
            } finally {
                never.cancel();
            }
        } finally {
            settling = false;
            stuck = null;
        }
    }

    /** Why the loop can never go on, or null: set when it would wait for ever. */
    String stuck() {
        return stuck;
    }

    void clearStuck() {
        stuck = null;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(now - ORIGIN);
    }

    /** The loop's time, in nanoseconds: what {@code loop.time()} returns. */
    @Override
    public long nanoTime() {
        return now;
    }

    /** The loop is done waiting on the outside: in auto-advance mode, the real time it waited passed. */
    @Override
    public void afterWait() {
        if (realWaitSince >= 0) {
            now += System.nanoTime() - realWaitSince;
            realWaitSince = -1;
        }
    }

    /**
     * The loop's question before it waits: jump to {@code nextDeadline} (auto-advance, nothing
     * outside can wake the loop), wait on the outside (moving with real time in auto-advance
     * mode), or stop the loop because it could never go on.
     */
    @Override
    public boolean beforeWait(long nextDeadline, boolean othersPending) {
        long t = nanoTime();
        if (settling && (othersPending || !autoAdvance || nextDeadline == Long.MAX_VALUE)) {
            loop.stop();
            return true;
        }
        if (othersPending) {
            if (autoAdvance) {
                realWaitSince = System.nanoTime();
            }
            return false;
        }
        if (nextDeadline == Long.MAX_VALUE) {
            return stuck("nothing is ready, no timer is set, and nothing waits on I/O or another thread");
        }
        if (!autoAdvance) {
            return stuck("the next timer is due in " + Duration.ofNanos(nextDeadline - t)
                    + " of fake time, which only advance() moves, and nothing else can wake the loop");
        }
        if (nextDeadline > t) {
            now = nextDeadline;
        }
        return true;
    }

    /** The loop would wait for ever: stop it, so that the test fails saying why instead of hanging. */
    private boolean stuck(String why) {
        stuck = why;
        loop.stop();
        return true;
    }

    @Override
    public String toString() {
        return "TestClock[" + elapsed() + (autoAdvance ? ", auto-advance]" : ", manual]");
    }
}
