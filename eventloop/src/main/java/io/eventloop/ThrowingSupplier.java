package io.eventloop;

/**
 * A supplier that may throw a checked exception: the shape of every body the library runs for
 * you ({@link EventLoop#run}, {@link EventLoop#createTask}, {@link TaskGroup#spawn},
 * {@link Async#timeout}, {@link Timeout#run}, {@link Async#repeat}, and {@code withLock} /
 * {@code withPermit} in {@code io.eventloop.sync}).
 *
 * <p>Compared with {@code java.util.function.Supplier}: a checked exception thrown here fails the
 * future or task that runs the body, exactly as an unchecked one does, instead of needing a
 * wrapper; in asyncio an exception raised in a coroutine's body fails its task the same way.
 * A lambda or method reference written for a {@code Supplier} fits here unchanged; a variable of
 * type {@code Supplier} is passed as {@code supplier::get}. Callbacks that no future waits for
 * ({@link EventLoop#callSoon}, {@link Future#onDone}) stay plain {@code Runnable} /
 * {@code Consumer}: what they throw goes to the loop's exception handler.
 *
 * @param <T> the result type (for a body, the future it returns)
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {
    /**
     * Computes the result.
     *
     * @return the result
     * @throws Exception anything; it fails the future that runs this supplier
     */
    T get() throws Exception;
}
