package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./run subprocess} at a fifth of its time, with real children. */
class SubprocessDemoTest {
    @Test
    void bothCommandsReportTheirOutputAndStatusTheDateFollowsAndTheLongChildIsKilled() throws Exception {
        List<String> lines = Outputs.run(SubprocessDemo::main);
        String all = String.join("\n", lines);
        int ls = lines.indexOf("['ls /zzz' exited with 2]");
        assertTrue(ls >= 0, all);
        assertEquals("[stderr]", lines.get(ls + 1), all);
        assertTrue(lines.get(ls + 2).contains("/zzz"), all);
        int hello = lines.indexOf("['sleep 0.200; echo \"hello\"' exited with 0]");
        assertTrue(hello >= 0, all);
        assertEquals(List.of("[stdout]", "hello"), lines.subList(hello + 1, hello + 3), all);
        assertTrue(ls < hello, "ls returns at once, the sleeping command a second later: " + all);
        assertEquals(9, lines.size(), all);
        assertTrue(lines.get(6).startsWith("both commands took "), all);
        double both = Outputs.unscaledSeconds(lines.get(6));
        assertTrue(both >= 0.95, "the shell command slept its second: " + all);
        assertTrue(lines.get(7).startsWith("Current date: ") && lines.get(7).length() > "Current date: ".length(), all);
        assertTrue(lines.get(8).matches("\\[sleep 60 killed after \\d+\\.\\d+s: returncode -9]"), all);
    }
}
