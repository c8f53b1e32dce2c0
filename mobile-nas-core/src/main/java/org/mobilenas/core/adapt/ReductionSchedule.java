package org.mobilenas.core.adapt;

/**
 * How much resource each NetAdapt iteration removes: {@code ΔR_i = initialFraction · R₀ · decay^(i-1)} for
 * iteration {@code i ≥ 1}, like a learning-rate schedule.
 *
 * <pre>{@code
 * ReductionSchedule s = ReductionSchedule.paper();           // 0.025 · R₀, decay 0.96
 * double delta = s.reduction(3, initialLatencyMs);
 * }</pre>
 */
public record ReductionSchedule(double initialFraction, double decay) {
    /** Checks the components (a bad one is an error naming it). */
    public ReductionSchedule {
        if (!Double.isFinite(initialFraction) || initialFraction <= 0 || initialFraction >= 1) {
            throw new IllegalArgumentException("schedule.initialFraction " + initialFraction + " must be in (0, 1)");
        }
        if (!Double.isFinite(decay) || decay <= 0 || decay > 1) {
            throw new IllegalArgumentException("schedule.decay " + decay + " must be in (0, 1]");
        }
    }

    /** The paper's schedule: 2.5 % of the initial resource, decaying by 0.96 per iteration. */
    public static ReductionSchedule paper() {
        return new ReductionSchedule(0.025, 0.96);
    }

    /** Resource reduction of iteration {@code i} (1-based) for an initial resource {@code r0}. */
    public double reduction(int iteration, double r0) {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration " + iteration + " must be >= 1");
        }
        return initialFraction * r0 * Math.pow(decay, iteration - 1);
    }
}
