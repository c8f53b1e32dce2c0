package org.mobilenas.core.tiny;

import org.mobilenas.core.spec.NetworkSpec;

/**
 * A base network scaled by resolution {@code r}, depth {@code d} and width {@code w}, with its exact cost under
 * the scaler's budget function and that cost as a fraction of the base's.
 *
 * <pre>{@code
 * ScaledNetwork s = scaler.tiny(0.25);
 * System.out.printf("r=%.3f d=%.3f w=%.3f -> %.3f of the base%n", s.r(), s.d(), s.w(), s.fraction());
 * }</pre>
 */
public record ScaledNetwork(double r, double d, double w, NetworkSpec spec, double cost, double fraction) {
    /** Checks the components (a bad one is an error naming it). */
    public ScaledNetwork {
        if (spec == null) {
            throw new IllegalArgumentException("scaled.spec is missing");
        }
        for (double v : new double[] {r, d, w}) {
            if (!Double.isFinite(v) || v <= 0) {
                throw new IllegalArgumentException(
                        "scaled (r, d, w) = (" + r + ", " + d + ", " + w + ") must be finite numbers > 0");
            }
        }
        if (!Double.isFinite(cost) || cost < 0 || !Double.isFinite(fraction) || fraction < 0) {
            throw new IllegalArgumentException(
                    "scaled.cost " + cost + " and fraction " + fraction + " must be finite numbers >= 0");
        }
    }

    /** {@code |fraction − budget| / budget}: how far the cost is from a budget, relative to it. */
    public double relativeError(double budget) {
        return Math.abs(fraction - budget) / budget;
    }
}
