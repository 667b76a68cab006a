package io.eventloop.testing;

import io.eventloop.ErrorContext;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.internal.LoopAccess;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link EventLoopTest}: a loop on a {@link TestClock} per test, the test
 * method run on the loop's thread, a returned future run to completion, and the checks that make
 * a test fail instead of passing with a problem hidden. Registered by the annotation; it can also
 * be registered with {@code @ExtendWith(EventLoopExtension.class)}, with the annotation's defaults.
 *
 * <p>A method returning a {@code Future} is run through JUnit's {@code @TestFactory} machinery
 * ({@code @EventLoopTest} is one), because JUnit runs only {@code void} {@code @Test} methods;
 * such a method annotated {@code @Test} alone would be skipped without a word, so a class using
 * the extension fails naming it.
 */
public final class EventLoopExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    private static final Namespace NAMESPACE = Namespace.create(EventLoopExtension.class);
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eventloop-test-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** The extension; JUnit makes it for {@link EventLoopTest} and for {@code @ExtendWith}. */
    public EventLoopExtension() {
    }

    /** One test's loop, clock and what reached the exception handler. */
    private static final class TestLoop {
        final EventLoop loop;
        final TestClock clock;
        final EventLoopTest config;
        final String name;
        final Thread thread = Thread.currentThread();
        final List<ErrorContext> reports = Collections.synchronizedList(new ArrayList<>());
        volatile StackTraceElement[] stackAtTimeout;
        /** The test has failed already: what is left pending is a consequence, not news. */
        boolean failed;

        TestLoop(EventLoopTest config, String name) {
            this.config = config;
            this.name = name;
            this.clock = new TestClock(config.autoAdvance());
            this.loop = LoopAccess.bridge().newLoop(EventLoop.Options.defaults().debug(config.debug()), clock, name);
            clock.attach(loop);
            loop.setExceptionHandler((l, context) -> reports.add(context));
        }
    }

    @EventLoopTest
    private static final class Defaults {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Method m : ReflectionSupport.findMethods(context.getRequiredTestClass(),
                m -> AnnotationSupport.isAnnotated(m, Test.class), HierarchyTraversalMode.TOP_DOWN)) {
            if (Future.class.isAssignableFrom(m.getReturnType()) && !AnnotationSupport.isAnnotated(m, EventLoopTest.class)) {
                throw new IllegalStateException(m.getName() + " returns a Future and is annotated @Test alone: JUnit "
                        + "would skip it without a word. Annotate it @EventLoopTest instead of @Test.");
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        EventLoopTest config = AnnotationSupport.findAnnotation(context.getElement(), EventLoopTest.class)
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), EventLoopTest.class))
                .orElse(Defaults.class.getAnnotation(EventLoopTest.class));
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        store(context).put(TestLoop.class, new TestLoop(config, name));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EventLoop.class || type == TestClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestLoop t = testLoop(context);
        return parameter.getParameter().getType() == EventLoop.class ? t.loop : t.clock;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        TestLoop t = testLoop(context);
        withTimeout(t, () -> {
            invocation.proceed();
            t.clock.settle(); // what the body started runs, without waiting on anything real
            return null;
        });
    }

    /** A {@code @ParameterizedTest} or {@code @RepeatedTest} invocation: as a {@code void} test. */
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        interceptTestMethod(invocation, method, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        if (!Future.class.isAssignableFrom(method.getExecutable().getReturnType())) {
            return invocation.proceed(); // a real test factory, not ours
        }
        TestLoop t = testLoop(context);
        Object[] result = new Object[1];
        withTimeout(t, () -> result[0] = invocation.proceed());
        if (!(result[0] instanceof Future<?> future)) {
            throw new IllegalStateException(method.getExecutable().getName() + " returned null, not a Future");
        }
        // The future is the test: one dynamic test runs the loop until it completes, so that the
        // outcome is reported (and counted) as a test's.
        @SuppressWarnings("unchecked")
        T one = (T) Stream.of(DynamicTest.dynamicTest("runs to completion",
                () -> withTimeout(t, () -> {
                    runToCompletion(t, future);
                    return null;
                })));
        return one;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestLoop t = store(context).remove(TestLoop.class, TestLoop.class);
        if (t == null) {
            return;
        }
        Throwable failure = null;
        try {
            if (!t.loop.isClosed() && !t.loop.isRunning()) {
                t.clock.settle(); // what the test and its @AfterEach methods left to run
            }
            List<Task<?>> pending = pending(t.loop);
            if (!pending.isEmpty() && !t.failed && context.getExecutionException().isEmpty()) {
                failure = new AssertionError(pendingMessage(pending)
                        + "\nNothing left can make them go on without waiting on something real or on nothing.");
            }
            cancelAndClose(t);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (!t.reports.isEmpty()) {
            AssertionError reported = reportsFailure(t.reports);
            if (failure == null) {
                failure = reported;
            } else {
                failure.addSuppressed(reported);
            }
        }
        if (failure != null) {
            context.getExecutionException().ifPresent(failure::addSuppressed);
            throw failure instanceof AssertionError a ? a : new AssertionError(failure.getMessage(), failure);
        }
    }

    // ------------------------------------------------------------------ running

    private interface Body {
        Object run() throws Throwable;
    }

    /** Runs {@code body}, stopping the loop if it is still running after the real-time limit. */
    private static void withTimeout(TestLoop t, Body body) throws Throwable {
        ScheduledFuture<?> guard = TIMEOUTS.schedule(() -> {
            t.stackAtTimeout = t.thread.getStackTrace();
            try {
                t.loop.callSoonThreadsafe(t.loop::stop);
            } catch (IllegalStateException closed) {
                // the test ended meanwhile
            }
        }, t.config.timeoutMillis(), TimeUnit.MILLISECONDS);
        try {
            body.run();
        } catch (Throwable e) {
            t.failed = true;
            throw e;
        } finally {
            guard.cancel(false);
        }
    }

    private static void runToCompletion(TestLoop t, Future<?> future) throws Throwable {
        if (future.loop() != t.loop) {
            throw new IllegalStateException("the test returned a future of another loop: " + future.loop()
                    + ", not of its own " + t.loop + " (each test's loop is named after its test)");
        }
        while (!future.isDone()) {
            try {
                t.loop.runUntilComplete(future);
            } catch (IllegalStateException stopped) {
                if (future.isDone()) {
                    break;
                }
                throw interrupted(t, stopped);
            }
        }
        if (future.isCancelled() || future.exception() != null) {
            future.result(); // throws the failure as the test's own
        }
    }

    /** The loop was stopped before the test's future completed: stuck, or over the time limit. */
    private static AssertionError interrupted(TestLoop t, IllegalStateException stopped) {
        StringBuilder why = new StringBuilder();
        if (t.stackAtTimeout != null) {
            why.append("the test ran longer than its limit of ").append(t.config.timeoutMillis())
                    .append(" ms of real time (@EventLoopTest(timeoutMillis = ...))");
        } else if (t.clock.stuck() != null) {
            why.append("the test can never finish: ").append(t.clock.stuck());
        } else {
            why.append("the loop was stopped before the test's future completed");
        }
        List<Task<?>> pending = pending(t.loop);
        if (!pending.isEmpty()) {
            why.append('\n').append(pendingMessage(pending));
        }
        AssertionError e = new AssertionError(why.toString(), stopped);
        if (t.stackAtTimeout != null) {
            Throwable stack = new Throwable("the loop thread when the limit passed");
            stack.setStackTrace(t.stackAtTimeout);
            e.addSuppressed(stack);
        }
        return e;
    }

    /** Cancels what is left, lets it run its cleanup, and closes the loop (which reports what nobody retrieved). */
    private static void cancelAndClose(TestLoop t) {
        EventLoop loop = t.loop;
        if (loop.isClosed()) {
            return;
        }
        List<Task<?>> pending = pending(loop);
        for (Task<?> task : pending) {
            task.cancel();
        }
        for (int i = 0; i < 100 && !pending(loop).isEmpty(); i++) {
            loop.runOnce(java.time.Duration.ZERO);
        }
        loop.close();
    }

    // ------------------------------------------------------------------ messages

    private static List<Task<?>> pending(EventLoop loop) {
        List<Task<?>> pending = new ArrayList<>();
        if (!loop.isClosed()) {
            for (Task<?> task : loop.allTasks()) {
                if (!task.isDone()) {
                    pending.add(task);
                }
            }
        }
        return pending;
    }

    private static String pendingMessage(List<Task<?>> pending) {
        StringBuilder sb = new StringBuilder().append(pending.size()).append(pending.size() == 1 ? " task is" : " tasks are")
                .append(" still pending when the test ends (cancel or await them):");
        for (Task<?> task : pending) {
            sb.append("\n  ").append(task);
        }
        return sb.toString();
    }

    private static AssertionError reportsFailure(List<ErrorContext> reports) {
        StringBuilder sb = new StringBuilder("the loop's exception handler was called ").append(reports.size())
                .append(reports.size() == 1 ? " time" : " times").append(" (a failure nobody retrieved, a callback that threw):");
        for (ErrorContext c : reports) {
            sb.append("\n  ").append(c.message());
            if (c.exception() != null) {
                sb.append(": ").append(c.exception());
            }
        }
        AssertionError e = new AssertionError(sb.toString());
        for (ErrorContext c : reports) {
            if (c.exception() != null) {
                e.addSuppressed(c.exception());
            }
        }
        if (reports.get(0).exception() != null) {
            e.initCause(reports.get(0).exception());
        }
        return e;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    private static TestLoop testLoop(ExtensionContext context) {
        TestLoop t = store(context).get(TestLoop.class, TestLoop.class);
        if (t == null) {
            throw new IllegalStateException("no loop for " + context.getDisplayName() + ": is the test annotated @EventLoopTest?");
        }
        return t;
    }
}
