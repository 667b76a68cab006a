/**
 * Straight-line {@code await} on the loop thread (JDK 21+): {@link io.eventloop.await.Await#async}
 * makes a task whose body is sequential code, {@link io.eventloop.await.Await#await} suspends it
 * until a future is done. The body is a one-shot continuation driven by its task through
 * {@link io.eventloop.Task.Stepper}; see {@code docs/architecture.md}, "Coroutine tasks".
 *
 * <p>Every JVM running it needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 */
package io.eventloop.await;
