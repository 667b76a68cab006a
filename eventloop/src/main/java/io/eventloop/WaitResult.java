package io.eventloop;

import java.util.Set;

/**
 * The two sets {@link Async#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns,
 * asyncio's {@code (done, pending)} tuple. Both keep the order the futures were given in.
 *
 * @param done the futures that were done when the wait returned
 * @param pending the others; {@code wait} never cancels them
 * @param <T> the futures' value type
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
}
