package org.mobilenas.core.tiny;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The fitted tiny formula: for a budget c (fraction of the base cost), resolution {@code r(c)} and depth
 * {@code d(c)} are the posterior means of two Gaussian processes over {@code x = ln c} (clamped to the sampling
 * ranges), and width is {@code w = sqrt(c / (r²·d))}.
 *
 * <pre>{@code
 * TinyFormula f = fit.formula();
 * TinyFormula.Point p = f.predict(0.25);
 * RbfKernel kr = f.resolution().kernel();    // the fitted hyperparameters
 * }</pre>
 */
public record TinyFormula(GaussianProcess resolution, GaussianProcess depth, SamplingRanges ranges) {
    /** Checks the components (a bad one is an error naming it). */
    public TinyFormula {
        if (resolution == null || depth == null || ranges == null) {
            throw new IllegalArgumentException("formula.resolution, formula.depth and formula.ranges must be present");
        }
    }

    /** (r, d, w) for one budget. */
    public record Point(double c, double r, double d, double w) {}

    /** r, d from the processes and w from the budget, for a budget {@code c > 0}. */
    public Point predict(double c) {
        TinyScaler.checkBudget(c);
        double x = Math.log(c);
        double r = ranges.clampR(resolution.mean(x));
        double d = ranges.clampD(depth.mean(x));
        return new Point(c, r, d, Math.sqrt(c / (r * r * d)));
    }

    /** The kernel hyperparameters of both processes, as text. */
    @JsonIgnore
    public String describe() {
        return "r(c): " + resolution + "; d(c): " + depth + " (input ln c)";
    }

    /** What the processes read: {@code "ln(c)"}. */
    @JsonProperty("input")
    public String input() {
        return "ln(c)";
    }
}
