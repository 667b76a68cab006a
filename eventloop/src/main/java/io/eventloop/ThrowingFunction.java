package io.eventloop;

/**
 * A function that may throw a checked exception: the shape of every continuation
 * ({@link Future#map}, {@link Future#then}, {@link Future#recover}, {@link Future#exceptionally})
 * and of every body that receives something ({@link TaskGroup#run}, {@code Async.forEach},
 * {@code Async.using}, {@link Async#generate}). {@link ThrowingSupplier} is the same rule for
 * bodies that receive nothing.
 *
 * <p>Compared with {@code java.util.function.Function}: a checked exception thrown here
 * fails the derived future instead of needing a wrapper, the way an exception raised after
 * an {@code await} in asyncio propagates out of the coroutine.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingFunction<T, R> {
    /**
     * Applies the function.
     *
     * @param t the argument
     * @return the result
     * @throws Exception anything; it fails the future that runs this function
     */
    R apply(T t) throws Exception;
}
