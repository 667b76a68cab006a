package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BEHAVIOURS A.14 and A.7 (last part): {@link EventLoop#run}, asyncio's {@code asyncio.run}. */
class RunTest {

    @Test
    void runReturnsMainsValue() {
        AtomicReference<Task<?>> mainTask = new AtomicReference<>();

        String value = EventLoop.run(() -> {
            mainTask.set(EventLoop.current().currentTask());
            return Async.sleep(Duration.ofMillis(1)).map(v -> "hello");
        });

        assertEquals("hello", value);
        assertEquals("main", mainTask.get().name(), "main runs as a task named main");
    }

    @Test
    void runCancelsLeftoverTasksWaitsForThemThenShutsDownTheExecutorAndClosesTheLoop() {
        List<String> log = new ArrayList<>();
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        AtomicReference<ExecutorService> executor = new AtomicReference<>();
        AtomicReference<Task<String>> leftover = new AtomicReference<>();
        AtomicReference<Task<String>> neverStarted = new AtomicReference<>();
        AtomicBoolean neverStartedRan = new AtomicBoolean();

        String value = EventLoop.run(() -> {
            EventLoop l = EventLoop.current();
            loop.set(l);
            leftover.set(l.createTask("leftover", () -> Async.sleep(Duration.ofHours(1), "late")
                    .ensure(() -> Async.sleep(Duration.ofMillis(20)).map(v -> {
                        log.add("cleanup finished; loop closed=" + l.isClosed()
                                + ", executor shut down=" + executor.get().isShutdown());
                        return v;
                    }))));
            // Created in the iteration in which the loop stops for main's end: it never gets to start.
            l.currentTask().onDone(main -> neverStarted.set(l.createTask("never started", () -> {
                neverStartedRan.set(true);
                return Async.completed("ran");
            })));
            return Async.toThread(() -> "from a worker").map(w -> {
                executor.set(l.defaultExecutor.ifCreated());
                return "main done";
            });
        });

        assertEquals("main done", value);
        assertTrue(leftover.get().isCancelled());
        assertEquals(List.of("cleanup finished; loop closed=false, executor shut down=false"), log,
                "run waited for the cancelled task's cleanup, before shutting anything down");
        assertTrue(neverStarted.get().isCancelled());
        assertFalse(neverStartedRan.get(), "a task cancelled before it started never runs");
        assertTrue(executor.get().isTerminated(), "then the default executor was shut down and awaited");
        assertTrue(loop.get().isClosed(), "then the loop was closed");
        assertThrowsExactly(IllegalStateException.class, EventLoop::current, "no loop is left on this thread");
    }

    @Test
    void runReportsErrorsRaisedWhileCancellingToTheExceptionHandler() {
        List<ErrorContext> errors = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("failed while cancelling");
        AtomicReference<Task<String>> failing = new AtomicReference<>();
        AtomicReference<Task<String>> quiet = new AtomicReference<>();

        String value = EventLoop.run(() -> {
            EventLoop l = EventLoop.current();
            l.setExceptionHandler((loop, context) -> errors.add(context));
            failing.set(l.createTask("failing", () -> Async.sleep(Duration.ofHours(1), "late")
                    .recover(CancellationException.class, e -> {
                        throw failure;
                    })));
            quiet.set(l.createTask("quiet", () -> Async.sleep(Duration.ofHours(1), "late")));
            return Async.yieldNow().map(v -> "main done");
        });

        assertEquals("main done", value);
        assertTrue(quiet.get().isCancelled());
        assertSame(failure, failing.get().exception());
        assertEquals(1, errors.size(), errors::toString);
        assertSame(failure, errors.get(0).exception());
        assertSame(failing.get(), errors.get(0).task());
    }

    @Test
    void runThrowsAnUncheckedFailureOfMainAsItIs() {
        IllegalArgumentException failure = new IllegalArgumentException("main failed");

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> EventLoop.run(() -> Async.yieldNow().map(v -> {
                    throw failure;
                })));

        assertSame(failure, thrown);
    }

    @Test
    void runWrapsACheckedFailureOfMainInCompletionException() {
        IOException failure = new IOException("main failed");

        CompletionException thrown = assertThrows(CompletionException.class,
                () -> EventLoop.run(() -> Async.failed(failure)));

        assertSame(failure, thrown.getCause());
    }

    @Test
    void runOfACancelledMainThrowsCancellation() {
        assertThrows(CancellationException.class, () -> EventLoop.run(() -> {
            EventLoop.current().currentTask().cancel();
            return Async.sleep(Duration.ofHours(1));
        }));
    }

    @Test
    void runCancelsLeftoverTasksAndClosesTheLoopWhenMainFails() {
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        AtomicReference<Task<String>> leftover = new AtomicReference<>();

        assertThrowsExactly(IllegalStateException.class, () -> EventLoop.run(() -> {
            loop.set(EventLoop.current());
            leftover.set(EventLoop.current().createTask(() -> Async.sleep(Duration.ofHours(1), "late")));
            return Async.yieldNow().map(v -> {
                throw new IllegalStateException("main failed");
            });
        }));

        assertTrue(leftover.get().isCancelled());
        assertTrue(loop.get().isClosed());
    }

    @Test
    void runFromInsideARunningLoopThrowsIllegalState() {
        AtomicReference<Throwable> nested = new AtomicReference<>();
        AtomicBoolean innerRan = new AtomicBoolean();

        String value = EventLoop.run(() -> {
            try {
                EventLoop.run(() -> {
                    innerRan.set(true);
                    return Async.completed("inner");
                });
            } catch (Throwable t) {
                nested.set(t);
            }
            return Async.completed("outer");
        });

        assertEquals("outer", value);
        assertEquals(IllegalStateException.class, nested.get().getClass(), String.valueOf(nested.get()));
        assertFalse(innerRan.get());
    }

    @Test
    void runFromACallbackOfAnotherRunningLoopThrowsIllegalState() {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Throwable> nested = new AtomicReference<>();
            f.loop.callSoon(() -> {
                try {
                    EventLoop.run(() -> Async.completed("inner"));
                } catch (Throwable t) {
                    nested.set(t);
                }
            });

            f.iterate(1);

            assertEquals(IllegalStateException.class, nested.get().getClass(), String.valueOf(nested.get()));
            assertFalse(f.loop.isClosed());
        }
    }

    @Test
    void runRefusesANullMain() {
        assertThrows(NullPointerException.class, () -> EventLoop.run(null));
        assertThrows(NullPointerException.class, () -> EventLoop.run(EventLoop.Options.defaults(), null));
    }

    @Test
    void runOfAMainThatReturnsNullFails() {
        assertThrows(NullPointerException.class, () -> EventLoop.run(() -> null));
    }

    @Test
    void runWaitsForAStuckWorkerNoLongerThanTheExecutorShutdownTimeout() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread watchdog = new Thread(() -> {
            try {
                if (!returned.await(30, TimeUnit.SECONDS)) {
                    release.countDown(); // run waited for the worker: unblock it so the test can fail
                }
            } catch (InterruptedException e) {
                release.countDown();
            }
        }, "test-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        AtomicReference<ExecutorService> executor = new AtomicReference<>();
        EventLoop.Options options = EventLoop.Options.defaults().executorShutdownTimeout(Duration.ofMillis(100));
        try {
            String value = EventLoop.run(options, () -> {
                Async.toThread(() -> {
                    started.countDown();
                    release.await();
                    return "released";
                });
                return Async.toThread(() -> started.await(10, TimeUnit.SECONDS)).map(ok -> {
                    executor.set(EventLoop.current().defaultExecutor.ifCreated());
                    return "main done, worker started=" + ok;
                });
            });
            returned.countDown();

            assertEquals("main done, worker started=true", value);
            assertEquals(1, release.getCount(), "run returned while the worker was still stuck");
            assertFalse(executor.get().isTerminated());
        } finally {
            returned.countDown();
            release.countDown();
            watchdog.join(10_000);
        }
        assertTrue(executor.get().awaitTermination(10, TimeUnit.SECONDS));
    }
}
