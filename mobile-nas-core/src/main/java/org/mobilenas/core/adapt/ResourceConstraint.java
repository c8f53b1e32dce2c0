package org.mobilenas.core.adapt;

import java.util.function.ToDoubleFunction;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A resource that adaptation must bring within a budget, measured directly on the candidate spec.
 *
 * @param name     name used in reports and errors, e.g. {@code latency:lut:this-jvm}
 * @param measure  the resource of a spec (milliseconds, MACs, parameters, joules...)
 * @param budget   the budget: an absolute value, or a fraction of the initial network's value when
 *                 {@code relative}
 * @param relative whether {@code budget} is a fraction of the initial value
 *
 * <pre>{@code
 * ResourceConstraint lat = ResourceConstraint.latencyFraction(model, 0.5);   // 50 % of the measured latency
 * ResourceConstraint macs = ResourceConstraint.macs(20_000_000);
 * }</pre>
 */
public record ResourceConstraint(String name, ToDoubleFunction<NetworkSpec> measure, double budget, boolean relative) {
    /** Checks the components (a bad one is an error naming it). */
    public ResourceConstraint {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("constraint.name must be a non-empty string, got " + name);
        }
        if (measure == null) {
            throw new IllegalArgumentException("constraint " + name + ": measure is missing");
        }
        if (!Double.isFinite(budget) || budget <= 0 || (relative && budget > 1)) {
            throw new IllegalArgumentException("constraint " + name + ": budget " + budget + " must be "
                    + (relative ? "a fraction in (0, 1]" : "a finite number > 0"));
        }
    }

    /** Latency at batch 1 predicted by {@code model}, at most {@code budgetMs}. */
    public static ResourceConstraint latency(LatencyModel model, double budgetMs) {
        return new ResourceConstraint("latency:" + model.name(), model::predictMs, budgetMs, false);
    }

    /** Latency at batch 1 predicted by {@code model}, at most {@code fraction} of the initial network's. */
    public static ResourceConstraint latencyFraction(LatencyModel model, double fraction) {
        return new ResourceConstraint("latency:" + model.name(), model::predictMs, fraction, true);
    }

    /** Multiply-accumulates ({@link Costs#macs()}), at most {@code budget}. */
    public static ResourceConstraint macs(double budget) {
        return new ResourceConstraint("macs", s -> Costs.of(s).macs(), budget, false);
    }

    /** Trainable parameters ({@link Costs#params()}), at most {@code budget}. */
    public static ResourceConstraint params(double budget) {
        return new ResourceConstraint("params", s -> Costs.of(s).params(), budget, false);
    }

    /** Any resource function with an absolute budget. */
    public static ResourceConstraint of(String name, ToDoubleFunction<NetworkSpec> measure, double budget) {
        return new ResourceConstraint(name, measure, budget, false);
    }

    /** The budget for an initial network whose resource is {@code initial}. */
    public double budgetFor(double initial) {
        return relative ? budget * initial : budget;
    }

    /** The resource of {@code spec}; a negative or non-finite value is an error naming the constraint. */
    public double measure(NetworkSpec spec) {
        double v = measure.applyAsDouble(spec);
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalStateException("constraint " + name + ": measured " + v + " for " + spec.name()
                    + "; expected a finite number >= 0");
        }
        return v;
    }
}
