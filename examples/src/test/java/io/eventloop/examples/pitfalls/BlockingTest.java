package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BlockingTest {
    private static final String TASK = "Task 'report' created at io.eventloop.examples.pitfalls.Blocking.lambda$mistake$";

    @Test
    void theWatchdogShowsTheBlockingCallWhileItBlocksAndDebugModeLogsTheSlowStepAndTheFixReportsNothing()
            throws Exception {
        Output out = Output.of(() -> Blocking.main(new String[0]));
        assertEquals(3, out.parts.size(), out.all);

        String mistake = out.part(1, "mistake: Thread.sleep(800) inside a task blocks the loop");
        List<String> reports = Output.allReports(mistake); // the slow-step line is one of them here
        assertEquals(3, reports.size(), mistake);
        // While it blocks: the watchdog, on its own thread, with the loop thread's stack.
        String blocked = reports.get(0);
        assertTrue(blocked.startsWith("[eventloop-watchdog] WARN io.eventloop.EventLoop - Event loop EventLoop@"), blocked);
        assertTrue(blocked.contains("[running] blocked: thread '"), blocked);
        assertTrue(blocked.contains("' has been running " + TASK), blocked);
        assertTrue(blocked.contains("(watchdog threshold 0.200 s); it is at:"), blocked);
        String stack = mistake.substring(mistake.indexOf(blocked) + blocked.length());
        // The top frames are the JDK's sleep (Thread.sleep on JDK 17, Thread.sleepNanos0 on JDK 25,
        // printed with or without module versions and class-loader names), then the blocking call.
        assertTrue(stack.startsWith("\n\tat "), stack);
        assertTrue(stack.lines().skip(1).findFirst().orElse("").contains("java.lang.Thread.sleep"), stack);
        assertTrue(stack.contains("io.eventloop.examples.pitfalls.Blocking.slowQuery(Blocking.java:"), stack);
        // When it returns: debug mode's slow-callback line, then the watchdog's all-clear.
        Matcher slow = Pattern.compile("\\[main] WARN io\\.eventloop\\.EventLoop - Executing "
                + Pattern.quote(TASK) + "\\d+\\(Blocking\\.java:\\d+\\) took (\\d+\\.\\d{3}) seconds").matcher(reports.get(1));
        assertTrue(slow.matches(), reports.get(1));
        assertTrue(Double.parseDouble(slow.group(1)) >= 0.8, reports.get(1)); // Thread.sleep(800) sleeps at least that
        assertTrue(reports.get(2).matches("\\[\\S+] WARN io\\.eventloop\\.EventLoop - Event loop EventLoop@\\S+ unblocked after "
                + "\\d+\\.\\d{3} seconds in " + Pattern.quote(TASK) + "\\d+\\(Blocking\\.java:\\d+\\)"), reports.get(2));
        assertTrue(mistake.strip().endsWith("\n42 rows"), mistake);

        String fix = out.part(2, "fix: Async.sleep, and Async.toThread");
        Output.assertNoReport(fix);
        assertTrue(fix.strip().endsWith("\n42 rows"), fix);
    }
}
