package org.mobilenas.core.ofa;

/**
 * What one progressive-shrinking phase did: steps, mean training loss, and the accuracy of the largest and the
 * smallest subnet on the validation data after the phase (BN recalibrated; {@code NaN} without validation data).
 *
 * <pre>{@code
 * ProgressiveShrinking.builder().phases(phases).listener(p -> System.out.println(p.name() + " " + p.maxAccuracy()))...
 * }</pre>
 *
 * @param name        phase name
 * @param epochs      epochs trained
 * @param steps       optimisation steps
 * @param meanLoss    mean loss over the phase's last epoch (per subnet, CE plus distillation)
 * @param maxAccuracy top-1 of the largest subnet at the largest resolution
 * @param minAccuracy top-1 of the smallest subnet at the smallest resolution
 * @param seconds     wall-clock time of the phase
 * @param divergence  why the phase stopped early (a non-finite loss or gradient, named), or {@code null} when it
 *                    completed; a diverged phase leaves the supernet as it was before the phase
 */
public record PhaseResult(
        String name,
        int epochs,
        long steps,
        double meanLoss,
        double maxAccuracy,
        double minAccuracy,
        double seconds,
        String divergence) {
    /** Checks the components (a bad one is an error naming it). */
    public PhaseResult {
        if (name == null) {
            throw new IllegalArgumentException("phaseResult.name is missing");
        }
        if (epochs < 0 || steps < 0) {
            throw new IllegalArgumentException(
                    "phaseResult " + name + ": epochs " + epochs + " and steps " + steps + " must be >= 0");
        }
    }

    /** Whether the phase stopped on a divergence. */
    public boolean diverged() {
        return divergence != null;
    }
}
