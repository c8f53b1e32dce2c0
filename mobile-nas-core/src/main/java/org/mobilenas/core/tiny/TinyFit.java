package org.mobilenas.core.tiny;

import java.util.List;

/**
 * The result of {@link TinyScaler#fit}: every sampled model with its outcome, the Pareto-best kept per budget,
 * the fitted {@link TinyFormula} (with its kernel hyperparameters) and the Spearman correlations of r, d, w with
 * accuracy per budget and pooled.
 *
 * <pre>{@code
 * TinyFit fit = scaler.fit(List.of(0.1, 0.25, 0.5), 12, evaluator, 42);
 * TinyScaler fitted = scaler.withFormula(fit.formula());
 * System.out.println(fit.pooled().ranking());
 * }</pre>
 */
public record TinyFit(
        List<Double> budgets,
        List<Observation> observations,
        List<Observation> best,
        TinyFormula formula,
        List<Correlations> perBudget,
        Correlations pooled,
        long seed) {
    /** Checks the components (a bad one is an error naming it). */
    public TinyFit {
        budgets = List.copyOf(budgets);
        observations = List.copyOf(observations);
        best = List.copyOf(best);
        perBudget = List.copyOf(perBudget);
        if (formula == null || pooled == null) {
            throw new IllegalArgumentException("fit.formula and fit.pooled must be present");
        }
    }

    /** Observations whose evaluation failed. */
    public List<Observation> failures() {
        return observations.stream().filter(o -> !o.outcome().succeeded()).toList();
    }
}
