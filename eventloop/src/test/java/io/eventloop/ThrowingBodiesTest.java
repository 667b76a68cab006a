package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.sync.AsyncCondition;
import io.eventloop.sync.AsyncLock;
import io.eventloop.sync.AsyncSemaphore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Every body the library runs for you may throw a checked exception ({@link ThrowingSupplier}):
 * the lambdas below would not compile against {@code java.util.function.Supplier}, and each throw
 * fails the future that runs the body with that very exception, as an unchecked one would.
 */
class ThrowingBodiesTest {

    /** An application method that declares a checked exception, as parsing or opening often does. */
    private static <T> Future<T> openConfig(IOException failure) throws IOException {
        throw failure;
    }

    /** Iterates (a bounded number of times) until {@code future} is done. */
    private static void settle(FakeLoop f, Future<?> future) {
        for (int i = 0; i < 20 && !future.isDone(); i++) {
            f.iterate(1);
        }
        assertTrue(future.isDone(), future::toString);
    }

    private static void assertFailsWith(FakeLoop f, IOException expected, Future<?> future) {
        settle(f, future);
        assertSame(expected, future.exception(), future::toString);
    }

    @Test
    void runRethrowsACheckedExceptionOfItsMainBodyWrappedInCompletionException() {
        IOException missing = new IOException("no config");
        CompletionException e = assertThrows(CompletionException.class, () -> EventLoop.run(() -> openConfig(missing)));
        assertSame(missing, e.getCause());
        CompletionException withOptions = assertThrows(CompletionException.class,
                () -> EventLoop.run(EventLoop.Options.defaults(), () -> openConfig(missing)));
        assertSame(missing, withOptions.getCause());
    }

    @Test
    void createTaskFailsTheTaskWithTheBodysCheckedException() {
        try (FakeLoop f = new FakeLoop()) {
            IOException missing = new IOException("no config");
            Task<String> unnamed = f.loop.createTask(() -> openConfig(missing));
            Task<String> named = f.loop.createTask("load", () -> openConfig(missing));
            assertFailsWith(f, missing, unnamed);
            assertFailsWith(f, missing, named);
        }
    }

    @Test
    void spawnFailsTheChildAndTheGroupWithTheBodysCheckedException() {
        try (FakeLoop f = new FakeLoop()) {
            IOException missing = new IOException("no config");
            Task<?>[] children = new Task<?>[2];
            Future<Void> group = TaskGroup.run(g -> {
                children[0] = g.spawn(() -> openConfig(missing));
                children[1] = g.spawn("named", () -> openConfig(missing));
                return Async.completed(null);
            });
            settle(f, group);
            assertSame(missing, children[0].exception());
            assertSame(missing, children[1].exception());
            TaskGroupException e = (TaskGroupException) group.exception();
            assertEquals(List.of(missing, missing), e.exceptions());
        }
    }

    @Test
    void timeoutScopesFailWithTheBodysCheckedException() {
        try (FakeLoop f = new FakeLoop()) {
            IOException missing = new IOException("no config");
            assertFailsWith(f, missing, Async.timeout(Duration.ofSeconds(1), () -> openConfig(missing)));
            assertFailsWith(f, missing, Async.timeoutAt(f.loop.time() + 1_000_000L, () -> openConfig(missing)));
            assertFailsWith(f, missing, Timeout.after(Duration.ofSeconds(1)).run(() -> openConfig(missing)));
        }
    }

    @Test
    void repeatFailsWithTheStepsCheckedException() {
        try (FakeLoop f = new FakeLoop()) {
            IOException lost = new IOException("connection lost");
            int[] steps = {0};
            Future<Void> loop = Async.repeat(() -> {
                if (++steps[0] == 3) {
                    return openConfig(lost);
                }
                return Async.completed(true);
            });
            assertFailsWith(f, lost, loop);
            assertEquals(3, steps[0]);
        }
    }

    @Test
    void withLockFailsWithTheBodysCheckedExceptionAndReleasesTheLock() {
        try (FakeLoop f = new FakeLoop()) {
            IOException missing = new IOException("no config");
            AsyncLock lock = new AsyncLock();
            assertFailsWith(f, missing, lock.withLock(() -> openConfig(missing)));
            assertFalse(lock.isLocked(), "a free lock was taken, then released");

            lock.acquire();
            Future<String> waited = lock.withLock(() -> openConfig(missing));
            f.iterate(1);
            lock.release();
            assertFailsWith(f, missing, waited);
            assertFalse(lock.isLocked(), "a lock handed over was released");

            AsyncCondition condition = new AsyncCondition();
            assertFailsWith(f, missing, condition.withLock(() -> openConfig(missing)));
            assertFalse(condition.isLocked());
        }
    }

    @Test
    void withPermitFailsWithTheBodysCheckedExceptionAndReturnsThePermit() {
        try (FakeLoop f = new FakeLoop()) {
            IOException missing = new IOException("no config");
            AsyncSemaphore semaphore = new AsyncSemaphore(1);
            assertFailsWith(f, missing, semaphore.withPermit(() -> openConfig(missing)));
            assertEquals(1, semaphore.available());

            assertTrue(semaphore.tryAcquire());
            Future<String> waited = semaphore.withPermit(() -> openConfig(missing));
            f.iterate(1);
            semaphore.release();
            assertFailsWith(f, missing, waited);
            assertEquals(1, semaphore.available());
        }
    }

    @Test
    void methodReferencesToMethodsThatThrowNothingStillFit() {
        try (FakeLoop f = new FakeLoop()) {
            Task<Void> task = f.loop.createTask(Async::yieldNow);
            Future<Void> timed = Async.timeout(Duration.ofSeconds(1), Async::yieldNow);
            settle(f, task);
            settle(f, timed);
            assertNull(task.exception());
            assertNull(timed.exception());
        }
    }
}
