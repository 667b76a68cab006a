package io.eventloop.examples;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one time knob of the programs that wait: {@code --scale F} multiplies every duration the
 * program waits (sleeps, timeouts, simulated work, the delays a fetch program asks its server
 * for), so {@code --scale 0.1} runs the three-second demo in 0.3 s with the same interleaving. The
 * programs print elapsed time in real seconds, so the ratios they prove hold at any scale. F is a
 * positive decimal ({@code 0.1}, {@code 2}, {@code .5}); anything else is refused as any bad
 * option is ({@link Args}). The servers take no {@code --scale}: their timeouts have options of
 * their own. Public for the examples in sub-packages.
 */
public final class Scale {
    /** The line {@link #parse} adds to a program's usage. */
    public static final String USAGE = "--scale F multiplies every wait by F, a positive decimal (0.1 runs ten times faster)";

    /** Digits with at most one point: no sign, exponent, NaN, Infinity or the d/f suffixes Java would accept. */
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");

    private final double factor;

    private Scale(double factor) {
        this.factor = factor;
    }

    /**
     * Parses the command line of program {@code name}, which takes {@code --scale F} (default 1)
     * and no other option; see {@link Args} for what a bad one does.
     */
    public static Scale parse(String[] args, String name) {
        return of(Args.parse(args, "./run " + name + " [--scale F]\n" + USAGE, "scale", "1"));
    }

    /**
     * The {@code scale} option of already parsed arguments (declared with default {@code "1"});
     * a value that is not a positive decimal prints a message naming it and the usage, and
     * exits with status 2.
     */
    public static Scale of(Args args) {
        String value = args.get("scale");
        double factor = DECIMAL.matcher(value).matches() ? Double.parseDouble(value) : Double.NaN;
        if (!(factor > 0) || Double.isInfinite(factor)) {
            args.fail("--scale needs a positive decimal number such as 0.1, got " + value);
        }
        return new Scale(factor);
    }

    /** {@code seconds}, scaled. */
    public Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * factor * 1e9));
    }

    /** {@code d}, scaled. */
    public Duration scaled(Duration d) {
        return seconds(d.toNanos() / 1e9);
    }

    /** Blocks the calling thread for {@code seconds}, scaled: the tutorials' {@code time.sleep}. */
    public void blockingSleep(double seconds) throws InterruptedException {
        Thread.sleep(seconds(seconds).toMillis());
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime()}), as the tutorials print them: {@code 1.00s}. */
    public static String elapsed(long startNanos) {
        return String.format(Locale.ROOT, "%.2fs", (System.nanoTime() - startNanos) / 1e9);
    }
}
