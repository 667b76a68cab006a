package io.eventloop;

/**
 * When {@link Async#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns:
 * asyncio's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code ALL_COMPLETED}.
 */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future fails; when none fails, when all are done. Cancellation is not a failure here. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
