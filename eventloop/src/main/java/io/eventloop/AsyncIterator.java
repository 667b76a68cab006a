package io.eventloop;

import java.util.Optional;

/**
 * A source of values that arrive over time: asyncio's async iterator ({@code __anext__},
 * {@code StopAsyncIteration}, {@code aclose()}). {@link Async#forEach(AsyncIterator, ThrowingFunction)}
 * is {@code async for}; {@link Async#generate} makes one from a producer, as an {@code async def}
 * with {@code yield} does.
 *
 * <p>Call {@link #next()} again only after the previous one is done. An iterator that holds
 * something (a file, a producer that is suspended) releases it in {@link #closeAsync()};
 * {@code Async.forEach} always closes the iterator it is given.
 *
 * <p>Compared with {@link java.util.Iterator}: {@code hasNext()} and {@code next()} are one
 * asynchronous call, and exhaustion is an empty {@link Optional} rather than an exception, so
 * elements cannot be null. Compared with a {@code Flow.Publisher}: the consumer pulls one
 * element at a time, which is all the backpressure there is.
 *
 * @param <T> the element type
 */
public interface AsyncIterator<T> extends AsyncCloseable {
    /**
     * The next element: asyncio's {@code await it.__anext__()}.
     *
     * @return a future of the next element, or of an empty {@link Optional} once the iterator is
     *         exhausted (asyncio's {@code StopAsyncIteration}); a failure of the source fails it
     */
    Future<Optional<T>> next();

    /**
     * Releases what the iterator holds: asyncio's {@code aclose()}. The default holds nothing and
     * completes at once.
     */
    @Override
    default Future<Void> closeAsync() {
        return Async.completed(null);
    }
}
