package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NoTimeoutTest {
    @Test
    void aReadWithoutDeadlineIsReportedAtCloseWithWhatItWaitsOnAndTheTimeoutsGiveUpWithoutAReport()
            throws Exception {
        Output out = Output.of(() -> NoTimeout.main(new String[0]));
        assertEquals(4, out.parts.size(), out.all);

        String mistake = out.part(1, "mistake: await a greeting from a peer that never sends one");
        // Only the shutdown report: the first connection of a JVM may also be logged as a slow step
        // (debug mode), as it loads the JDK's networking classes.
        List<String> reports = Output.reports(mistake).stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, reports.size(), mistake);
        String r = reports.get(0);
        assertTrue(r.startsWith("[main] ERROR io.eventloop.EventLoop - Task was destroyed but it is pending "
                + "task=Task[greeting, pending, created at io.eventloop.examples.pitfalls.NoTimeout.mistake(NoTimeout.java:"), r);
        assertTrue(r.matches(".*, waiting on StreamReader\\.readLine\\[pending, socket read from /127\\.0\\.0\\.1:\\d+]]"), r);

        String waitFor = out.part(2, "fix: Async.waitFor(reader.readLine(), 500 ms)");
        Output.assertNoReport(waitFor);
        assertTrue(waitFor.strip().endsWith("\nno greeting: java.util.concurrent.TimeoutException: waitFor timed out"), waitFor);

        String timeout = out.part(3, "fix: Async.timeout(500 ms, () -> connect and read)");
        Output.assertNoReport(timeout);
        assertTrue(timeout.contains("\nno greeting: java.util.concurrent.TimeoutException: timed out"), timeout);
    }
}
