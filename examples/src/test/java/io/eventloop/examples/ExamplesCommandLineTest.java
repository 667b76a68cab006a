package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.examples.ExampleProcess.Finished;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command-line rule of {@link Args}, on every example {@code ./run} lists, each run as a child
 * JVM as {@code ./run} runs it: a program that waits takes {@code --scale F}; an unknown option,
 * a stray argument or a bad value ends it with status 2, a message naming it and the usage, and
 * no stack trace; {@code --help} prints the usage and ends it with status 0.
 */
class ExamplesCommandLineTest {
    static List<String> waiting() {
        return Examples.names(Examples.Kind.WAITS);
    }

    static List<String> notWaiting() {
        List<String> names = new ArrayList<>(Examples.names(Examples.Kind.RUNS));
        names.addAll(Examples.names(Examples.Kind.SERVES));
        return names;
    }

    static List<String> everyExample() {
        List<String> names = new ArrayList<>(waiting());
        names.addAll(notWaiting());
        return names;
    }

    /** The end of a program refused as a bad command line: status 2, the message, the usage, no stack trace. */
    private static void assertRefused(Finished f, String name, String message) {
        assertEquals(2, f.exitValue(), f.output());
        assertTrue(f.output().startsWith(message + "\n"), f.output());
        assertTrue(f.output().contains("\nusage: ./run " + name), f.output());
        assertFalse(f.output().contains("\tat ") || f.output().contains("Exception"), f.output());
    }

    @ParameterizedTest(name = "{0} --scale 0.1")
    @MethodSource("waiting")
    void everyProgramThatWaitsRunsToTheEndAtATenthOfItsTime(String name) throws Exception {
        Finished f = ExampleProcess.run(name, "--scale", "0.1");
        assertEquals(0, f.exitValue(), f.output());
    }

    @ParameterizedTest(name = "{0} --no-such-option")
    @MethodSource("everyExample")
    void anUnknownOptionEndsEveryExampleWithStatusTwoNamingItAndTheUsage(String name) throws Exception {
        assertRefused(ExampleProcess.run(name, "--no-such-option"), name, "unknown option --no-such-option");
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("everyExample")
    void helpPrintsTheUsageAndEndsWithStatusZeroAndNamesScaleWhereItIsTaken(String name) throws Exception {
        Finished f = ExampleProcess.run(name, "--help");
        assertEquals(0, f.exitValue(), f.output());
        assertTrue(f.output().startsWith("usage: ./run " + name), f.output());
        assertEquals(waiting().contains(name), f.output().contains("--scale"), f.output());
    }

    @ParameterizedTest(name = "{0} --scale 0.1")
    @MethodSource("notWaiting")
    void aProgramWithNoWaitsToScaleRefusesScale(String name) throws Exception {
        assertRefused(ExampleProcess.run(name, "--scale", "0.1"), name, "unknown option --scale");
    }

    @ParameterizedTest(name = "--scale {0}")
    @ValueSource(strings = {"0", "-1", "abc", "NaN", "Infinity", "1e-1", "0x1p-3", "0.5d", ""})
    void aScaleThatIsNotAPositiveDecimalIsRefusedNamingTheValue(String value) throws Exception {
        assertRefused(ExampleProcess.run("sync-vs-async", "--scale", value), "sync-vs-async",
                "--scale needs a positive decimal number such as 0.1, got " + value);
    }

    @Test
    void aStrayArgumentIsRefusedNamingIt() throws Exception {
        assertRefused(ExampleProcess.run("sync-vs-async", "0.2"), "sync-vs-async",
                "unexpected argument: 0.2 (this program takes options only)");
    }

    @Test
    void anOptionWithoutItsValueIsRefusedNamingIt() throws Exception {
        assertRefused(ExampleProcess.run("hello", "--scale"), "hello", "missing value for --scale");
    }

    @Test
    void aSingleDashOptionIsAnUnknownOption() throws Exception {
        assertRefused(ExampleProcess.run("fetch-urls", "-k", "http://127.0.0.1:1/"), "fetch-urls", "unknown option -k");
    }

    @Test
    void theLauncherListsTheExamplesOnHelpAndRefusesAnUnknownName() throws Exception {
        Finished list = ExampleProcess.run("--help");
        assertEquals(0, list.exitValue(), list.output());
        for (String name : everyExample()) {
            assertTrue(list.output().contains("\n  " + name + " "), list.output());
        }
        Finished unknown = ExampleProcess.run("no-such-example");
        assertEquals(2, unknown.exitValue(), unknown.output());
        assertEquals("no example named 'no-such-example'; ./run lists them\n", unknown.output());
    }
}
