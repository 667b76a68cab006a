package io.eventloop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS I: AsyncQueue, AsyncLifoQueue, AsyncPriorityQueue, what needs the package-private
 * counts (getters and putters waiting, unfinished items).
 * The rest, on the public API, is in eventloop-testing's
 * {@code io.eventloop.testing.sync.AsyncQueueTest}.
 */
class AsyncQueueTest {
    private static final Duration MS_100 = Duration.ofMillis(100);

    private static <T> List<T> drain(AsyncQueue<T> q) {
        List<T> out = new ArrayList<>();
        T item;
        while ((item = q.poll()) != null) {
            out.add(item);
        }
        return out;
    }

    // ------------------------------------------------------------------ I.87

    @Test
    void maxSizeMakesPutWaitAndZeroMeansUnbounded() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>(2);
            assertTrue(q.put(1).isDone());
            assertTrue(q.put(2).isDone());
            assertTrue(q.isFull());
            Future<Void> third = q.put(3);
            assertFalse(third.isDone());
            assertEquals(1, q.waitingPutters());
            assertEquals(1, q.poll());
            assertTrue(third.isDone(), "the room went straight to the waiting putter");
            f.iterate(1);
            assertEquals(List.of(2, 3), drain(q));

            AsyncQueue<Integer> unbounded = new AsyncQueue<>(0);
            for (int i = 0; i < 10_000; i++) {
                assertTrue(unbounded.put(i).isDone());
            }
            assertFalse(unbounded.isFull());
            assertEquals(10_000, unbounded.size());
            assertEquals(0, unbounded.maxSize());
        }
    }

    @Test
    void badInputIsRefusedWithoutChangingAnything() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            assertThrows(IllegalArgumentException.class, () -> new AsyncQueue<>(-1));
            assertThrows(IllegalArgumentException.class, () -> new AsyncLifoQueue<>(-1));
            assertThrows(IllegalArgumentException.class, () -> new AsyncPriorityQueue<>(-1));
            AsyncQueue<Object> q = new AsyncQueue<>();
            assertThrows(NullPointerException.class, () -> q.put(null));
            assertThrows(NullPointerException.class, () -> q.offer(null));
            AsyncQueue<Object> natural = new AsyncPriorityQueue<>();
            assertThrows(ClassCastException.class, () -> natural.put(new Object()));
            assertEquals(0, natural.size());
            assertEquals(0, natural.unfinished());
            assertEquals(0, q.size());
            assertTrue(q.join().isDone());
        }
    }

    // ------------------------------------------------------------------ I.88-92: cancellation

    @Test
    void getterWokenForAnItemAndCancelledGivesItBackToTheFront() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            Task<Integer> reader = f.loop().createTask(q::get);
            f.iterate(1);
            q.putNowait(1);
            q.putNowait(2);
            reader.cancel();
            Settle.all(f, reader);
            assertTrue(reader.isCancelled());
            assertEquals(1, f.run(q.get()), "1 was not dropped");
            assertEquals(2, f.run(q.get()));
            assertEquals(2, q.unfinished());
        }
    }

    @Test
    void putterWokenByRoomAndCancelledCreatesNoPhantomItem() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>(1);
            q.putNowait(1);
            Task<Void> writer = f.loop().createTask(() -> q.put(2));
            f.iterate(1);
            assertEquals(1, q.getNowait()); // makes room: 2 goes in for the waiting writer...
            writer.cancel();                // ...which is cancelled before it resumes
            Settle.all(f, writer);
            assertTrue(writer.isCancelled());
            assertEquals(0, q.size(), "the put did not happen");
            writer = f.loop().createTask(() -> q.put(2));
            f.run(writer);
            assertEquals(2, q.getNowait());
            assertEquals(0, q.size());
            assertEquals(2, q.unfinished(), "1 and the retried 2 are outstanding; the cancelled put does not count");
        }
    }

    @Test
    void roomIsPromisedToTheWaitingPutterAndItsItemFollowsWhenItResumes() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>(1);
            q.putNowait(1);
            List<String> log = new ArrayList<>();
            Task<Void> writer = f.loop().createTask(() -> q.put(2).map(v -> {
                log.add("put done");
                return null;
            }));
            f.iterate(1);
            assertEquals(1, q.getNowait());
            assertTrue(q.isFull(), "the room is promised to the writer");
            assertFalse(q.offer(3), "nobody else takes it");
            assertEquals(0, q.size());
            Future<Integer> getter = q.get();
            assertFalse(getter.isDone());
            f.run(writer);
            assertEquals(List.of("put done"), log);
            assertEquals(2, f.run(getter), "the item went in right after the writer resumed");
            assertEquals(2, q.unfinished());
        }
    }

    @Test
    void cancelledPutTaskIsRemovedFromThePutters() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>(1);
            q.putNowait(1);
            Task<Void> putTask = f.loop().createTask(() -> q.put(1));
            f.iterate(1);
            assertEquals(1, q.waitingPutters());
            putTask.cancel();
            Settle.all(f, putTask);
            assertTrue(putTask.isCancelled());
            assertEquals(0, q.waitingPutters());
            assertEquals(1, q.size());
        }
    }

    @Test
    void timedOutGettersAndPuttersLeaveNoWaiterBehind() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>(1);
            Future<Integer> g = Async.waitFor(q.get(), MS_100);
            Settle.all(f, g);
            assertInstanceOf(TimeoutException.class, g.exception());
            assertEquals(0, q.waitingGetters());

            q.putNowait(1);
            Future<Void> p = Async.waitFor(q.put(2), MS_100);
            Settle.all(f, p);
            assertInstanceOf(TimeoutException.class, p.exception());
            assertEquals(0, q.waitingPutters());
            assertEquals(List.of(1), drain(q));
        }
    }

    // ------------------------------------------------------------------ I.93: taskDone / join

    @Test
    void taskDoneUnderflowThrowsAndChangesNothing() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            assertThrows(IllegalArgumentException.class, q::taskDone);
            q.putNowait(1);
            q.getNowait();
            q.taskDone();
            assertThrows(IllegalArgumentException.class, q::taskDone);
            assertEquals(0, q.unfinished());
        }
    }

    @Test
    void joinCompletesOnlyWhenEveryPutItemIsDone() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            assertTrue(q.join().isDone(), "an empty queue joins at once");
            for (int i = 0; i < 3; i++) {
                q.putNowait(i);
            }
            Future<Void> join = q.join();
            List<Task<Void>> workers = new ArrayList<>();
            int[] done = {0};
            for (int w = 0; w < 2; w++) {
                workers.add(f.loop().createTask(() -> Async.repeat(() -> q.get()
                        .then(item -> Async.sleep(MS_100))
                        .map(v -> {
                            done[0]++;
                            q.taskDone();
                            return true;
                        }))));
            }
            f.run(join);
            assertEquals(3, done[0]);
            assertEquals(200, f.nowMillis());
            workers.forEach(Task::cancel);
            Settle.all(f, workers);
            assertEquals(0, q.waitingGetters());
        }
    }

    // ------------------------------------------------------------------ I.94: shutdown

    @Test
    void shutdownFailsWaitingGetters() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            Task<Integer> getter = f.loop().createTask(q::get);
            f.iterate(1);
            q.shutdown(false);
            Settle.all(f, getter);
            assertInstanceOf(QueueShutDownException.class, getter.exception());
            assertEquals(0, q.waitingGetters());
        }
    }

    @Test
    void itemGivenBackAfterAnImmediateShutdownIsDroppedAndCountedDone() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            Task<Integer> reader = f.loop().createTask(q::get);
            f.iterate(1);
            q.putNowait(1);   // handed to the reader
            reader.cancel();  // which will give it back...
            q.shutdown(true); // ...to a queue that dropped everything
            Settle.all(f, reader);
            assertEquals(0, q.size());
            assertEquals(0, q.unfinished());
            assertTrue(q.join().isDone());
        }
    }

    @Test
    void cancelledGetFutureReportsCancellation() {
        try (FakeTimeLoop f = new FakeTimeLoop()) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            Future<Integer> g = q.get();
            assertTrue(g.cancel());
            assertThrows(CancellationException.class, g::result);
            assertEquals(0, q.waitingGetters());
        }
    }
}
