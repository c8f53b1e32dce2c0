package org.mobilenas.core.tiny;

/**
 * The box the (r, d, w) multipliers are sampled and solved in: resolution r, depth d and width w each in
 * [min, max]. The tiny formula's predictions are clamped to the r and d ranges.
 *
 * <pre>{@code
 * SamplingRanges ranges = SamplingRanges.defaults();          // r, d in [0.25, 1.25], w in [0.1, 1.5]
 * SamplingRanges narrow = new SamplingRanges(0.5, 1.0, 0.5, 1.0, 0.25, 1.0);
 * }</pre>
 */
public record SamplingRanges(double rMin, double rMax, double dMin, double dMax, double wMin, double wMax) {
    /** Checks the components (a bad one is an error naming it). */
    public SamplingRanges {
        range("r", rMin, rMax);
        range("d", dMin, dMax);
        range("w", wMin, wMax);
    }

    private static void range(String name, double min, double max) {
        if (!Double.isFinite(min) || min <= 0) {
            throw new IllegalArgumentException("ranges." + name + "Min " + min + " must be a finite number > 0");
        }
        if (!Double.isFinite(max) || max < min) {
            throw new IllegalArgumentException(
                    "ranges." + name + "Max " + max + " must be a finite number >= " + name + "Min " + min);
        }
    }

    /** r and d in [0.25, 1.25], w in [0.1, 1.5]. */
    public static SamplingRanges defaults() {
        return new SamplingRanges(0.25, 1.25, 0.25, 1.25, 0.1, 1.5);
    }

    double clampR(double r) {
        return Math.max(rMin, Math.min(rMax, r));
    }

    double clampD(double d) {
        return Math.max(dMin, Math.min(dMax, d));
    }
}
