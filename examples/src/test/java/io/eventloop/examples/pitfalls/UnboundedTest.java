package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UnboundedTest {
    private static final Pattern OUTCOME = Pattern.compile(
            "served (\\d+), turned away busy (\\d+); at most (\\d+) served at once");
    private static final Pattern METRICS = Pattern.compile(
            "loop\\.metrics\\(\\) when the most channels were registered: LoopMetrics\\[.*pendingTasks=(\\d+), registeredChannels=(\\d+)]");

    /** {served, busy, at most at once, pendingTasks, registeredChannels} printed by one part. */
    private static int[] numbers(String part) {
        Matcher o = OUTCOME.matcher(part);
        Matcher m = METRICS.matcher(part);
        assertTrue(o.find() && m.find(), part);
        return new int[] {Integer.parseInt(o.group(1)), Integer.parseInt(o.group(2)), Integer.parseInt(o.group(3)),
            Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void unboundedRequestsAreTurnedAwayAndFloodTheSelectorWhileASemaphoreOfTenServesThemAll() throws Exception {
        Output out = Output.of(() -> Unbounded.main(new String[0]));
        assertEquals(3, out.parts.size(), out.all);

        int[] flood = numbers(out.part(1, "mistake: 2000 requests at once against a server that serves 50 at a time"));
        assertEquals(Unbounded.REQUESTS, flood[0] + flood[1]);
        assertTrue(flood[1] > 0, "some requests should be turned away: " + out.all);
        assertEquals(Unbounded.CAPACITY, flood[2]); // full, since it turned requests away
        // Nearly every request is a task still pending at the channel peak: the server accepts 16
        // connections per readiness, so the first few are answered before the last is accepted.
        assertTrue(flood[3] > Unbounded.REQUESTS * 9 / 10 && flood[3] <= Unbounded.REQUESTS + 1, out.all);
        assertTrue(flood[4] > 2 * Unbounded.LIMIT + 1, out.all);

        int[] bounded = numbers(out.part(2, "fix: the same requests under an AsyncSemaphore(10)"));
        assertEquals(Unbounded.REQUESTS, bounded[0]);
        assertEquals(0, bounded[1]);
        assertTrue(bounded[2] <= Unbounded.LIMIT, out.all);
        // The semaphore bounds the requests in flight, not the tasks waiting for a permit.
        assertEquals(Unbounded.REQUESTS + 1, bounded[3]);
        // At most ten connections, each with its two ends, and the listening socket.
        assertTrue(bounded[4] <= 2 * Unbounded.LIMIT + 1, out.all);
        Output.assertNoReport(out.all);
    }
}
