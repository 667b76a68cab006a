package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loop's chunked ready queue behaves as a FIFO across chunk boundaries, empty or not. */
class ReadyQueueTest {

    private static Runnable named(int i) {
        return new Runnable() {
            @Override
            public void run() {
            }

            @Override
            public String toString() {
                return "r" + i;
            }
        };
    }

    @Test
    void anEmptyQueuePollsNull() {
        ReadyQueue q = new ReadyQueue();
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertEquals(0, q.size());
    }

    @Test
    void randomAddsAndPollsAcrossManyChunksMatchAnArrayDeque() {
        Random random = new Random(7);
        ReadyQueue q = new ReadyQueue();
        ArrayDeque<Runnable> reference = new ArrayDeque<>();
        int next = 0;
        for (int step = 0; step < 200_000; step++) {
            if (random.nextInt(100) < 52) {
                int burst = random.nextInt(3) == 0 ? random.nextInt(3 * ReadyQueue.CHUNK) : 1;
                for (int i = 0; i < burst; i++) {
                    Runnable r = named(next++);
                    q.add(r);
                    reference.add(r);
                }
            } else {
                int drain = random.nextInt(2 * ReadyQueue.CHUNK);
                for (int i = 0; i < drain; i++) {
                    assertEquals(reference.poll(), q.poll(), "poll at step " + step);
                }
            }
            assertEquals(reference.size(), q.size());
            assertEquals(reference.isEmpty(), q.isEmpty());
        }
        while (!reference.isEmpty()) {
            assertEquals(reference.poll(), q.poll());
        }
        assertNull(q.poll());
    }

    @Test
    void clearDropsEverythingAndTheQueueGoesOn() {
        ReadyQueue q = new ReadyQueue();
        for (int i = 0; i < 3 * ReadyQueue.CHUNK + 5; i++) {
            q.add(named(i));
        }
        q.poll();
        q.clear();
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        Runnable r = named(-1);
        q.add(r);
        assertEquals(r, q.poll());
    }
}
