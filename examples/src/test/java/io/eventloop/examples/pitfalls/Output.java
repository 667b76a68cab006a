package io.eventloop.examples.pitfalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a pitfall program printed, stdout and stderr together in the order they were written, as
 * a user sees them in a terminal: the loop's reports go to stderr (slf4j-simple), the program's
 * own lines to stdout. Split into the parts the programs announce with lines starting "== ".
 */
final class Output {
    /** The program's text, both streams. */
    final String all;
    /** The text of each part: [0] before the first "== " line, then one per announced part. */
    final List<String> parts;

    private Output(String all) {
        this.all = all;
        this.parts = List.of(all.split("(?m)^== ", -1));
    }

    interface Program {
        void run() throws Exception;
    }

    /** Runs {@code program} with System.out and System.err both captured into one buffer. */
    static Output of(Program program) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8); // synchronized: one order
        System.setOut(both);
        System.setErr(both);
        try {
            program.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        out.print(text); // still visible in the test's log
        return new Output(text);
    }

    /** Part {@code i} (1 = the first "== " part), checking that its header starts with {@code header}. */
    String part(int i, String header) {
        String p = parts.get(i);
        assertTrue(p.startsWith(header), "part " + i + " should start with '" + header + "':\n" + p);
        return p;
    }

    /** The lines of {@code text} the loop logged (its logger's name), in order. */
    static List<String> allReports(String text) {
        return text.lines().filter(l -> l.contains(" io.eventloop.EventLoop - ")).collect(Collectors.toList());
    }

    /**
     * {@link #allReports} but debug mode's slow-callback lines ("Executing ... took N seconds"):
     * whether a step of a correct program passes the 100 ms threshold depends on the machine's
     * load and on a cold JVM (a burst of 2,000 accepts in debug mode, which records a creation
     * site per task, once took 0.102 s), not on the program. The suite runs once with
     * {@code -Deventloop.debug=true}, which turns debug mode on in every program.
     */
    static List<String> reports(String text) {
        return allReports(text).stream().filter(l -> !l.contains(" io.eventloop.EventLoop - Executing "))
                .collect(Collectors.toList());
    }

    /** Asserts that {@code text} holds no report from the loop. */
    static void assertNoReport(String text) {
        assertEquals(List.of(), reports(text), text);
    }
}
