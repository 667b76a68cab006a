/**
 * Testing code on the loop with JUnit 5: pytest-asyncio and trio.testing for Java.
 *
 * <ul>
 *   <li>{@link io.eventloop.testing.EventLoopTest} — a fresh loop per test, the test method run
 *       on its thread (returning {@code void} or a {@code Future} the loop runs to completion),
 *       {@code EventLoop} and {@code TestClock} injected as parameters; the test fails on a
 *       failure nobody retrieved, a call of the exception handler, a task left pending, a loop
 *       that can never go on, or a real-time limit, each with a message naming what to fix.</li>
 *   <li>{@link io.eventloop.testing.TestClock} — fake time, auto-advancing to the next timer when
 *       the loop is idle, or moved by hand.</li>
 *   <li>{@link io.eventloop.testing.MemoryConnection} — two connected transports with no socket,
 *       for testing a protocol or a stream handler deterministically.</li>
 *   <li>{@link io.eventloop.testing.LoopAssertions} — asserts on futures, and stepping the loop.</li>
 * </ul>
 */
package io.eventloop.testing;
