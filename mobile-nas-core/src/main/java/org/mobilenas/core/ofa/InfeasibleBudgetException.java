package org.mobilenas.core.ofa;

/**
 * No subnet of the space meets the requested budget: even the smallest subnet is over it. The search checks this
 * before sampling, so an infeasible budget ends at once instead of resampling forever; the message names the
 * budget, the latency model and the smallest subnet's latency and MACs.
 *
 * <pre>{@code
 * try {
 *     search.search(predictor);
 * } catch (InfeasibleBudgetException e) {
 *     System.out.println("smallest subnet needs " + e.cheapestMs() + " ms");
 * }
 * }</pre>
 */
public class InfeasibleBudgetException extends IllegalArgumentException {
    private final double budgetMs;
    private final double cheapestMs;

    public InfeasibleBudgetException(String message, double budgetMs, double cheapestMs) {
        super(message);
        this.budgetMs = budgetMs;
        this.cheapestMs = cheapestMs;
    }

    /** The requested latency budget in milliseconds. */
    public double budgetMs() {
        return budgetMs;
    }

    /** The smallest subnet's latency in milliseconds. */
    public double cheapestMs() {
        return cheapestMs;
    }
}
