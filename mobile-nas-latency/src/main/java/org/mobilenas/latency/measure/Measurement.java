package org.mobilenas.latency.measure;

import java.util.Arrays;

/**
 * The latency of one network measured by a {@link LatencyMeasurer}: the median of repeated timed runs with its
 * spread, and how it was obtained.
 *
 * @param medianMs median of the samples, milliseconds
 * @param p25Ms    25th percentile
 * @param p75Ms    75th percentile
 * @param minMs    fastest sample
 * @param maxMs    slowest sample
 * @param samples  number of timed samples
 * @param threads  worker threads the device used (1 when unknown)
 *
 * <pre>{@code
 * Measurement m = Measurement.of(new double[] {1.2, 1.1, 1.3}, 2);
 * double spread = m.relativeSpread();   // (p75 - p25) / median
 * }</pre>
 */
public record Measurement(
        double medianMs, double p25Ms, double p75Ms, double minMs, double maxMs, int samples, int threads) {
    /** Checks the components (a bad one is an error naming it). */
    public Measurement {
        check("medianMs", medianMs);
        check("p25Ms", p25Ms);
        check("p75Ms", p75Ms);
        check("minMs", minMs);
        check("maxMs", maxMs);
        if (!(minMs <= p25Ms && p25Ms <= medianMs && medianMs <= p75Ms && p75Ms <= maxMs)) {
            throw new IllegalArgumentException("measurement needs min <= p25 <= median <= p75 <= max, got " + minMs
                    + ", " + p25Ms + ", " + medianMs + ", " + p75Ms + ", " + maxMs);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples " + samples + " must be >= 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be >= 1");
        }
    }

    private static void check(String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(field + " " + v + " must be a finite number >= 0");
        }
    }

    /** Summary statistics of timed samples in milliseconds. */
    public static Measurement of(double[] samplesMs, int threads) {
        if (samplesMs == null || samplesMs.length == 0) {
            throw new IllegalArgumentException("samplesMs must hold at least one sample");
        }
        double[] s = samplesMs.clone();
        Arrays.sort(s);
        return new Measurement(
                quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75), s[0], s[s.length - 1], s.length, threads);
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Inter-quartile range, milliseconds. */
    public double spreadMs() {
        return p75Ms - p25Ms;
    }

    /** Inter-quartile range relative to the median (0 when the median is 0). */
    public double relativeSpread() {
        return medianMs > 0 ? spreadMs() / medianMs : 0;
    }
}
