package io.eventloop.testing.sync;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.sync.AsyncLifoQueue;
import io.eventloop.sync.AsyncPriorityQueue;
import io.eventloop.sync.AsyncQueue;
import io.eventloop.sync.QueueEmptyException;
import io.eventloop.sync.QueueFullException;
import io.eventloop.sync.QueueShutDownException;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BEHAVIOURS I: AsyncQueue, AsyncLifoQueue, AsyncPriorityQueue, through the public API, on {@code @EventLoopTest}.
 * What needs the package-private counts (getters and putters waiting, unfinished items) is tested in the
 * library's own {@code io.eventloop.sync.AsyncQueueTest}.
 */
@EventLoopTest
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
    void queueIsFifoLifoQueueIsLifoPriorityQueueIsAscending() {
        AsyncQueue<Integer> fifo = new AsyncQueue<>();
        AsyncQueue<Integer> lifo = new AsyncLifoQueue<>();
        AsyncQueue<Integer> prio = new AsyncPriorityQueue<>();
        AsyncQueue<String> byLength = new AsyncPriorityQueue<>(0, Comparator.comparing(String::length));
        for (int i : new int[] {2, 1, 3}) {
            fifo.putNowait(i);
            lifo.putNowait(i);
            prio.putNowait(i);
        }
        byLength.putNowait("ccc");
        byLength.putNowait("a");
        byLength.putNowait("bb");
        assertEquals(List.of(2, 1, 3), drain(fifo));
        assertEquals(List.of(3, 1, 2), drain(lifo));
        assertEquals(List.of(1, 2, 3), drain(prio));
        assertEquals(List.of("a", "bb", "ccc"), drain(byLength));
    }

    @Test
    void nonWaitingFormsThrowOrReturnWhenEmptyOrFull() {
        AsyncQueue<String> q = new AsyncQueue<>(1);
        assertNull(q.poll());
        assertThrows(QueueEmptyException.class, q::getNowait);
        assertTrue(q.offer("a"));
        assertFalse(q.offer("b"));
        assertThrows(QueueFullException.class, () -> q.putNowait("b"));
        assertEquals(1, q.size(), "nothing changed");
        assertEquals("a", q.getNowait());
        assertTrue(q.isEmpty());
    }

    @Test
    void getWaitsForThePutAndTheItemGoesStraightToTheGetter(EventLoop loop, TestClock clock) {
        AsyncQueue<String> q = new AsyncQueue<>();
        Future<String> g = q.get();
        assertFalse(g.isDone());
        loop.callLater(MS_100, () -> q.putNowait("x"));
        assertEquals("x", assertCompletes(g));
        assertEquals(100, clock.elapsed().toMillis());
        assertEquals(0, q.size());
    }

    // ------------------------------------------------------------------ I.88-92: cancellation

    @Test
    void cancelledFirstGetterLetsTheSecondReceiveTheItem(EventLoop loop) {
        AsyncQueue<String> q = new AsyncQueue<>();
        Task<String> t1 = loop.createTask(q::get);
        Task<String> t2 = loop.createTask(q::get);
        runIterations(loop, 1);
        t1.cancel();
        runIterations(loop, 1);
        assertTrue(t1.isDone());
        assertCompletes(q.put("a"));
        assertEquals("a", assertCompletes(t2));
    }

    @Test
    void getterWokenForAnItemAndCancelledInAContinuationGivesItBack(EventLoop loop) {
        AsyncQueue<Integer> q = new AsyncLifoQueue<>();
        List<Integer> got = new ArrayList<>();
        Task<Void> reader = loop.createTask(() -> q.get().map(got::add).map(v -> null));
        runIterations(loop, 1);
        q.putNowait(1);
        q.putNowait(2);
        reader.cancel();
        Settle.all(reader);
        assertEquals(List.of(), got);
        assertEquals(List.of(1, 2), drain(q), "in a LIFO queue the given-back item is on top again");
    }

    @Test
    void cancellingOneOfThreePendingReadersLosesNoItem(EventLoop loop) {
        AsyncQueue<Integer> q = new AsyncQueue<>();
        Task<Integer> r1 = loop.createTask(q::get);
        Task<Integer> r2 = loop.createTask(q::get);
        Task<Integer> r3 = loop.createTask(q::get);
        runIterations(loop, 1);
        q.putNowait(1);
        q.putNowait(2);
        r1.cancel();
        Settle.all(r1, r2, r3);
        assertTrue(r1.isCancelled());
        assertEquals(Set.of(1, 2), Set.of(r2.result(), r3.result()));
        assertTrue(q.isEmpty());
    }

    @Test
    void joinDoesNotCompleteBetweenAPuttersWakeUpAndItsItem(EventLoop loop) {
        AsyncQueue<Integer> q = new AsyncQueue<>(1);
        q.putNowait(1);
        Future<Void> put = q.put(2);
        assertEquals(1, q.getNowait());
        q.taskDone();
        assertTrue(put.isDone());
        assertFalse(q.join().isDone(), "item 2 is on its way");
        runIterations(loop, 1);
        assertEquals(2, q.getNowait());
        q.taskDone();
        assertTrue(q.join().isDone());
    }

    @Test
    void cancelledThirdPutterDoesNotDisplaceTheSecond(EventLoop loop) {
        AsyncQueue<String> q = new AsyncQueue<>(1);
        Task<Void> a = loop.createTask(() -> q.put("a"));
        Task<Void> b = loop.createTask(() -> q.put("b"));
        Task<Void> c = loop.createTask(() -> q.put("X"));
        runIterations(loop, 2);
        assertTrue(a.isDone());
        assertFalse(b.isDone());
        c.cancel();
        runIterations(loop, 1);
        assertTrue(c.isCancelled());
        assertEquals("a", q.getNowait());
        runIterations(loop, 1);
        assertEquals("b", q.getNowait());
        assertCompletes(b);
        assertTrue(q.isEmpty());
    }

    @Test
    void waitForGetCancelledFromOutsideRightAfterTheItemArrivedLosesNothing(EventLoop loop) {
        AsyncQueue<Integer> q = new AsyncQueue<>();
        Task<Integer> reader = loop.createTask(() -> Async.waitFor(q.get(), Duration.ofSeconds(10)));
        runIterations(loop, 1);
        q.putNowait(7);
        reader.cancel();
        Settle.all(reader);
        assertTrue(reader.isCancelled());
        assertEquals(List.of(7), drain(q));
    }

    @Test
    void itemPassedThroughATimeoutOrWaitForGoesBackWhenTheNextStepIsCancelledFirst(EventLoop loop) {
        for (boolean viaWaitFor : new boolean[] {false, true}) {
            AsyncQueue<Integer> q = new AsyncQueue<>();
            List<Integer> got = new ArrayList<>();
            Future<Integer> through = viaWaitFor
                    ? Async.waitFor(q.get(), Duration.ofSeconds(5))
                    : Async.timeout(Duration.ofSeconds(5), q::get);
            Future<Boolean> handler = through.map(got::add);
            runIterations(loop, 1);
            q.putNowait(5);
            while (!through.isDone()) {
                runIterations(loop, 1);
            }
            handler.cancel(); // the handler never ran: the item must not vanish
            Settle.all(handler);
            assertEquals(List.of(), got);
            assertEquals(List.of(5), drain(q), "via waitFor: " + viaWaitFor);
        }
    }

    // ------------------------------------------------------------------ I.94: shutdown

    @Test
    void shutdownFailsBlockedPuttersButQueuedItemsCanStillBeTaken() {
        AsyncQueue<Integer> q = new AsyncQueue<>(1);
        q.putNowait(1);
        Future<Void> blocked = q.put(2);
        q.shutdown(false);
        Settle.all(blocked);
        assertInstanceOf(QueueShutDownException.class, blocked.exception());
        assertEquals(1, assertCompletes(q.get()));
        Future<Integer> afterEmpty = q.get();
        Settle.all(afterEmpty);
        assertInstanceOf(QueueShutDownException.class, afterEmpty.exception());
        Future<Void> put = q.put(3);
        Settle.all(put);
        assertInstanceOf(QueueShutDownException.class, put.exception());
        assertThrows(QueueShutDownException.class, () -> q.offer(3));
        assertThrows(QueueShutDownException.class, q::poll);
        assertTrue(q.isShutDown());
        assertEquals(0, q.size(), "nothing changed");
    }

    @Test
    void immediateShutdownDropsTheItemsAndReleasesJoin() {
        AsyncQueue<Integer> q = new AsyncQueue<>();
        q.putNowait(1);
        q.putNowait(2);
        q.putNowait(3);
        assertEquals(1, q.getNowait()); // taken, not yet done
        Future<Void> join = q.join();
        q.shutdown(true);
        assertEquals(0, q.size());
        assertFalse(join.isDone(), "item 1 is still being processed");
        q.taskDone();
        assertCompletes(join);
        assertThrows(QueueShutDownException.class, q::poll);
        Future<Integer> get = q.get();
        Settle.all(get);
        assertInstanceOf(QueueShutDownException.class, get.exception());
    }

    @Test
    void toStringShowsSizeAndWaiters() {
        AsyncQueue<Integer> q = new AsyncQueue<>(2);
        q.get();
        assertEquals("AsyncQueue[size=0/2, getters=1]", q.toString());
        assertEquals("AsyncQueue.get[pending]", q.get().toString());
    }
}
