package io.eventloop.testing;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Asserts on futures, and stepping the loop by hand: the asserts JUnit users know, for code on
 * the loop. Call them from a test's body, while the loop is not running: those that wait run the
 * loop (on fake time, under {@link EventLoopTest}) until the future is done; from a callback they
 * only look.
 *
 * <pre>
 * import static io.eventloop.testing.LoopAssertions.*;
 *
 * assertEquals("hello", assertCompletes(reader.readLine()));
 * TimeoutException e = assertFails(TimeoutException.class, Async.waitFor(never, Duration.ofSeconds(5)));
 * assertPendingAfter(10, lock.acquire());
 * </pre>
 */
public final class LoopAssertions {
    private LoopAssertions() {
    }

    /**
     * Runs the loop until {@code future} is done and returns its value; fails if it failed or was
     * cancelled (with that as the cause), or if it can never complete.
     *
     * @param <T> the type of the future's value
     * @param future the future to run the loop for
     * @return the future's value
     */
    public static <T> T assertCompletes(Future<T> future) {
        settle(future);
        if (future.isCancelled()) {
            throw new AssertionError("expected " + future + " to complete, but it was cancelled");
        }
        if (future.exception() != null) {
            throw new AssertionError("expected " + future + " to complete, but it failed with " + future.exception(),
                    future.exception());
        }
        return future.result();
    }

    /**
     * Runs the loop until {@code future} is done and returns what it failed with, which must be a
     * {@code type} (a cancellation is a {@link CancellationException}); fails otherwise.
     *
     * @param <X> the type of the expected failure
     * @param type the class the failure must be an instance of
     * @param future the future to run the loop for
     * @return the failure
     */
    public static <X extends Throwable> X assertFails(Class<X> type, Future<?> future) {
        Objects.requireNonNull(type, "type");
        settle(future);
        Throwable failure = future.isCancelled() ? cancellation(future) : future.exception();
        if (failure == null) {
            throw new AssertionError("expected " + future + " to fail with " + type.getName()
                    + ", but it completed with " + future.result());
        }
        if (!type.isInstance(failure)) {
            throw new AssertionError("expected " + future + " to fail with " + type.getName() + ", but it failed with "
                    + failure, failure);
        }
        return type.cast(failure);
    }

    /**
     * Runs {@code iterations} loop iterations (fake time does not move) and asserts {@code future} is still pending.
     *
     * @param iterations how many iterations to run
     * @param future the future that must still be pending
     */
    public static void assertPendingAfter(int iterations, Future<?> future) {
        runIterations(future.loop(), iterations);
        if (future.isDone()) {
            throw new AssertionError("expected " + future + " to be pending after " + iterations + " iterations");
        }
    }

    /**
     * Runs {@code n} iterations of {@code loop} without waiting and without moving fake time;
     * returns the number of callbacks they ran.
     *
     * @param loop the loop to step, not running
     * @param n how many iterations to run
     * @return the number of callbacks run
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the loop is running (call it from the test's body)
     */
    public static int runIterations(EventLoop loop, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("iterations must not be negative, got " + n);
        }
        int ran = 0;
        for (int i = 0; i < n; i++) {
            ran += loop.runOnce(Duration.ZERO);
        }
        return ran;
    }

    /** The cancellation of a cancelled future, with its message. */
    private static CancellationException cancellation(Future<?> future) {
        try {
            future.result();
        } catch (CancellationException e) {
            return e;
        }
        throw new AssertionError(future + " says it is cancelled but does not throw a CancellationException");
    }

    /** Runs the loop until {@code future} is done, unless it is running (then only looks). */
    private static void settle(Future<?> future) {
        Objects.requireNonNull(future, "future");
        EventLoop loop = future.loop();
        if (future.isDone() || loop.isRunning()) {
            if (!future.isDone()) {
                throw new AssertionError("expected " + future + " to be done; it is pending (asserted from a callback,"
                        + " so the loop was not run for it)");
            }
            return;
        }
        try {
            loop.runUntilComplete(future);
        } catch (IllegalStateException stopped) {
            if (!future.isDone()) {
                throw new AssertionError(future + " can never complete: " + stuckReason(loop, stopped), stopped);
            }
        } catch (RuntimeException failedOrCancelled) {
            // looked at by the caller
        }
    }

    private static String stuckReason(EventLoop loop, IllegalStateException stopped) {
        TestClock clock = TestClock.of(loop);
        String why = clock != null ? clock.stuck() : null;
        if (clock != null) {
            clock.clearStuck();
        }
        return why != null ? why : stopped.getMessage();
    }
}
