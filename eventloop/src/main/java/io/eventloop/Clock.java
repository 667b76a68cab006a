package io.eventloop;

/**
 * The loop's source of time: one of the two seams that let scheduler tests run on fake time.
 * The only production implementation is {@link System#nanoTime()}.
 */
@FunctionalInterface
interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** Monotonic nanoseconds, on an arbitrary origin. */
    long nanoTime();
}
