package io.eventloop;

/**
 * Something that can be iterated asynchronously: asyncio's {@code __aiter__}, the object of
 * {@code async for}. See {@link Async#forEach(AsyncIterable, ThrowingFunction)}.
 *
 * <p>Compared with {@link Iterable}: the iterator it returns hands out elements through futures.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface AsyncIterable<T> {
    /**
     * A new iterator over the elements: asyncio's {@code __aiter__()}.
     *
     * @return the iterator; the caller closes it (as {@code Async.forEach} does)
     */
    AsyncIterator<T> iterator();
}
