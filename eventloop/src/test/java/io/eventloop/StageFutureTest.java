package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Future#from(CompletionStage)}: asyncio's {@code wrap_future}. Other threads are real
 * threads, joined before the loop iterates, so every test knows exactly what reached the loop's
 * door before it looks.
 */
class StageFutureTest {

    /** Runs {@code action} on a new thread and waits for it to end. */
    private static void onAnotherThread(Runnable action) throws InterruptedException {
        Thread t = new Thread(action, "completer");
        t.start();
        t.join();
    }

    @Test
    void aStageCompletedOnAnotherThreadCompletesTheFutureOnTheLoopThread() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Future<String> future = Future.from(stage);
            AtomicReference<Thread> continuedOn = new AtomicReference<>();
            Future<String> upper = future.map(v -> {
                continuedOn.set(Thread.currentThread());
                return v.toUpperCase();
            });
            onAnotherThread(() -> stage.complete("value"));
            assertFalse(future.isDone(), "the value waits at the loop's door");
            f.iterate(1);
            assertEquals("value", future.result());
            f.iterate(1);
            assertEquals("VALUE", upper.result());
            assertSame(Thread.currentThread(), continuedOn.get(), "the continuation ran on the loop thread");
        }
    }

    @Test
    void aStageCompletedByAPoolWakesALoopBlockedInSelect() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String answer = EventLoop.run(() -> Future.from(CompletableFuture.supplyAsync(() -> "from the pool", pool))
                    .map(v -> v + ", on the loop"));
            assertEquals("from the pool, on the loop", answer);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAlreadyCompletedStageIsTakenAtOnce() {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("refused");
            Future<String> value = Future.from(CompletableFuture.completedFuture("value"));
            Future<String> failed = Future.from(CompletableFuture.failedFuture(failure));
            assertEquals("value", value.result());
            assertSame(failure, failed.exception());
            assertEquals(0, f.loop.readyCount(), "nothing had to wait for the loop");
        }
    }

    @Test
    void aFailureIsUnwrappedFromTheCompletionExceptionADependentStageReports() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            IOException failure = new IOException("refused");
            CompletableFuture<String> source = new CompletableFuture<>();
            Future<String> direct = Future.from(source);
            Future<Integer> viaDependent = Future.from(source.thenApply(String::length));
            onAnotherThread(() -> source.completeExceptionally(failure));
            f.iterate(1);
            assertSame(failure, direct.exception());
            assertSame(failure, viaDependent.exception(), "not the CompletionException around it");
        }
    }

    @Test
    void cancellingTheFutureCancelsTheStage() {
        try (FakeLoop f = new FakeLoop()) {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Future<String> future = Future.from(stage);
            assertTrue(future.cancel("not needed"));
            assertTrue(future.isCancelled(), "cancelled at once");
            assertEquals("not needed", assertThrows(CancellationException.class, future::result).getMessage());
            assertTrue(stage.isCancelled());
            assertFalse(future.cancel(), "a second cancel is refused");
            f.iterate(1);
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    @Test
    void cancellingTheStageOnAnotherThreadCancelsTheFuture() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Future<String> future = Future.from(stage);
            Future<Integer> dependent = Future.from(stage.thenApply(String::length));
            onAnotherThread(() -> stage.cancel(false));
            f.iterate(1);
            assertTrue(future.isCancelled());
            assertTrue(dependent.isCancelled(), "a CancellationException wrapped by a dependent stage is a cancel too");
        }
    }

    @Test
    void aStageThatCannotBeCancelledRunsOnAndItsOutcomeIsDropped() {
        try (FakeLoop f = new FakeLoop()) {
            CompletableFuture<String> source = new CompletableFuture<>();
            Future<String> future = Future.from(source.minimalCompletionStage());
            assertTrue(future.cancel());
            assertTrue(future.isCancelled());
            assertFalse(source.isDone(), "a minimal stage refuses cancel; what is behind it runs on");
            source.complete("late");
            f.iterate(1);
            assertTrue(future.isCancelled());
            assertTrue(f.errors.isEmpty(), f.errors::toString);
        }
    }

    @Test
    void cancelReachesALoopFutureThroughItsCompletableFutureAndBack() {
        try (FakeLoop f = new FakeLoop()) {
            Future<Void> sleep = Async.sleep(Duration.ofHours(1));
            Future<Void> roundTrip = Future.from(sleep.toCompletableFuture());
            roundTrip.cancel();
            f.iterate(2);
            assertTrue(sleep.isCancelled(), "the cancel went out through the CompletableFuture and in through the door");
        }
    }

    @Test
    void aStageThatCompletesAfterTheLoopClosedIsDropped() throws Exception {
        FakeLoop f = new FakeLoop();
        CompletableFuture<String> onLoopThread = new CompletableFuture<>();
        CompletableFuture<String> onOtherThread = new CompletableFuture<>();
        Future<String> a = Future.from(onLoopThread);
        Future<String> b = Future.from(onOtherThread);
        f.close();
        onLoopThread.complete("late");
        onAnotherThread(() -> onOtherThread.complete("late"));
        assertFalse(a.isDone());
        assertFalse(b.isDone());
    }

    @Test
    void fromNeedsTheLoopThread() throws Exception {
        try (FakeLoop f = new FakeLoop()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            onAnotherThread(() -> {
                try {
                    Future.from(new CompletableFuture<String>());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            assertInstanceOf(IllegalStateException.class, thrown.get(), "a thread without a loop");
            assertThrows(NullPointerException.class, () -> Future.from(null));
            assertEquals(0, f.loop.readyCount());
        }
    }
}
