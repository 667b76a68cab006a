/**
 * asyncio's cooperative model on one NIO thread.
 *
 * <ul>
 *   <li>{@link io.eventloop.EventLoop} — the loop: ready queue, timer heap, cross-thread inbox and
 *       a {@link java.nio.channels.Selector}; {@code runOnce()} is one iteration.</li>
 *   <li>{@link io.eventloop.Future} and {@link io.eventloop.Task} — results that are not there yet,
 *       composed with continuations ({@code map}, {@code then}, {@code recover}, {@code ensure});
 *       cancellation reaches the innermost wait.</li>
 *   <li>{@link io.eventloop.Async} — {@code sleep}, {@code gather}, {@code waitFor}, {@code shield},
 *       {@code wait}, {@code asCompleted}, {@code toThread}, loops.</li>
 *   <li>{@link io.eventloop.Handle}, {@link io.eventloop.TimerHandle} — scheduled callbacks.</li>
 *   <li>{@link io.eventloop.ExceptionHandler}, {@link io.eventloop.ErrorContext} — where unhandled
 *       errors go.</li>
 * </ul>
 *
 * <p>Threading: everything is confined to the loop thread except
 * {@link io.eventloop.EventLoop#callSoonThreadsafe} and {@link io.eventloop.EventLoop#submit}.
 */
package io.eventloop;
