package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * BEHAVIOURS K: the door into the loop from other threads ({@code callSoonThreadsafe},
 * {@code submit}, {@code toCompletableFuture}) and the executor bridge ({@code runInExecutor}).
 * Latches and joins carry a generous timeout only so that a broken loop fails instead of hanging.
 */
class ThreadBridgeTest {
    private static final long GUARD_SECONDS = 10;

    /** A real loop (real selector) running forever on its own thread until closed. */
    private static final class LoopThread implements AutoCloseable {
        final EventLoop loop;
        final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        LoopThread() throws Exception {
            this(null);
        }

        LoopThread(Poller poller) throws Exception {
            CompletableFuture<EventLoop> made = new CompletableFuture<>();
            thread = new Thread(() -> {
                EventLoop l = poller == null ? new EventLoop()
                        : new EventLoop(EventLoop.Options.defaults(), Clock.SYSTEM, poller);
                made.complete(l);
                try {
                    l.runForever();
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    l.close();
                }
            }, "test-loop");
            thread.setDaemon(true); // should a broken loop never wake, it must not keep the JVM alive
            thread.start();
            loop = made.get(GUARD_SECONDS, TimeUnit.SECONDS);
        }

        /** Runs {@code work} on the loop thread and returns what it returned. */
        <T> T onLoop(Callable<T> work) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            return result.get(GUARD_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (!loop.isClosed()) {
                loop.callSoonThreadsafe(loop::stop);
            }
            thread.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
            assertFalse(thread.isAlive(), "the loop thread ended");
            assertNull(failure.get(), "the loop run ended normally");
        }
    }

    /** The real selector, watched: counts wake-ups and signals each select that blocks without a timeout. */
    private static final class WatchedPoller implements Poller {
        final NioPoller real = new NioPoller();
        final Semaphore blockingSelects = new Semaphore(0);
        final AtomicInteger wakeups = new AtomicInteger();

        @Override
        public int select(long timeoutMillis, Consumer<SelectionKey> onReady) throws IOException {
            if (timeoutMillis < 0) {
                blockingSelects.release();
            }
            return real.select(timeoutMillis, onReady);
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            real.wakeup();
        }

        @Override
        public SelectionKey register(SelectableChannel channel, int ops, Object attachment) throws java.nio.channels.ClosedChannelException {
            return real.register(channel, ops, attachment);
        }

        @Override
        public SelectionKey keyFor(SelectableChannel channel) {
            return real.keyFor(channel);
        }

        @Override
        public int registeredCount() {
            return real.registeredCount();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    /** Runs {@code action} on a new thread and returns what it threw, or null. */
    private static Throwable thrownOnAnotherThread(Executable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "test-other");
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        assertFalse(t.isAlive());
        return thrown.get();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(GUARD_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + latch);
    }

    // ------------------------------------------------------------------ K.100

    @Test
    void aLoopCreatedHereAndRunOnAnotherThreadAcceptsSubmissionsAtOnce() throws Exception {
        // The embedding pattern: create the loop, hand it to a thread, submit right away. The
        // creating thread must not be mistaken for the loop thread while the runner starts.
        for (int round = 0; round < 50; round++) {
            EventLoop loop = new EventLoop();
            Thread runner = new Thread(loop::runForever, "runner-" + round);
            runner.start();
            try {
                CompletableFuture<Integer> answer = loop.submit(() -> Async.completed(42));
                assertEquals(42, answer.get(10, TimeUnit.SECONDS));
            } finally {
                loop.callSoonThreadsafe(loop::stop);
                runner.join(10_000);
                loop.close();
            }
        }
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInSelectWithNoTimers() throws Exception {
        WatchedPoller poller = new WatchedPoller();
        try (LoopThread lt = new LoopThread(poller)) {
            assertTrue(poller.blockingSelects.tryAcquire(GUARD_SECONDS, TimeUnit.SECONDS),
                    "the idle loop blocks in select with no timeout");
            assertEquals(0, poller.wakeups.get());
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();

            lt.loop.callSoonThreadsafe(() -> ranOn.complete(Thread.currentThread()));

            assertSame(lt.thread, ranOn.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, poller.wakeups.get(), "one wake-up of the selector");
        }
    }

    @Test
    void callSoonThreadsafeFromAnotherThreadKeepsFifoOrderWithCallSoon() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            List<String> results = new ArrayList<>();
            Future<Void> both = loop.createFuture();
            Consumer<String> callback = arg -> {
                results.add(arg);
                if (results.size() == 2) {
                    both.complete(null);
                }
            };

            assertNull(thrownOnAnotherThread(() -> loop.callSoonThreadsafe(() -> callback.accept("hello"))));
            loop.callSoon(() -> callback.accept("world"));
            loop.runUntilComplete(both);

            assertEquals(List.of("hello", "world"), results);
        }
    }

    @Test
    void callbacksFromAnotherThreadInterleaveFifoWithCallSoonOfARunningLoop() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            List<String> results = new ArrayList<>();
            Future<Void> all = loop.createFuture();
            Consumer<String> callback = arg -> {
                results.add(arg);
                if (results.size() == 3) {
                    all.complete(null);
                }
            };
            loop.callSoon(() -> {
                loop.callSoon(() -> callback.accept("a1"));
                try {
                    assertNull(thrownOnAnotherThread(() -> loop.callSoonThreadsafe(() -> callback.accept("b1"))));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                loop.callSoon(() -> callback.accept("a2"));
            });

            loop.runUntilComplete(all);

            assertEquals(List.of("a1", "b1", "a2"), results);
        }
    }

    @Test
    void callSoonThreadsafeOnTheLoopThreadKeepsFifoOrderWithCallSoon() {
        try (FakeLoop f = new FakeLoop()) {
            List<String> results = new ArrayList<>();
            f.loop.callSoonThreadsafe(() -> results.add("hello"));
            f.loop.callSoon(() -> results.add("world"));
            f.loop.callSoonThreadsafe(() -> results.add("again"));

            f.iterate(1);

            assertEquals(List.of("hello", "world", "again"), results);
        }
    }

    @Test
    void callbacksFromOneThreadRunInTheOrderTheyWereSent() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch last = new CountDownLatch(1);
            int n = 10_000;

            for (int i = 0; i < n; i++) {
                int value = i;
                lt.loop.callSoonThreadsafe(() -> {
                    seen.add(value);
                    if (value == n - 1) {
                        last.countDown();
                    }
                });
            }

            await(last);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertEquals(expected, seen);
        }
    }

    // ------------------------------------------------------------------ K.101, K.102

    @Test
    void loopAffineCallsFromAnotherThreadThrowIllegalStateNamingTheThreadsafeDoor() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            Future<String> fut = lt.onLoop(() -> lt.loop.createFuture());
            Runnable nothing = () -> { };
            List<Executable> calls = List.of(
                    () -> lt.loop.callSoon(nothing),
                    () -> lt.loop.callLater(Duration.ofSeconds(1), nothing),
                    () -> lt.loop.callAt(0, nothing),
                    () -> lt.loop.createTask(() -> Async.completed("x")),
                    () -> fut.complete("from the wrong thread"),
                    () -> fut.fail(new IOException("from the wrong thread")),
                    () -> fut.cancel(),
                    () -> fut.onDone(x -> { }),
                    () -> fut.map(x -> x));

            for (Executable call : calls) {
                IllegalStateException e = assertThrowsExactly(IllegalStateException.class, call);
                assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
            }
            assertFalse(lt.onLoop(fut::isDone), "nothing reached the future");
            assertEquals(0, (int) lt.onLoop(() -> lt.loop.timerCount()));
        }
    }

    @Test
    void aLoopThatIsNotRunningBelongsToTheThreadThatMadeIt() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fut = f.loop.createFuture();

            Throwable callSoon = thrownOnAnotherThread(() -> f.loop.callSoon(() -> { }));
            Throwable complete = thrownOnAnotherThread(() -> fut.complete("x"));

            assertNotNull(callSoon);
            assertEquals(IllegalStateException.class, callSoon.getClass());
            assertTrue(callSoon.getMessage().contains("callSoonThreadsafe"), callSoon.getMessage());
            assertNotNull(complete);
            assertEquals(IllegalStateException.class, complete.getClass());
            assertFalse(fut.isDone());
            assertNull(thrownOnAnotherThread(() -> f.loop.callSoonThreadsafe(() -> fut.complete("through the door"))));
            f.iterate(1);
            assertEquals("through the door", fut.result());
        }
    }

    @Test
    void callSoonThreadsafeOnAClosedLoopThrowsIllegalState() throws Exception {
        EventLoop loop = new EventLoop();
        loop.close();
        AtomicBoolean ran = new AtomicBoolean();

        assertThrowsExactly(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> ran.set(true)));
        Throwable fromOtherThread = thrownOnAnotherThread(() -> loop.callSoonThreadsafe(() -> ran.set(true)));
        assertEquals(IllegalStateException.class, fromOtherThread == null ? null : fromOtherThread.getClass());
        assertThrowsExactly(IllegalStateException.class, () -> loop.submit(() -> Async.completed("x")));
        assertFalse(ran.get());
    }

    @Test
    void callSoonThreadsafeAfterTheLoopThreadClosedItThrowsIllegalState() throws Exception {
        LoopThread lt = new LoopThread();
        lt.close();

        assertThrowsExactly(IllegalStateException.class, () -> lt.loop.callSoonThreadsafe(() -> { }));
    }

    // ------------------------------------------------------------------ K.103 submit

    @Test
    void submitRunsTheCoroutineAsATaskOnTheLoopAndHandsBackItsValue() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicReference<Task<?>> task = new AtomicReference<>();

            CompletableFuture<String> cf = lt.loop.submit(() -> {
                ranOn.set(Thread.currentThread());
                task.set(lt.loop.currentTask());
                return Async.sleep(Duration.ofMillis(1), "value");
            });

            assertEquals("value", cf.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertSame(lt.thread, ranOn.get());
            assertNotNull(task.get(), "the coroutine runs inside a task");
        }
    }

    @Test
    void submitHandsBackTheFailureItself() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            IOException checked = new IOException("checked");
            IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");

            CompletableFuture<String> a = lt.loop.submit(() -> Async.yieldNow().map(v -> {
                throw checked;
            }));
            CompletableFuture<String> b = lt.loop.submit(() -> {
                throw unchecked;
            });

            ExecutionException ea = assertThrows(ExecutionException.class, () -> a.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertSame(checked, ea.getCause());
            ExecutionException eb = assertThrows(ExecutionException.class, () -> b.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertSame(unchecked, eb.getCause());
        }
    }

    @Test
    void submitHandsBackACancellationOnTheLoop() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CompletableFuture<String> cf = lt.loop.submit(() -> {
                lt.loop.currentTask().cancel();
                return Async.sleep(Duration.ofHours(1), "never");
            });

            assertThrows(CancellationException.class, () -> cf.get(GUARD_SECONDS, TimeUnit.SECONDS));
            assertTrue(cf.isCancelled());
        }
    }

    @Test
    void aTimedOutGetThatCancelsLeavesNoPendingTask() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch cleanedUp = new CountDownLatch(1);
            CountDownLatch taskDone = new CountDownLatch(1);
            AtomicReference<Task<?>> task = new AtomicReference<>();
            CompletableFuture<String> cf = lt.loop.submit(() -> {
                Task<?> t = lt.loop.currentTask();
                task.set(t);
                t.onDone(x -> taskDone.countDown());
                started.countDown();
                return Async.sleep(Duration.ofHours(1), "late").ensure(cleanedUp::countDown);
            });
            await(started);

            assertThrows(TimeoutException.class, () -> cf.get(20, TimeUnit.MILLISECONDS));
            assertTrue(cf.cancel(true));

            await(cleanedUp);
            await(taskDone);
            assertTrue(lt.onLoop(() -> task.get().isCancelled()));
            assertEquals(List.of(), lt.onLoop(() -> lt.loop.allTasks()));
        }
    }

    @Test
    void cancellingBeforeTheLoopTakesTheSubmissionMeansTheCoroutineNeverStarts() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            AtomicBoolean started = new AtomicBoolean();
            AtomicReference<CompletableFuture<String>> cf = new AtomicReference<>();
            assertNull(thrownOnAnotherThread(() -> cf.set(f.loop.submit(() -> {
                started.set(true);
                return Async.completed("x");
            }))));

            assertTrue(cf.get().cancel(true));
            f.iterate(2);

            assertFalse(started.get());
            assertEquals(List.of(), f.loop.allTasks());
        }
    }

    // ------------------------------------------------------------------ K.105 (toCompletableFuture, submit)

    @Test
    void cancellingTheLoopFutureCancelsItsCompletableFuture() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fut = f.loop.createFuture();
            CompletableFuture<String> cf = fut.toCompletableFuture();

            fut.cancel();
            f.iterate(1);

            assertTrue(cf.isCancelled());
        }
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheLoopFuture() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            Future<String> fut = lt.onLoop(() -> lt.loop.createFuture());
            CompletableFuture<String> cf = lt.onLoop(fut::toCompletableFuture);

            assertTrue(cf.cancel(true));

            assertTrue(lt.onLoop(fut::isCancelled), "the cancel crossed to the loop before the later callback");
        }
    }

    @Test
    void aCompletedCompletableFutureKeepsItsResult() {
        try (FakeLoop f = new FakeLoop()) {
            Future<String> fut = f.loop.createFuture();
            CompletableFuture<String> cf = fut.toCompletableFuture();
            fut.complete("kept");
            f.iterate(1);

            assertFalse(fut.cancel());
            assertFalse(cf.cancel(true));
            f.iterate(1);

            assertEquals("kept", cf.getNow("missing"));
            assertEquals("kept", fut.result());
        }
    }

    @Test
    void aSubmittedTaskThatFinishedKeepsItsResultWhenItsFutureIsCancelledLate() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            AtomicReference<Task<?>> task = new AtomicReference<>();
            CompletableFuture<String> cf = lt.loop.submit(() -> {
                task.set(lt.loop.currentTask());
                return Async.completed("done");
            });
            assertEquals("done", cf.get(GUARD_SECONDS, TimeUnit.SECONDS));

            assertFalse(cf.cancel(true));

            assertEquals("done", lt.onLoop(() -> task.get().result()));
        }
    }

    @Test
    void cancellingASubmittedTaskOnTheLoopCancelsItsCompletableFuture() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Task<?>> task = new AtomicReference<>();
            CompletableFuture<String> cf = lt.loop.submit(() -> {
                task.set(lt.loop.currentTask());
                started.countDown();
                return Async.sleep(Duration.ofHours(1), "late");
            });
            await(started);

            assertTrue(lt.onLoop(() -> task.get().cancel()));

            assertThrows(CancellationException.class, () -> cf.get(GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    // ------------------------------------------------------------------ K.107

    @Test
    void blockingOnALoopFutureFromTheLoopThreadThrowsInsteadOfDeadlocking() throws Exception {
        try (LoopThread lt = new LoopThread()) {
            Future<String> gate = lt.onLoop(() -> lt.loop.createFuture());
            List<CompletableFuture<?>> futures = lt.onLoop(() -> {
                CompletableFuture<String> cf = gate.toCompletableFuture();
                CompletableFuture<String> submitted = lt.loop.submit(() -> gate);
                return List.of(cf, submitted, cf.thenApply(String::length));
            });
            List<Executable> blockingCalls = new ArrayList<>();
            for (CompletableFuture<?> c : futures) {
                blockingCalls.add(c::get);
                blockingCalls.add(c::join);
                blockingCalls.add(() -> c.get(GUARD_SECONDS, TimeUnit.SECONDS));
            }
            CompletableFuture<List<String>> outcomes = new CompletableFuture<>();
            lt.loop.callSoonThreadsafe(() -> {
                List<String> seen = new ArrayList<>();
                for (Executable call : blockingCalls) {
                    try {
                        call.execute();
                        seen.add("returned");
                    } catch (Throwable t) {
                        seen.add(t.getClass().getSimpleName());
                    }
                }
                outcomes.complete(seen);
            });

            List<String> seen;
            try {
                seen = outcomes.get(GUARD_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException deadlocked) {
                futures.forEach(c -> c.cancel(false)); // release the blocked loop thread
                throw new AssertionError("a blocking call on the loop thread blocked it", deadlocked);
            }
            assertEquals(Collections.nCopies(9, "IllegalStateException"), seen);
            assertFalse(futures.stream().anyMatch(CompletableFuture::isDone));

            lt.onLoop(() -> gate.complete("open"));
            assertEquals("open", futures.get(1).get(GUARD_SECONDS, TimeUnit.SECONDS), "other threads may block");
            assertEquals(4, futures.get(2).get(GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void blockingCallsBetweenRunsAreAllowedBecauseAnotherThreadMayRunTheLoop() {
        // The creating thread is not the loop thread in any useful sense once it hands the loop to
        // a runner: refusing here would break "create, start a runner thread, submit, get".
        try (FakeLoop f = new FakeLoop()) {
            CompletableFuture<String> cf = f.loop.<String>createFuture().toCompletableFuture();
            cf.cancel(false); // done, so the calls return instead of waiting

            assertThrowsExactly(CancellationException.class, cf::join);
            assertThrowsExactly(CancellationException.class, cf::get);
        }
    }

    // ------------------------------------------------------------------ K.104 runInExecutor

    @Test
    void runInExecutorRunsTheWorkOnAnotherThreadAndCompletesOnTheLoop() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EventLoop loop = new EventLoop()) {
            CountDownLatch handedOver = new CountDownLatch(1);
            Executor executor = r -> pool.execute(() -> {
                r.run();
                handedOver.countDown();
            });

            Future<Thread> fut = loop.runInExecutor(executor, Thread::currentThread);
            await(handedOver);

            assertFalse(fut.isDone(), "the work is over, but the future completes only on the loop");
            Thread worker = loop.runUntilComplete(fut);
            assertNotSame(Thread.currentThread(), worker);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void runInExecutorHandsBackTheWorksFailure() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EventLoop loop = new EventLoop()) {
            IOException failure = new IOException("work failed");

            Future<String> fut = loop.runInExecutor(pool, () -> {
                throw failure;
            });

            assertSame(failure, assertThrows(java.util.concurrent.CompletionException.class,
                    () -> loop.runUntilComplete(fut)).getCause());
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void theDefaultExecutorRunsWorkOffTheLoopThread() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            String direct = loop.runUntilComplete(loop.runInExecutor(null, () -> Thread.currentThread().getName()));
            String toThread = loop.runUntilComplete(Async.toThread(() -> Thread.currentThread().getName()));

            assertTrue(direct.startsWith("eventloop-executor-"), direct);
            assertTrue(toThread.startsWith("eventloop-executor-"), toThread);
            loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofSeconds(GUARD_SECONDS)));
            assertTrue(loop.defaultExecutor.ifCreated().isTerminated());
        }
    }

    @Test
    void cancellingBeforeTheWorkStartsMeansItNeverStarts() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        try (EventLoop loop = new EventLoop()) {
            pool.execute(() -> {
                blockerStarted.countDown();
                try {
                    releaseBlocker.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await(blockerStarted);
            AtomicBoolean started = new AtomicBoolean();
            Future<String> fut = loop.runInExecutor(pool, () -> {
                started.set(true);
                return "ran";
            });

            assertTrue(fut.cancel());
            assertTrue(fut.isCancelled(), "cancelled at once");

            releaseBlocker.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
            assertFalse(started.get());
        } finally {
            releaseBlocker.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingWhileTheWorkRunsInterruptsItsThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch never = new CountDownLatch(1);
        try (EventLoop loop = new EventLoop()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Future<String> fut = loop.runInExecutor(pool, () -> {
                started.countDown();
                try {
                    never.await();
                    return "not interrupted";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            await(started);

            assertTrue(fut.cancel());

            assertTrue(fut.isCancelled(), "cancelled at once, without waiting for the thread");
            await(interrupted);
        } finally {
            never.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void workFinishingAfterTheLoopClosedDoesNotTouchTheClosedLoop() throws Exception {
        for (boolean cancelFirst : new boolean[] {true, false}) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            try {
                AtomicReference<Throwable> workerError = new AtomicReference<>();
                CountDownLatch workerDone = new CountDownLatch(1);
                Executor executor = r -> pool.execute(() -> {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        workerError.set(t);
                    } finally {
                        workerDone.countDown();
                    }
                });
                List<ErrorContext> errors = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch started = new CountDownLatch(1);
                EventLoop loop = new EventLoop();
                Future<String> fut;
                try {
                    loop.setExceptionHandler((l, context) -> errors.add(context));
                    fut = loop.runInExecutor(executor, () -> {
                        started.countDown();
                        while (true) { // ignores interrupts: it finishes only when released
                            try {
                                release.await();
                                return "finished after close";
                            } catch (InterruptedException e) {
                                // keep waiting
                            }
                        }
                    });
                    await(started);
                    if (cancelFirst) {
                        assertTrue(fut.cancel());
                    }
                } finally {
                    loop.close();
                }

                release.countDown();
                await(workerDone);

                assertNull(workerError.get(), "cancelFirst=" + cancelFirst);
                assertEquals(List.of(), errors);
                assertEquals(cancelFirst, fut.isCancelled());
                assertEquals(cancelFirst, fut.isDone(), "an uncancelled future stays as the closed loop left it");
            } finally {
                release.countDown();
                pool.shutdown();
                assertTrue(pool.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
            }
        }
    }

    // ------------------------------------------------------------------ K.106

    @Test
    void shutdownDefaultExecutorCompletesAfterItsTimeoutWhenAWorkerIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread watchdog = new Thread(() -> {
            try {
                if (!returned.await(30, TimeUnit.SECONDS)) {
                    release.countDown(); // shutdown waited for the worker: unblock it so the test can fail
                }
            } catch (InterruptedException e) {
                release.countDown();
            }
        }, "test-watchdog");
        watchdog.setDaemon(true);
        try (EventLoop loop = new EventLoop()) {
            CountDownLatch started = new CountDownLatch(1);
            Future<String> stuck = loop.runInExecutor(null, () -> {
                started.countDown();
                release.await();
                return "released";
            });
            await(started);
            ExecutorService executor = loop.defaultExecutor.ifCreated();
            watchdog.start();

            loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofMillis(100)));
            returned.countDown();

            assertEquals(1, release.getCount(), "completed while the worker was still stuck");
            assertTrue(executor.isShutdown());
            assertFalse(executor.isTerminated());
            assertFalse(stuck.isDone());

            release.countDown();
            assertEquals("released", loop.runUntilComplete(stuck), "the stuck work still reports back");
            assertTrue(executor.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
        } finally {
            returned.countDown();
            release.countDown();
            watchdog.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        }
    }

    @Test
    void shutdownDefaultExecutorCompletesOnceTheWorkersHaveFinished() {
        try (EventLoop loop = new EventLoop()) {
            assertEquals(7, loop.runUntilComplete(Async.toThread(() -> 7)));

            loop.runUntilComplete(loop.shutdownDefaultExecutor(Duration.ofSeconds(GUARD_SECONDS)));

            assertTrue(loop.defaultExecutor.ifCreated().isTerminated());
        }
    }

    @Test
    void shutdownDefaultExecutorWithoutAnExecutorCompletesAtOnce() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> shut = f.loop.shutdownDefaultExecutor(Duration.ofSeconds(1));

            assertTrue(shut.isDone());
            assertNull(f.loop.defaultExecutor.ifCreated());
            assertThrows(IllegalArgumentException.class, () -> f.loop.shutdownDefaultExecutor(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> f.loop.shutdownDefaultExecutor(null));
        }
    }

    @Test
    void runShutsDownTheDefaultExecutor() {
        AtomicReference<ExecutorService> executor = new AtomicReference<>();

        String name = EventLoop.run(() -> Async.toThread(() -> Thread.currentThread().getName()).map(n -> {
            executor.set(EventLoop.current().defaultExecutor.ifCreated());
            return n;
        }));

        assertTrue(name.startsWith("eventloop-executor-"), name);
        assertTrue(executor.get().isTerminated(), "run waited for the executor's threads");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void theThreadsafeEntryPointsRefuseNull() {
        try (FakeLoop f = new FakeLoop()) {
            assertThrows(NullPointerException.class, () -> f.loop.callSoonThreadsafe(null));
            assertThrows(NullPointerException.class, () -> f.loop.submit(null));
            assertThrows(NullPointerException.class, () -> f.loop.runInExecutor(null, null));
            assertEquals(0, f.loop.readyCount());
        }
    }
}
