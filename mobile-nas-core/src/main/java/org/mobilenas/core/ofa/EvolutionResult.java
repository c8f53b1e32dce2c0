package org.mobilenas.core.ofa;

import java.util.List;

/**
 * The outcome of an {@link EvolutionSearch}: the best subnet found within the budget, the best predicted accuracy
 * after each generation, how many candidates were scored, and the wall-clock time.
 *
 * <pre>{@code
 * EvolutionResult r = search.search(predictor);
 * Network net = supernet.extractCalibrated(r.best().config(), train, 2000, 1);
 * }</pre>
 *
 * @param best                 the best feasible subnet
 * @param latencyBudgetMs      the latency budget
 * @param macsBudget           the MACs budget ({@code Long.MAX_VALUE} when none)
 * @param latencyModel         name of the latency model
 * @param bestPerGeneration    best predicted accuracy after each generation
 * @param evaluated            candidates scored by the predictor
 * @param rejected             candidates discarded for being over budget
 * @param seconds              wall-clock time
 */
public record EvolutionResult(
        SpecializedSubnet best,
        double latencyBudgetMs,
        long macsBudget,
        String latencyModel,
        List<Double> bestPerGeneration,
        long evaluated,
        long rejected,
        double seconds) {
    /** Checks the components (a bad one is an error naming it). */
    public EvolutionResult {
        bestPerGeneration = List.copyOf(bestPerGeneration);
    }
}
