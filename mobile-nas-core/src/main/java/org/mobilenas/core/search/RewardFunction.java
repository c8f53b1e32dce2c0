package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MnasNet's multi-objective reward {@code ACC(m) × Π_c [V_c(m) / T_c]^w_c}, with {@code w_c = α_c} when the
 * measured value {@code V_c} meets its target ({@code V_c ≤ T_c}) and {@code w_c = β_c} otherwise. One
 * constraint per metric: latency (from the search's {@code LatencyModel}), parameters or MACs (from
 * {@code Costs}).
 * <ul>
 *   <li>{@link #soft(double)}: α = β = −0.07 (the paper's default, a smooth trade-off around T);</li>
 *   <li>{@link #hard(double)}: α = 0, β = −1 (no bonus below T, a steep penalty above it).</li>
 * </ul>
 * A constraint with α = 0 is <em>hard</em>: a candidate violating it is {@link #feasible(Measures) infeasible}
 * and is never reported as the best of a search.
 *
 * <pre>{@code
 * RewardFunction soft = RewardFunction.soft(20.0);                  // 20 ms target
 * RewardFunction both = RewardFunction.hard(20.0).and(Metric.PARAMS, 2e6, -0.07, -0.07);
 * double r = soft.reward(0.9, new RewardFunction.Measures(25.0, 1.2e6, 50e6));
 * }</pre>
 */
public final class RewardFunction {

    /** What a constraint limits. */
    public enum Metric {
        /** Latency in milliseconds. */
        LATENCY_MS,
        /** Parameter count. */
        PARAMS,
        /** Multiply-accumulates per image. */
        MACS
    }

    /** The measured costs of one candidate. */
    public record Measures(double latencyMs, double params, double macs) {
        /** Checks the components (a bad one is an error naming it). */
        public Measures {
            check("latencyMs", latencyMs);
            check("params", params);
            check("macs", macs);
        }

        private static void check(String f, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("measures." + f + " " + v + " must be a finite number >= 0");
            }
        }

        /** The value of metric {@code m}. */
        public double get(Metric m) {
            return switch (m) {
                case LATENCY_MS -> latencyMs;
                case PARAMS -> params;
                case MACS -> macs;
            };
        }
    }

    /**
     * One constraint {@code [V/T]^w}.
     *
     * @param metric what is limited
     * @param target T, &gt; 0
     * @param alpha  exponent when {@code V ≤ T} (≤ 0)
     * @param beta   exponent when {@code V > T} (≤ 0)
     */
    public record Constraint(Metric metric, double target, double alpha, double beta) {
        /** Checks the components (a bad one is an error naming it). */
        public Constraint {
            if (metric == null) {
                throw new IllegalArgumentException(
                        "constraint.metric is missing; expected one of LATENCY_MS, " + "PARAMS, MACS");
            }
            if (!(target > 0) || Double.isInfinite(target)) {
                throw new IllegalArgumentException("constraint.target " + target + " must be a finite number > 0");
            }
            if (!(alpha <= 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("constraint.alpha " + alpha + " must be a finite number <= 0");
            }
            if (!(beta <= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("constraint.beta " + beta + " must be a finite number <= 0");
            }
        }

        /** {@code α = 0}: values above the target make a candidate infeasible. */
        public boolean hard() {
            return alpha == 0;
        }

        /** Whether {@code m} is within this constraint's target. */
        public boolean met(Measures m) {
            return m.get(metric) <= target;
        }

        /** The reward factor {@code (value / target)^w} of {@code m}, {@code w} the exponent on its side of the target. */
        public double factor(Measures m) {
            double v = m.get(metric);
            double w = v <= target ? alpha : beta;
            if (w == 0) {
                return 1.0;
            }
            return Math.pow(Math.max(v, 1e-12) / target, w);
        }
    }

    /** Soft and hard exponent presets. */
    public static final double SOFT_ALPHA = -0.07;
    /** MnasNet's soft-constraint exponent (both sides of the target). */
    public static final double SOFT_BETA = -0.07;
    /** MnasNet's hard-constraint exponent within the target. */
    public static final double HARD_ALPHA = 0.0;
    /** MnasNet's hard-constraint exponent beyond the target. */
    public static final double HARD_BETA = -1.0;

    private final List<Constraint> constraints;

    private RewardFunction(List<Constraint> constraints) {
        if (constraints.isEmpty()) {
            throw new IllegalArgumentException("reward needs at least one constraint");
        }
        List<Metric> seen = new ArrayList<>();
        for (Constraint c : constraints) {
            if (seen.contains(c.metric())) {
                throw new IllegalArgumentException(
                        "reward has two constraints on " + c.metric() + "; expected at most one per metric");
            }
            seen.add(c.metric());
        }
        this.constraints = List.copyOf(constraints);
    }

    /** The soft latency reward: α = β = −0.07 around {@code targetMs}. */
    public static RewardFunction soft(double targetMs) {
        return latency(targetMs, SOFT_ALPHA, SOFT_BETA);
    }

    /** The hard latency reward: α = 0, β = −1 around {@code targetMs}. */
    public static RewardFunction hard(double targetMs) {
        return latency(targetMs, HARD_ALPHA, HARD_BETA);
    }

    /** A latency reward with arbitrary exponents. */
    public static RewardFunction latency(double targetMs, double alpha, double beta) {
        return of(new Constraint(Metric.LATENCY_MS, targetMs, alpha, beta));
    }

    /** A reward of accuracy times the factor of each constraint. */
    public static RewardFunction of(Constraint... constraints) {
        return new RewardFunction(List.of(constraints));
    }

    /** This reward with one more constraint. */
    public RewardFunction and(Metric metric, double target, double alpha, double beta) {
        List<Constraint> cs = new ArrayList<>(constraints);
        cs.add(new Constraint(metric, target, alpha, beta));
        return new RewardFunction(cs);
    }

    /** The constraints, in order. */
    public List<Constraint> constraints() {
        return constraints;
    }

    /** Whether any constraint needs the latency model. */
    public boolean needsLatency() {
        return constraints.stream().anyMatch(c -> c.metric() == Metric.LATENCY_MS);
    }

    /** The reward of a candidate with {@code accuracy} in [0, 1] and the given measures. */
    public double reward(double accuracy, Measures m) {
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy " + accuracy + " must be in [0, 1]");
        }
        if (m == null) {
            throw new IllegalArgumentException("measures are missing");
        }
        double r = accuracy;
        for (Constraint c : constraints) {
            r *= c.factor(m);
        }
        return r;
    }

    /** True when every hard constraint is met. */
    public boolean feasible(Measures m) {
        for (Constraint c : constraints) {
            if (c.hard() && !c.met(m)) {
                return false;
            }
        }
        return true;
    }

    /** True when every constraint (hard or soft) is met. */
    public boolean meetsAll(Measures m) {
        return constraints.stream().allMatch(c -> c.met(m));
    }

    /** The latency target, or NaN without a latency constraint. */
    public double latencyTargetMs() {
        return constraints.stream()
                .filter(c -> c.metric() == Metric.LATENCY_MS)
                .mapToDouble(Constraint::target)
                .findFirst()
                .orElse(Double.NaN);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ACC");
        for (Constraint c : constraints) {
            sb.append(String.format(
                    Locale.ROOT, " x [%s/%s]^(%s if <= T else %s)", c.metric(), c.target(), c.alpha(), c.beta()));
        }
        return sb.toString();
    }
}
