package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS J.95, J.96, J.98: where exceptions go. */
class ExceptionHandlerTest {

    // ------------------------------------------------------------------ J.95 callbacks

    @Test
    void exceptionFromACallSoonCallbackGoesToTheHandlerWithContext() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            f.loop.callSoon(() -> log.add("before"));
            Handle h = f.loop.callSoon(() -> {
                throw boom;
            });
            f.loop.callSoon(() -> log.add("after"));
            f.iterate(1);
            assertEquals(List.of("before", "after"), log);
            assertEquals(1, f.errors.size());
            ErrorContext c = f.errors.get(0);
            assertTrue(c.message().startsWith("Exception in callback"), c.message());
            assertSame(boom, c.exception());
            assertSame(h, c.handle());
        }
    }

    @Test
    void exceptionFromATimerGoesToTheHandlerAndTheLoopKeepsRunning() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            IllegalArgumentException boom = new IllegalArgumentException("timer boom");
            TimerHandle h = f.loop.callLater(Duration.ofSeconds(1), () -> {
                throw boom;
            });
            f.loop.callLater(Duration.ofSeconds(1), () -> log.add("same deadline"));
            f.loop.callLater(Duration.ofSeconds(2), () -> log.add("later"));
            f.loop.runUntilComplete(Async.sleep(Duration.ofSeconds(3)));
            assertEquals(List.of("same deadline", "later"), log);
            assertEquals(1, f.errors.size());
            ErrorContext c = f.errors.get(0);
            assertTrue(c.message().startsWith("Exception in callback"), c.message());
            assertSame(boom, c.exception());
            assertSame(h, c.handle());
        }
    }

    @Test
    void manyFailingCallbacksAreEachReportedAndTheOthersStillRun() {
        try (FakeLoop f = new FakeLoop()) {
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                f.loop.callSoon(() -> {
                    if (n % 3 == 0) {
                        throw new IllegalStateException("callback " + n);
                    }
                    ran.add(n);
                });
            }
            f.iterate(1);
            assertEquals(List.of(1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19), ran);
            List<String> reported = new ArrayList<>();
            for (ErrorContext c : f.errors) {
                reported.add(c.exception().getMessage());
            }
            assertEquals(List.of("callback 0", "callback 3", "callback 6", "callback 9", "callback 12",
                    "callback 15", "callback 18"), reported);
        }
    }

    @Test
    void exceptionFromADoneCallbackGoesToTheHandlerAndOtherCallbacksStillRun() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("done callback");
            Future<String> p = f.loop.createFuture();
            p.onDone(d -> {
                throw boom;
            });
            p.onDone(d -> log.add("second callback"));
            p.complete("v");
            f.iterate(1);
            assertEquals(List.of("second callback"), log);
            assertEquals(1, f.errors.size());
            assertTrue(f.errors.get(0).message().startsWith("Exception in callback"));
            assertSame(boom, f.errors.get(0).exception());
        }
    }

    @Test
    void theHandlerIsToldWhichLoopSawTheError() {
        try (FakeLoop f = new FakeLoop()) {
            List<EventLoop> loops = new ArrayList<>();
            List<Boolean> onLoopThread = new ArrayList<>();
            f.loop.setExceptionHandler((l, c) -> {
                loops.add(l);
                onLoopThread.add(l.inLoopThread() && l.isRunning());
            });
            f.loop.callSoon(() -> {
                throw new IllegalStateException();
            });
            f.iterate(1);
            assertEquals(List.of(f.loop), loops);
            assertEquals(List.of(true), onLoopThread);
        }
    }

    @Test
    void callExceptionHandlerPassesTheContextThrough() {
        try (FakeLoop f = new FakeLoop()) {
            ErrorContext c = ErrorContext.of("custom", new IOException("x"));
            f.loop.callExceptionHandler(c);
            assertEquals(List.of(c), f.errors);
            assertNull(c.handle());
            assertNull(c.task());
        }
    }

    // ------------------------------------------------------------------ J.96 broken handlers

    @Test
    void aThrowingHandlerIsLoggedAndTheLoopGoesOn() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> log = new ArrayList<>();
            f.loop.setExceptionHandler((l, c) -> {
                log.add("handler called");
                throw new IllegalStateException("the handler is broken");
            });
            f.loop.callSoon(() -> {
                throw new IllegalArgumentException("the callback failed");
            });
            f.loop.callSoon(() -> log.add("next callback"));
            String stderr = captureStderr(() -> f.iterate(1));
            assertEquals(List.of("handler called", "next callback"), log);
            assertTrue(stderr.contains("Unhandled error in exception handler"), stderr);
            assertTrue(stderr.contains("the handler is broken"), stderr);
            f.loop.callSoon(() -> log.add("next iteration"));
            captureStderr(() -> f.iterate(1));
            assertEquals("next iteration", log.get(log.size() - 1));
        }
    }

    @Test
    void theDefaultHandlerLogsAndTheLoopGoesOn() {
        try (FakeLoop f = new FakeLoop()) {
            f.loop.setExceptionHandler(null); // null restores the default
            List<String> log = new ArrayList<>();
            f.loop.callSoon(() -> {
                throw new IllegalArgumentException("logged by default");
            });
            f.loop.callSoon(() -> log.add("next callback"));
            String stderr = captureStderr(() -> f.iterate(1));
            assertEquals(List.of("next callback"), log);
            assertTrue(stderr.contains("Exception in callback"), stderr);
            assertTrue(stderr.contains("logged by default"), stderr);
            assertTrue(f.errors.isEmpty(), "the replaced handler must not be called");
        }
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ Errors

    @Test
    void anErrorFromACallbackIsNotHandledButEndsTheRun() {
        try (FakeLoop f = new FakeLoop()) {
            AssertionError fatal = new AssertionError("fatal");
            f.loop.callSoon(() -> {
                throw fatal;
            });
            assertSame(fatal, assertThrows(AssertionError.class, () -> f.iterate(1)));
            assertTrue(f.errors.isEmpty());
            assertFalse(f.loop.isRunning());
            f.loop.callSoon(() -> { });
            f.iterate(1); // the loop can run again
        }
    }

    // ------------------------------------------------------------------ J.98 tasks

    @Test
    void aTasksExceptionIsRethrownToEveryAwaiter() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException boom = new IllegalStateException("task failed");
            Task<String> t = f.loop.createTask(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> {
                throw boom;
            }));
            List<Throwable> seen = new ArrayList<>();
            Future<String> a = t.recover(IllegalStateException.class, e -> {
                seen.add(e);
                return Async.completed("recovered");
            });
            Future<Integer> b = t.map(String::length);
            Future<String> c = t.then(v -> Async.completed("not reached"));
            Future<String> d = t.ensure(() -> { });
            t.onDone(x -> seen.add(x.exception()));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(t)));
            f.iterate(2);
            assertEquals("recovered", a.result());
            assertSame(boom, b.exception());
            assertSame(boom, c.exception());
            assertSame(boom, d.exception());
            assertEquals(2, seen.size());
            assertSame(boom, seen.get(0));
            assertSame(boom, seen.get(1));
            assertTrue(f.errors.isEmpty(), "a task's failure belongs to its awaiters: " + f.errors);
        }
    }

    @Test
    void aCheckedTaskExceptionReachesEveryAwaiterAsTheSameInstance() {
        try (FakeLoop f = new FakeLoop()) {
            IOException io = new IOException("checked");
            Task<String> t = f.loop.createTask(() -> Async.yieldNow().map(v -> {
                throw io;
            }));
            Future<String> a = t.map(v -> v);
            Future<String> b = t.recover(IOException.class, e -> Async.failed(e));
            CompletionException fromRun = assertThrows(CompletionException.class, () -> f.loop.runUntilComplete(t));
            assertSame(io, fromRun.getCause());
            f.loop.runUntilComplete(Async.gatherSettled(a, b));
            assertSame(io, a.exception());
            assertSame(io, b.exception());
            assertSame(io, assertThrows(CompletionException.class, a::result).getCause());
        }
    }

    @Test
    void anExceptionTravelsThroughAChainAsTheSameInstanceWithNothingAttached() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException boom = new IllegalStateException("original");
            Future<Integer> chain = Async.<Integer>failed(boom);
            for (int i = 0; i < 10; i++) {
                chain = chain.map(v -> v + 1)
                        .then(v -> Async.completed(v))
                        .ensure(() -> { })
                        .ensure(() -> Async.yieldNow())
                        .recover(IOException.class, e -> Async.completed(-1));
            }
            Future<Integer> end = chain;
            assertSame(boom, assertThrows(IllegalStateException.class, () -> f.loop.runUntilComplete(end)));
            assertNull(boom.getCause());
            assertEquals(0, boom.getSuppressed().length);
        }
    }

    @Test
    void awaitingInsideARecoverHandlerKeepsTheOriginalAsCauseWithoutACycle() {
        try (FakeLoop f = new FakeLoop()) {
            IllegalStateException original = new IllegalStateException("original");
            Future<String> rethrown = Async.<String>failed(original)
                    .recover(IllegalStateException.class, e -> Async.sleep(Duration.ofMillis(5))
                            .then(v -> Async.failed(e)));
            Future<String> replaced = Async.<String>failed(original)
                    .recover(IllegalStateException.class, e -> Async.sleep(Duration.ofMillis(5))
                            .map(v -> {
                                throw new IOException("while handling", e);
                            }));
            f.loop.runUntilComplete(Async.gatherSettled(rethrown, replaced));
            assertSame(original, rethrown.exception());
            Throwable second = replaced.exception();
            assertEquals("while handling", second.getMessage());
            assertSame(original, second.getCause());
            assertNull(original.getCause(), "the original must not point back at what replaced it");
            assertEquals(0, original.getSuppressed().length);
        }
    }
}
