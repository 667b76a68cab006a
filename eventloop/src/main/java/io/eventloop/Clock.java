package io.eventloop;

import java.time.Duration;

/**
 * The loop's source of time: one of the two seams that let scheduler tests run on fake time.
 * The only production implementation is {@link System#nanoTime()}.
 *
 * <p>It also holds the arithmetic on that scale. Deadlines are {@code long} nanoseconds, and a
 * user may ask for {@code Duration.ofDays(365 * 1000)} or a deadline near {@link Long#MAX_VALUE}:
 * each operation here clamps to {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} instead of
 * overflowing, so a huge delay means "never" rather than "long ago". asyncio needs none of this,
 * its time being a float.
 */
@FunctionalInterface
interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** Monotonic nanoseconds, on an arbitrary origin. */
    long nanoTime();

    /**
     * {@code nanos} in whole milliseconds, rounded up (0 for zero or less): a wait of 0.3 ms must
     * not become a non-blocking poll, or a loop waiting for a sub-millisecond timer would spin.
     */
    static long millisRoundedUp(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000 + 1;
    }

    /** {@code d} in nanoseconds, clamped to the range of {@code long}. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code a + b}, clamped to the range of {@code long}. */
    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** {@code a - b}, clamped to the range of {@code long}. */
    static long saturatedSubtract(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
