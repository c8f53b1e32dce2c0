package org.mobilenas.core.tiny;

import org.mobilenas.core.search.Outcome;

/**
 * One sampled and evaluated model of a fit: the budget it was sampled for, its (r, d, w), its exact cost as a
 * fraction of the base, the network's name and the evaluation's outcome.
 *
 * <pre>{@code
 * for (Observation o : fit.observations()) {
 *     if (o.outcome().succeeded()) System.out.println(o.r() + " " + o.outcome().accuracy());
 * }
 * }</pre>
 */
public record Observation(
        double budget, double r, double d, double w, double fraction, String network, Outcome outcome) {
    /** Checks the components (a bad one is an error naming it). */
    public Observation {
        if (network == null || outcome == null) {
            throw new IllegalArgumentException("observation.network and observation.outcome must be present");
        }
        if (!Double.isFinite(budget) || budget <= 0) {
            throw new IllegalArgumentException("observation.budget " + budget + " must be a finite number > 0");
        }
    }

    static Observation of(double budget, ScaledNetwork s, Outcome outcome) {
        return new Observation(
                budget, s.r(), s.d(), s.w(), s.fraction(), s.spec().name(), outcome);
    }
}
