package io.eventloop.examples;

import java.time.Duration;
import java.util.Locale;

/**
 * The one time knob of the tutorial programs: {@code --scale F} multiplies every duration the
 * program waits, so {@code --scale 0.1} runs the three-second demo in 0.3 s with the same
 * interleaving. The programs print elapsed time in real seconds, so the ratios they prove hold
 * at any scale.
 */
final class Scale {
    private final double factor;

    private Scale(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("--scale must be a positive number, got " + factor);
        }
        this.factor = factor;
    }

    /** Parses {@code --scale F} (default 1) and no other option; see {@link Args}. */
    static Scale parse(String[] args, String usage) {
        return of(Args.parse(args, usage, "scale", "1"));
    }

    /** The {@code scale} option of already parsed arguments. */
    static Scale of(Args args) {
        try {
            return new Scale(Double.parseDouble(args.get("scale")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale needs a number, got " + args.get("scale"), e);
        }
    }

    /** {@code seconds}, scaled. */
    Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * factor * 1e9));
    }

    /** Blocks the calling thread for {@code seconds}, scaled: the tutorials' {@code time.sleep}. */
    void blockingSleep(double seconds) throws InterruptedException {
        Thread.sleep(seconds(seconds).toMillis());
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime()}), as the tutorials print them: {@code 1.00s}. */
    static String elapsed(long startNanos) {
        return String.format(Locale.ROOT, "%.2fs", (System.nanoTime() - startNanos) / 1e9);
    }
}
