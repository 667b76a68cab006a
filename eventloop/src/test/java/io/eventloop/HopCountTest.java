package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.net.StreamReader;
import io.eventloop.sync.AsyncCondition;
import io.eventloop.sync.AsyncEvent;
import io.eventloop.sync.AsyncLock;
import io.eventloop.sync.AsyncQueue;
import io.eventloop.sync.AsyncSemaphore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How many loop iterations an await costs: the iteration in which a continuation runs, counted
 * from the one in which what it waits for happened. asyncio's rule is the target: a coroutine
 * waiting on a read resumes in the iteration after the data arrived, and a hand-off by a lock,
 * semaphore, queue or event wakes the waiter in the next iteration.
 */
class HopCountTest {
    private final FakeLoop f = new FakeLoop();

    /** The number of the iteration running now (1 for the first). */
    private long iteration() {
        return f.loop.metrics().iterations();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ streams

    @Test
    void aWaitingReadLineResumesItsAwaiterInTheIterationAfterTheDataArrived() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        List<String> lines = new ArrayList<>();
        long[] at = {-1};
        reader.readLine().map(line -> {
            lines.add(line);
            at[0] = iteration();
            return null;
        });
        f.loop.callSoon(() -> reader.feedData(bytes("hello\n"))); // the data arrives in iteration 1
        f.iterate(5);
        assertEquals(List.of("hello"), lines);
        assertEquals(2, at[0]);
    }

    @Test
    void aLineSplitOverTwoArrivalsResumesAfterTheSecond() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        long[] at = {-1};
        String[] got = new String[1];
        reader.readLine().map(line -> {
            got[0] = line;
            at[0] = iteration();
            return null;
        });
        f.loop.callSoon(() -> {
            reader.feedData(bytes("hel"));                      // iteration 1
            f.loop.callSoon(() -> reader.feedData(bytes("lo\r\n"))); // iteration 2
        });
        f.iterate(5);
        assertEquals("hello", got[0]);
        assertEquals(3, at[0]);
    }

    @Test
    void aReadNestedInThensOfOneTaskStillResumesTheTaskInTheNextIteration() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        long[] at = {-1};
        Task<String> handler = f.loop.createTask("handler", () -> Async.yieldNow()
                .then(v -> reader.readLine())          // the read waits in here...
                .then(line -> Async.completed(line.toUpperCase()))
                .map(upper -> {
                    at[0] = iteration();                // ...and the whole rest of the chain runs at once
                    return upper;
                }));
        f.iterate(3);
        assertFalse(handler.isDone());
        long arrived = iteration() + 1;
        f.loop.callSoon(() -> reader.feedData(bytes("quiet\n")));
        f.iterate(3);
        assertEquals("QUIET", handler.result());
        assertEquals(arrived + 1, at[0], "one hop from the data to the end of the chain, as one coroutine");
    }

    @Test
    void anEchoLoopOfOneTaskCostsOneIterationPerLineAndTheRepeatOne() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        List<Long> seen = new ArrayList<>();
        f.loop.createTask("echo", () -> Async.repeat(() -> reader.readLine()
                .map(line -> {
                    seen.add(iteration());
                    return line != null;
                })));
        f.iterate(2);
        long first = iteration() + 1;
        f.loop.callSoon(() -> reader.feedData(bytes("a\n")));
        f.iterate(3);
        long second = iteration() + 1;
        f.loop.callSoon(() -> reader.feedData(bytes("b\n")));
        f.iterate(3);
        assertEquals(List.of(first + 1, second + 1), seen);
    }

    @Test
    void eachReadKindResumesOneIterationAfterItsDataArrived() {
        assertEquals(2, readHop(r -> r.readUntil(bytes("||")), "ab||", "ab||"));
        assertEquals(2, readHop(r -> r.readExactly(4), "abcdef", "abcd"));
        assertEquals(2, readHop(r -> r.read(100), "xyz", "xyz"));
    }

    private long readHop(Function<StreamReader, Future<byte[]>> read, String fed, String expected) {
        StreamReader reader = new StreamReader(f.loop, 1024);
        long[] at = {-1};
        byte[][] got = new byte[1][];
        read.apply(reader).map(b -> {
            got[0] = b;
            at[0] = iteration();
            return null;
        });
        long before = iteration();
        f.loop.callSoon(() -> reader.feedData(bytes(fed)));
        f.iterate(5);
        assertArrayEquals(bytes(expected), got[0]);
        return at[0] - before;
    }

    @Test
    void readUntilEofResumesOneIterationAfterTheEnd() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        long[] at = {-1};
        byte[][] got = new byte[1][];
        reader.read(-1).map(b -> {
            got[0] = b;
            at[0] = iteration();
            return null;
        });
        f.loop.callSoon(() -> reader.feedData(bytes("all ")));
        f.iterate(1);
        f.loop.callSoon(() -> {
            reader.feedData(bytes("of it"));
            reader.feedEof();                       // iteration 2
        });
        f.iterate(4);
        assertArrayEquals(bytes("all of it"), got[0]);
        assertEquals(3, at[0]);
    }

    @Test
    void aReadOfBufferedDataCostsOneHopAndAThenOfADoneFutureNone() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        reader.feedData(bytes("one\ntwo\n"));
        long[] at = {-1, -1};
        f.loop.callSoon(() -> reader.readLine()                  // iteration 1
                .then(first -> reader.readLine())                  // iteration 2: a done future, taken at once
                .map(second -> {
                    at[0] = iteration();                           // iteration 3
                    return second;
                }));
        f.iterate(5);
        assertEquals(3, at[0]);
    }

    @Test
    void aReadWhoseAwaiterIsCancelledBeforeItResumesGivesItsBytesBack() {
        StreamReader reader = new StreamReader(f.loop, 1024);
        Task<String> t = f.loop.createTask("reader", reader::readLine);
        f.iterate(1); // the task waits in readLine
        f.loop.callSoon(() -> {
            reader.feedData(bytes("first\nsecond\n")); // the read takes "first"...
            t.cancel();                                 // ...and its task is cancelled before it resumes
        });
        f.iterate(3);
        assertTrue(t.isCancelled());
        Future<String> again = reader.readLine();
        f.iterate(1);
        assertEquals("first", again.result(), "nothing was lost");
        Future<String> next = reader.readLine();
        f.iterate(1);
        assertEquals("second", next.result());
    }

    // ------------------------------------------------------------------ continuations and tasks

    @Test
    void aTaskWhoseBodyReturnsADoneFutureEndsInItsFirstStep() {
        Task<String> t = f.loop.createTask(() -> Async.completed("now"));
        f.iterate(1);
        assertTrue(t.isDone());
        assertEquals("now", t.result());
    }

    @Test
    void aThenWhoseStepReturnsADoneFutureEndsInTheSameIteration() {
        long[] at = {-1};
        Future<Integer> chained = Async.completed(1).then(v -> Async.completed(v + 1));
        chained.map(v -> at[0] = iteration());
        f.iterate(4);
        assertEquals(2, chained.result());
        assertEquals(2, at[0], "the step ran in iteration 1, its follower in iteration 2");
    }

    // ------------------------------------------------------------------ primitives' hand-offs

    @Test
    void aLockReleaseWakesTheNextWaiterInTheNextIteration() {
        AsyncLock lock = new AsyncLock();
        assertTrue(lock.tryAcquire());
        long[] at = {-1};
        lock.acquire().map(v -> at[0] = iteration());
        f.iterate(2);
        f.loop.callSoon(lock::release); // iteration 3
        f.iterate(3);
        assertEquals(4, at[0]);
        assertTrue(lock.isLocked(), "handed to the waiter");
    }

    @Test
    void aSemaphoreReleaseWakesTheNextWaiterInTheNextIteration() {
        AsyncSemaphore sem = new AsyncSemaphore(1);
        assertTrue(sem.tryAcquire());
        long[] at = {-1};
        sem.acquire().map(v -> at[0] = iteration());
        f.loop.callSoon(sem::release); // iteration 1
        f.iterate(3);
        assertEquals(2, at[0]);
    }

    @Test
    void aPutWakesAWaitingGetterInTheNextIteration() {
        AsyncQueue<String> q = new AsyncQueue<>();
        long[] at = {-1};
        String[] got = new String[1];
        q.get().map(item -> {
            got[0] = item;
            return at[0] = iteration();
        });
        f.loop.callSoon(() -> q.putNowait("job")); // iteration 1
        f.iterate(3);
        assertEquals("job", got[0]);
        assertEquals(2, at[0]);
    }

    @Test
    void aGetWakesAPutterWaitingForRoomInTheNextIteration() {
        AsyncQueue<String> q = new AsyncQueue<>(1);
        q.putNowait("first");
        long[] at = {-1};
        q.put("second").map(v -> at[0] = iteration());
        f.loop.callSoon(q::getNowait); // iteration 1
        f.iterate(3);
        assertEquals(2, at[0]);
        assertEquals("second", q.getNowait());
    }

    @Test
    void anEventSetWakesEveryWaiterInTheNextIteration() {
        AsyncEvent event = new AsyncEvent();
        long[] at = {-1, -1};
        event.await().map(v -> at[0] = iteration());
        event.await().map(v -> at[1] = iteration());
        f.loop.callSoon(event::set); // iteration 1
        f.iterate(3);
        assertEquals(2, at[0]);
        assertEquals(2, at[1]);
    }

    @Test
    void aConditionNotifyWakesTheWaiterWhichThenRetakesTheLock() {
        AsyncCondition cond = new AsyncCondition();
        long[] at = {-1};
        Task<Void> waiter = f.loop.createTask(() -> cond.acquire()
                .then(v -> cond.await())
                .map(v -> {
                    at[0] = iteration();
                    cond.release();
                    return null;
                }));
        f.iterate(3); // acquired, now waiting (the lock released)
        assertFalse(waiter.isDone());
        f.loop.callSoon(() -> {                                 // iteration 4
            assertTrue(cond.lock().tryAcquire());
            cond.signal();
            cond.release();
        });
        f.iterate(4);
        // Signalled in iteration 4; the waiter's future completes once the lock is retaken.
        assertEquals(5, at[0]);
        assertTrue(waiter.isDone());
    }
}
