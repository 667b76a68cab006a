package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a tutorial program with its output captured, and reads that output. */
final class Outputs {
    /** The factor the tests run the programs at: durations shrink fivefold, fixed overheads stay small. */
    static final double SCALE = 0.2;
    /** Durations as the tutorials state them, for tests on fake time, where they cost nothing. */
    static final Scale UNSCALED = Scale.parse(new String[0], "test");
    private static final Pattern SECONDS = Pattern.compile("(\\d+\\.\\d+)s$");

    private Outputs() {
    }

    /** The lines {@code main(args)} prints, with {@code --scale SCALE} appended to the arguments. */
    static List<String> run(Main main, String... args) throws Exception {
        return runScaled(SCALE, main, args);
    }

    /** The lines {@code main(args)} prints, with {@code --scale scale} appended to the arguments. */
    static List<String> runScaled(double scale, Main main, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--scale";
        all[args.length + 1] = String.valueOf(scale);
        return lines(() -> main.run(all));
    }

    /** The lines {@code body} prints. */
    static List<String> lines(SyncVsAsyncTest.Body body) throws Exception {
        String out = SyncVsAsyncTest.capture(body);
        return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
    }

    /**
     * The seconds at the end of {@code line} ("... 0.31s"), divided by {@link #SCALE}: the unscaled
     * time. Printed with two decimals, so lower bounds need a little slack (0.60 / 0.2 < 3).
     */
    static double unscaledSeconds(String line) {
        Matcher m = SECONDS.matcher(line);
        assertTrue(m.find(), "no elapsed time at the end of: " + line);
        return Double.parseDouble(m.group(1)) / SCALE;
    }

    /** An example's {@code main}. */
    interface Main {
        void run(String[] args) throws Exception;
    }
}
