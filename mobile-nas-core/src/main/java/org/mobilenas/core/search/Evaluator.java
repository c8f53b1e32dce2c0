package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Scores candidate networks. An evaluator receives a batch, so an implementation may train the candidates
 * in parallel, on a pool or a cluster; it returns one {@link Outcome} per candidate, in order, and records a
 * failing candidate as {@link Outcome#failure(String)} instead of throwing.
 *
 * <pre>{@code
 * Evaluator byParams = Evaluator.of(spec -> 1.0 / (1 + Costs.of(spec).params() / 1e6));
 * List<Outcome> outcomes = byParams.evaluate(List.of(a, b, c));
 * }</pre>
 */
@FunctionalInterface
public interface Evaluator {

    /**
     * Evaluates every candidate; the result has the same size and order as {@code candidates}. Only a problem
     * with the whole batch (e.g. a {@code null} list) may throw.
     */
    List<Outcome> evaluate(List<NetworkSpec> candidates);

    /** Evaluates one candidate. */
    default Outcome evaluate(NetworkSpec candidate) {
        List<Outcome> out = evaluate(List.of(candidate));
        if (out.size() != 1) {
            throw new IllegalStateException("evaluator returned " + out.size() + " outcomes for 1 candidate");
        }
        return out.get(0);
    }

    /**
     * An evaluator from a per-candidate accuracy function. An exception, a {@code null} candidate or a value
     * outside [0, 1] becomes a failure naming the candidate and the cause.
     */
    static Evaluator of(ToDoubleFunction<NetworkSpec> accuracy) {
        if (accuracy == null) {
            throw new IllegalArgumentException("accuracy function is missing");
        }
        return candidates -> {
            if (candidates == null) {
                throw new IllegalArgumentException("candidates is missing; expected a list of network specs");
            }
            List<Outcome> out = new ArrayList<>(candidates.size());
            for (NetworkSpec spec : candidates) {
                out.add(evaluateOne(accuracy, spec));
            }
            return List.copyOf(out);
        };
    }

    private static Outcome evaluateOne(ToDoubleFunction<NetworkSpec> accuracy, NetworkSpec spec) {
        if (spec == null) {
            return Outcome.failure("candidate is missing (null)");
        }
        double a;
        try {
            a = accuracy.applyAsDouble(spec);
        } catch (RuntimeException e) {
            return Outcome.failure("'" + spec.name() + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (!(a >= 0 && a <= 1)) {
            return Outcome.failure("'" + spec.name() + "': accuracy " + a + " not in [0, 1]");
        }
        return Outcome.accuracy(a);
    }
}
