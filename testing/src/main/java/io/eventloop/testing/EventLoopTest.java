package io.eventloop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test on a fresh loop, on fake time: pytest-asyncio's {@code @pytest.mark.asyncio},
 * kotlinx-coroutines-test's {@code runTest}.
 *
 * <pre>
 * &#64;EventLoopTest
 * class GreeterTest {
 *     &#64;EventLoopTest                      // not @Test: JUnit runs only void @Test methods
 *     Future&lt;?&gt; greetsAfterAnHour(EventLoop loop, TestClock clock) {
 *         return Async.sleep(Duration.ofHours(1)).map(v -&gt; {
 *             assertEquals(Duration.ofHours(1), clock.elapsed());   // at once, in wall time
 *             return v;
 *         });
 *     }
 * }
 * </pre>
 *
 * <p>On a class, every test method of it (and of subclasses); on a method, that one, which it
 * also makes a test: {@code @EventLoopTest Future<?> name(...)} needs no {@code @Test} (JUnit
 * runs only {@code void} {@code @Test} methods, so a future-returning one is run through
 * {@code @TestFactory}, which this annotation carries, as one test named "runs to completion";
 * a {@code void} one keeps its {@code @Test}). The method
 * runs on the loop's thread, with the loop {@linkplain io.eventloop.EventLoop#current() current}
 * but not yet running, and may take an {@code EventLoop} and a {@link TestClock}. If it returns an
 * {@code io.eventloop.Future}, the loop runs until that completes, and its failure is the test's;
 * if it returns {@code void}, the loop runs until nothing is left to do. Then the test fails,
 * saying what to fix, if:
 * <ul>
 *   <li>a task or future failed and nobody retrieved it, or anything else reached the loop's
 *       exception handler (each report is in the failure, its exception as the cause);</li>
 *   <li>tasks are still pending: each is listed with its name, creation site (debug mode is on)
 *       and what it waits on;</li>
 *   <li>the loop can never go on: nothing is ready and nothing can make anything ready;</li>
 *   <li>the test runs longer than {@link #timeoutMillis()} of real time; the failure shows the
 *       pending tasks and the loop thread's stack.</li>
 * </ul>
 * The loop is closed after each test, so a test cannot use another test's loop; a future of
 * another loop returned by a test is refused naming both.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EventLoopExtension.class)
@TestFactory
public @interface EventLoopTest {
    /**
     * Whether fake time jumps to the next timer when the loop is idle (see {@link TestClock}).
     *
     * @return true to auto-advance (the default)
     */
    boolean autoAdvance() default true;

    /**
     * The real-time limit of one test, in milliseconds.
     *
     * @return the limit in milliseconds
     */
    long timeoutMillis() default 30_000;

    /**
     * Whether the loop runs in debug mode (creation sites of tasks and futures, slow callbacks).
     *
     * @return true for debug mode (the default)
     */
    boolean debug() default true;
}
