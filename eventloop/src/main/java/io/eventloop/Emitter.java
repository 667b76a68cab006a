package io.eventloop;

/**
 * What the producer of an {@linkplain Async#generate async generator} uses to hand out values:
 * the {@code yield} of an {@code async def}.
 *
 * <p>Compared with asyncio: {@code yield v} suspends the generator until the consumer asks for
 * the next value; {@code emit(v)} returns a future that completes at that moment, and the
 * producer continues from it with {@code then}. When the consumer stops early
 * ({@code closeAsync()}), that future is cancelled, which is how the {@code GeneratorExit} that
 * asyncio throws in at the {@code yield} arrives here. Compared with a
 * {@code Flow.Subscriber}'s {@code onNext}: the producer may not emit again until the future of
 * the previous emit completes.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface Emitter<T> {
    /**
     * Hands {@code value} to the consumer's pending {@code next()}: {@code yield value}.
     *
     * @param value the value; not null
     * @return a future that completes when the consumer asks for the next value, and is cancelled
     *         when the consumer closes the generator instead
     * @throws NullPointerException if {@code value} is null (an empty Optional means exhaustion)
     * @throws IllegalStateException if the previous value was not taken yet, or the generator
     *         is finished
     */
    Future<Void> emit(T value);
}
