package io.eventloop;

/**
 * A resource released by an asynchronous operation: asyncio's async context manager, the object
 * of {@code async with}. {@link Async#using} opens one, runs a body with it and closes it on
 * every path.
 *
 * <p>Compared with {@link AutoCloseable}: closing may suspend (flush a buffer, send a goodbye,
 * give a connection back to a pool), so it returns a future instead of blocking; and, as with
 * asyncio's {@code __aexit__}, a failure of the close is reported through that future.
 */
public interface AsyncCloseable {
    /**
     * Releases the resource: asyncio's {@code __aexit__} (or {@code aclose()}). The future
     * completes once the resource is released, or fails if releasing it failed.
     *
     * @return a future that completes when the resource is released
     */
    Future<Void> closeAsync();
}
