package io.eventloop.testing.sync;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.sync.AsyncBarrier;
import io.eventloop.testing.EventLoopTest;
import io.eventloop.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import org.junit.jupiter.api.Test;

/** AsyncBarrier: asyncio's Barrier tests, on {@code @EventLoopTest}'s fake time. */
@EventLoopTest
class AsyncBarrierTest {
    @Test
    void fewerThanOnePartyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AsyncBarrier(0));
    }

    @Test
    void allPartiesGoOnTogetherWhenTheLastArrivesWithUniqueIndices(EventLoop loop, TestClock clock) {
        AsyncBarrier barrier = new AsyncBarrier(3);
        List<String> log = new ArrayList<>();
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            tasks.add(loop.createTask(() -> Async.sleep(Duration.ofMillis(10L * n))
                    .then(v -> barrier.await())
                    .map(index -> {
                        log.add("go " + n + " at " + clock.elapsed().toMillis());
                        return index;
                    })));
        }
        List<Integer> indices = assertCompletes(Async.gather(tasks));
        // The last party does not wait, so it goes on first (as in asyncio, where the others
        // still have to wake up and take the condition's lock back).
        assertEquals(List.of("go 2 at 20", "go 0 at 20", "go 1 at 20"), log);
        assertEquals(List.of(0, 1, 2), indices, "arrival order");
        assertEquals(0, barrier.waiting());
    }

    @Test
    void barrierIsReusedRoundAfterRound(EventLoop loop) {
        AsyncBarrier barrier = new AsyncBarrier(2);
        List<Task<Void>> tasks = new ArrayList<>();
        int[] rounds = {0};
        for (int i = 0; i < 2; i++) {
            tasks.add(loop.createTask(() -> Async.forEach(List.of(1, 2, 3), r -> barrier.await().map(x -> rounds[0]++))));
        }
        assertCompletes(Async.gather(tasks));
        assertEquals(6, rounds[0]);
    }

    @Test
    void abortBreaksWaitingAndLaterPartiesUntilReset() {
        AsyncBarrier barrier = new AsyncBarrier(3);
        Future<Integer> a = barrier.await();
        Future<Integer> b = barrier.await();
        barrier.abort();
        assertTrue(barrier.isBroken());
        Future<Integer> late = barrier.await();
        Settle.all(a, b, late);
        assertInstanceOf(BrokenBarrierException.class, a.exception());
        assertInstanceOf(BrokenBarrierException.class, b.exception());
        assertInstanceOf(BrokenBarrierException.class, late.exception());
        barrier.reset();
        assertFalse(barrier.isBroken());
        Future<Integer> x = barrier.await();
        Future<Integer> y = barrier.await();
        Future<Integer> z = barrier.await();
        assertCompletes(Async.gather(x, y, z));
        assertEquals(Set.of(0, 1, 2), new HashSet<>(List.of(x.result(), y.result(), z.result())));
    }

    @Test
    void resetFailsTheWaitingPartiesAndStartsAnEmptyRound() {
        AsyncBarrier barrier = new AsyncBarrier(2);
        Future<Integer> a = barrier.await();
        barrier.reset();
        Settle.all(a);
        assertInstanceOf(BrokenBarrierException.class, a.exception());
        assertEquals(0, barrier.waiting());
        Future<Integer> b = barrier.await();
        Future<Integer> c = barrier.await();
        assertCompletes(Async.gather(b, c));
    }

    @Test
    void cancelledPartyLeavesTheBarrierWithoutBreakingIt(EventLoop loop) {
        AsyncBarrier barrier = new AsyncBarrier(2);
        Task<Integer> quitter = loop.createTask(barrier::await);
        runIterations(loop, 1);
        assertEquals(1, barrier.waiting());
        quitter.cancel();
        assertEquals(0, barrier.waiting());
        Future<Integer> b = barrier.await();
        assertFalse(b.isDone(), "still needs a second party");
        Future<Integer> c = barrier.await();
        assertCompletes(Async.gather(b, c));
        assertFalse(barrier.isBroken());
        Settle.all(quitter);
        assertTrue(quitter.isCancelled());
    }

    @Test
    void singlePartyBarrierNeverWaits() {
        AsyncBarrier barrier = new AsyncBarrier(1);
        assertEquals(0, assertCompletes(barrier.await()));
        assertEquals(1, barrier.parties());
    }
}
