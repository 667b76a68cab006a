package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Unit tests of the loop's timer heap: (deadline, sequence) order, ties, removal from anywhere. */
class TimerHeapTest {

    /** What the reference model stores: a timer with its insertion rank. */
    private record Entry(long sequence, TimerHandle timer) {
        long deadline() {
            return timer.when();
        }
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::deadline).thenComparingLong(Entry::sequence);

    /** A timer named {@code name}, outside any loop: the heap never calls back into one. */
    private static TimerHandle timer(long deadline, String name) {
        return new TimerHandle(null, deadline, new Runnable() {
            @Override
            public void run() {
            }

            @Override
            public String toString() {
                return name;
            }
        }, null);
    }

    private static String name(TimerHandle t) {
        return t == null ? null : String.valueOf(t.callback());
    }

    private static TimerHandle add(TimerHeap heap, long deadline, String name) {
        TimerHandle t = timer(deadline, name);
        heap.add(t);
        return t;
    }

    private static List<String> drain(TimerHeap heap) {
        List<String> out = new ArrayList<>();
        for (TimerHandle t = heap.poll(); t != null; t = heap.poll()) {
            assertEquals(-1, t.heapIndex, "a polled timer no longer has a place in the heap");
            out.add(name(t));
        }
        return out;
    }

    @Test
    void pollReturnsTimersInDeadlineOrder() {
        TimerHeap heap = new TimerHeap();
        long[] deadlines = {50, 10, 40, 20, 30, -5, 0};
        for (long d : deadlines) {
            add(heap, d, "d" + d);
        }
        assertEquals(7, heap.size());
        assertEquals("d-5", name(heap.peek()));
        assertEquals(-5, heap.peekDeadline());
        assertEquals(List.of("d-5", "d0", "d10", "d20", "d30", "d40", "d50"), drain(heap));
        assertTrue(heap.isEmpty());
    }

    @Test
    void equalDeadlinesComeOutInInsertionOrder() {
        TimerHeap heap = new TimerHeap();
        List<String> expectedAt7 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            add(heap, 7, "seven-" + i);
            expectedAt7.add("seven-" + i);
            if (i % 10 == 0) {
                add(heap, 3, "three-" + i); // interleave other deadlines to exercise sifting
            }
        }
        List<String> out = drain(heap);
        assertEquals(List.of("three-0", "three-10", "three-20", "three-30", "three-40", "three-50", "three-60",
                "three-70", "three-80", "three-90"), out.subList(0, 10));
        assertEquals(expectedAt7, out.subList(10, out.size()));
    }

    @Test
    void extremeDeadlinesAreOrderedWithoutOverflow() {
        TimerHeap heap = new TimerHeap();
        add(heap, Long.MAX_VALUE, "max");
        add(heap, 0, "zero");
        add(heap, Long.MIN_VALUE, "min");
        add(heap, Long.MAX_VALUE - 1, "max-1");
        add(heap, Long.MIN_VALUE + 1, "min+1");
        add(heap, Long.MAX_VALUE, "max again");
        assertEquals(List.of("min", "min+1", "zero", "max-1", "max", "max again"), drain(heap));
    }

    @Test
    void emptyHeapPeeksAndPollsNullAndHasNoDeadline() {
        TimerHeap heap = new TimerHeap();
        assertTrue(heap.isEmpty());
        assertEquals(0, heap.size());
        assertNull(heap.peek());
        assertNull(heap.poll());
        assertThrows(NoSuchElementException.class, heap::peekDeadline);
        add(heap, 1, "one");
        heap.poll();
        assertNull(heap.poll());
        assertThrows(NoSuchElementException.class, heap::peekDeadline);
    }

    @Test
    void growsFarPastItsInitialCapacity() {
        TimerHeap heap = new TimerHeap();
        for (int i = 9_999; i >= 0; i--) {
            add(heap, i, "t" + i);
        }
        assertEquals(10_000, heap.size());
        assertTrue(heap.isConsistent());
        List<String> out = drain(heap);
        for (int i = 0; i < 10_000; i++) {
            assertEquals("t" + i, out.get(i));
        }
    }

    @Test
    void removeTakesATimerOutOfTheMiddleAndKeepsTheOrder() {
        TimerHeap heap = new TimerHeap();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        List<TimerHandle> byDeadline = new ArrayList<>(Collections.nCopies(200, null));
        for (int i : order) {
            byDeadline.set(i, add(heap, i, Integer.toString(i)));
        }
        for (int i = 0; i < 200; i += 3) {
            assertTrue(heap.remove(byDeadline.get(i)));
            assertEquals(-1, byDeadline.get(i).heapIndex);
            assertTrue(heap.isConsistent());
        }
        assertEquals(133, heap.size());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 3 != 0) {
                expected.add(Integer.toString(i));
            }
        }
        assertEquals(expected, drain(heap));
    }

    @Test
    void removeKeepsTiesInInsertionOrder() {
        TimerHeap heap = new TimerHeap();
        List<TimerHandle> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(add(heap, i % 3, "d" + (i % 3) + "-" + i));
        }
        for (int i = 1; i < 60; i += 2) {
            heap.remove(all.get(i));
        }
        List<String> expected = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            for (int i = 0; i < 60; i++) {
                if (i % 3 == d && i % 2 == 0) {
                    expected.add("d" + d + "-" + i);
                }
            }
        }
        assertEquals(expected, drain(heap));
    }

    @Test
    void removingATimerThatIsNotThereChangesNothing() {
        TimerHeap heap = new TimerHeap();
        TimerHandle a = add(heap, 1, "a");
        add(heap, 2, "b");
        TimerHandle stranger = timer(0, "stranger");
        assertFalse(heap.remove(stranger));
        assertTrue(heap.remove(a));
        assertFalse(heap.remove(a), "a second removal finds nothing");
        assertEquals(List.of("b"), drain(heap));
    }

    @Test
    void aTimerCannotBeAddedTwice() {
        TimerHeap heap = new TimerHeap();
        TimerHandle a = add(heap, 1, "a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> heap.add(a));
        assertTrue(e.getMessage().contains("already scheduled"), e.getMessage());
        assertEquals(1, heap.size());
    }

    @Test
    void clearEmptiesTheHeapAndLaterTimersStillKeepTheirOrder() {
        TimerHeap heap = new TimerHeap();
        List<TimerHandle> old = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            old.add(add(heap, i, "old" + i));
        }
        heap.clear();
        assertTrue(heap.isEmpty());
        assertNull(heap.peek());
        for (TimerHandle t : old) {
            assertEquals(-1, t.heapIndex);
        }
        add(heap, 2, "b");
        add(heap, 1, "a");
        add(heap, 2, "c");
        assertFalse(heap.remove(old.get(0)), "a cleared timer is not found by its old index");
        assertEquals(List.of("a", "b", "c"), drain(heap));
    }

    /**
     * Random schedules, fires (polls) and cancels (removals from anywhere), checked step by step
     * against a sorted reference list, with the heap invariant and every index checked each step.
     */
    @Test
    void randomScheduleCancelAndFireSequencesMatchAReferenceModel() {
        Random random = new Random(20240601L);
        TimerHeap heap = new TimerHeap();
        List<Entry> reference = new ArrayList<>();
        long sequence = 0;
        for (int step = 0; step < 30_000; step++) {
            int op = random.nextInt(100);
            if (op < 50) {
                long deadline = switch (random.nextInt(50)) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    default -> random.nextInt(64) - 16; // a narrow range: many ties
                };
                TimerHandle t = add(heap, deadline, "i" + sequence);
                reference.add(new Entry(sequence++, t));
            } else if (op < 75) {
                reference.sort(ORDER);
                String expected = reference.isEmpty() ? null : name(reference.remove(0).timer());
                assertEquals(expected, name(heap.poll()), "fire at step " + step);
            } else if (!reference.isEmpty()) {
                Entry victim = reference.remove(random.nextInt(reference.size()));
                assertTrue(heap.remove(victim.timer()), "cancel at step " + step);
            }
            assertEquals(reference.size(), heap.size(), "size at step " + step);
            assertTrue(heap.isConsistent(), "heap invariant at step " + step);
            if (!reference.isEmpty()) {
                Entry first = Collections.min(reference, ORDER);
                assertEquals(name(first.timer()), name(heap.peek()), "peek at step " + step);
                assertEquals(first.deadline(), heap.peekDeadline(), "peekDeadline at step " + step);
            }
        }
        reference.sort(ORDER);
        List<String> rest = new ArrayList<>();
        for (Entry e : reference) {
            rest.add(name(e.timer()));
        }
        assertEquals(rest, drain(heap));
    }

    @Test
    void aCancelledTimerLeavesTheLoopsHeapAtOnce() {
        try (FakeLoop f = new FakeLoop()) {
            List<TimerHandle> timers = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                timers.add(f.loop.callLater(Duration.ofSeconds(1 + i % 7), () -> { }));
            }
            for (int i = 0; i < 1_000; i += 2) {
                timers.get(i).cancel();
            }
            assertEquals(500, f.loop.timerCount(), "the cancelled half is gone before any iteration");
            timers.get(0).cancel(); // again: idempotent
            assertEquals(500, f.loop.timerCount());
        }
    }
}
