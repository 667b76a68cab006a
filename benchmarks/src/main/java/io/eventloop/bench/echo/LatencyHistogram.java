package io.eventloop.bench.echo;

/** Latencies in whole microseconds up to one second, and a count of the longer ones. */
final class LatencyHistogram {
    private static final int MAX_MICROS = 1_000_000;
    private final int[] counts = new int[MAX_MICROS + 1];
    private long total;
    private long maxNanos;

    void record(long nanos) {
        int micros = (int) Math.min(nanos / 1000, MAX_MICROS);
        counts[micros]++;
        total++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    /** Adds the samples of {@code other} to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    long count() {
        return total;
    }

    /** The latency, in microseconds, below which {@code fraction} of the samples lie (1 s if above). */
    double percentileMicros(double fraction) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i + 0.5; // the middle of the bucket
            }
        }
        return MAX_MICROS;
    }

    double maxMicros() {
        return maxNanos / 1000.0;
    }
}
