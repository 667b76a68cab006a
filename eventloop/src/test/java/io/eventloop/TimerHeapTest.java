package io.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.internal.TimerHeap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Unit tests of the loop's timer heap: (deadline, sequence) order, ties, compaction. */
class TimerHeapTest {

    /** What the reference model stores: an item with its deadline and insertion rank. */
    private record Entry(long deadline, long sequence, String item) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::deadline).thenComparingLong(Entry::sequence);

    private static List<String> drain(TimerHeap<String> heap) {
        List<String> out = new ArrayList<>();
        for (String s = heap.poll(); s != null; s = heap.poll()) {
            out.add(s);
        }
        return out;
    }

    @Test
    void pollReturnsItemsInDeadlineOrder() {
        TimerHeap<String> heap = new TimerHeap<>();
        long[] deadlines = {50, 10, 40, 20, 30, -5, 0};
        for (long d : deadlines) {
            heap.add(d, "d" + d);
        }
        assertEquals(7, heap.size());
        assertEquals("d-5", heap.peek());
        assertEquals(-5, heap.peekDeadline());
        assertEquals(List.of("d-5", "d0", "d10", "d20", "d30", "d40", "d50"), drain(heap));
        assertTrue(heap.isEmpty());
    }

    @Test
    void equalDeadlinesComeOutInInsertionOrder() {
        TimerHeap<String> heap = new TimerHeap<>();
        List<String> expectedAt7 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            heap.add(7, "seven-" + i);
            expectedAt7.add("seven-" + i);
            if (i % 10 == 0) {
                heap.add(3, "three-" + i); // interleave other deadlines to exercise sifting
            }
        }
        List<String> out = drain(heap);
        assertEquals(List.of("three-0", "three-10", "three-20", "three-30", "three-40", "three-50", "three-60",
                "three-70", "three-80", "three-90"), out.subList(0, 10));
        assertEquals(expectedAt7, out.subList(10, out.size()));
    }

    @Test
    void extremeDeadlinesAreOrderedWithoutOverflow() {
        TimerHeap<String> heap = new TimerHeap<>();
        heap.add(Long.MAX_VALUE, "max");
        heap.add(0, "zero");
        heap.add(Long.MIN_VALUE, "min");
        heap.add(Long.MAX_VALUE - 1, "max-1");
        heap.add(Long.MIN_VALUE + 1, "min+1");
        heap.add(Long.MAX_VALUE, "max again");
        assertEquals(List.of("min", "min+1", "zero", "max-1", "max", "max again"), drain(heap));
    }

    @Test
    void emptyHeapPeeksAndPollsNullAndHasNoDeadline() {
        TimerHeap<String> heap = new TimerHeap<>();
        assertTrue(heap.isEmpty());
        assertEquals(0, heap.size());
        assertNull(heap.peek());
        assertNull(heap.poll());
        assertThrows(NoSuchElementException.class, heap::peekDeadline);
        heap.add(1, "one");
        heap.poll();
        assertNull(heap.poll());
        assertThrows(NoSuchElementException.class, heap::peekDeadline);
    }

    @Test
    void growsFarPastItsInitialCapacity() {
        TimerHeap<String> heap = new TimerHeap<>();
        for (int i = 9_999; i >= 0; i--) {
            heap.add(i, "t" + i);
        }
        assertEquals(10_000, heap.size());
        List<String> out = drain(heap);
        for (int i = 0; i < 10_000; i++) {
            assertEquals("t" + i, out.get(i));
        }
    }

    @Test
    void removeIfDropsTheMatchesAndRebuildsTheOrder() {
        TimerHeap<String> heap = new TimerHeap<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        for (int i : order) {
            heap.add(i, Integer.toString(i));
        }
        int removed = heap.removeIf(s -> Integer.parseInt(s) % 3 == 0);
        assertEquals(67, removed);
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
    void removeIfKeepsTiesInInsertionOrder() {
        TimerHeap<String> heap = new TimerHeap<>();
        for (int i = 0; i < 60; i++) {
            heap.add(i % 3, "d" + (i % 3) + "-" + i);
        }
        assertEquals(30, heap.removeIf(s -> Integer.parseInt(s.substring(s.indexOf('-') + 1)) % 2 == 1));
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
    void removeIfWithNoMatchOrAllMatchingLeavesAConsistentHeap() {
        TimerHeap<String> heap = new TimerHeap<>();
        for (int i = 0; i < 20; i++) {
            heap.add(20 - i, "t" + (20 - i));
        }
        assertEquals(0, heap.removeIf(s -> false));
        assertEquals(20, heap.size());
        assertEquals("t1", heap.peek());
        assertEquals(20, heap.removeIf(s -> true));
        assertTrue(heap.isEmpty());
        assertNull(heap.poll());
        heap.add(5, "after");
        assertEquals(List.of("after"), drain(heap));
    }

    @Test
    void clearEmptiesTheHeapAndLaterItemsStillKeepTheirOrder() {
        TimerHeap<String> heap = new TimerHeap<>();
        for (int i = 0; i < 40; i++) {
            heap.add(i, "old" + i);
        }
        heap.clear();
        assertTrue(heap.isEmpty());
        assertNull(heap.peek());
        heap.add(2, "b");
        heap.add(1, "a");
        heap.add(2, "c");
        assertEquals(List.of("a", "b", "c"), drain(heap));
    }

    /** Random adds, polls and compactions, checked step by step against a sorted list. */
    @Test
    void randomOperationsMatchASortedReference() {
        Random random = new Random(20240601L);
        TimerHeap<String> heap = new TimerHeap<>();
        List<Entry> reference = new ArrayList<>();
        long sequence = 0;
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(100);
            if (op < 55) {
                long deadline = switch (random.nextInt(50)) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    default -> random.nextInt(64) - 16; // a narrow range: many ties
                };
                String item = "i" + sequence;
                heap.add(deadline, item);
                reference.add(new Entry(deadline, sequence++, item));
            } else if (op < 97) {
                reference.sort(ORDER);
                String expected = reference.isEmpty() ? null : reference.remove(0).item();
                assertEquals(expected, heap.poll(), "poll at step " + step);
            } else {
                int modulus = 2 + random.nextInt(5);
                int residue = random.nextInt(modulus);
                int expectedRemoved = 0;
                for (int i = reference.size() - 1; i >= 0; i--) {
                    if (Long.parseLong(reference.get(i).item().substring(1)) % modulus == residue) {
                        reference.remove(i);
                        expectedRemoved++;
                    }
                }
                int removed = heap.removeIf(s -> Long.parseLong(s.substring(1)) % modulus == residue);
                assertEquals(expectedRemoved, removed, "removeIf at step " + step);
            }
            assertEquals(reference.size(), heap.size(), "size at step " + step);
            if (!reference.isEmpty()) {
                Entry first = Collections.min(reference, ORDER);
                assertEquals(first.item(), heap.peek(), "peek at step " + step);
                assertEquals(first.deadline(), heap.peekDeadline(), "peekDeadline at step " + step);
            }
        }
        reference.sort(ORDER);
        List<String> rest = new ArrayList<>();
        for (Entry e : reference) {
            rest.add(e.item());
        }
        assertEquals(rest, drain(heap));
    }
}
