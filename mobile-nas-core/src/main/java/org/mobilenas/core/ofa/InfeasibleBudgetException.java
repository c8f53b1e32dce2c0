package org.mobilenas.core.ofa;

/**
 * No subnet of the space meets the requested budget: even the smallest subnet is over it (or, for a tight budget,
 * no feasible candidate turned up within the sampling limit). The message names the budget and the cheapest
 * latency and MACs the search saw.
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

    /** The lowest latency of any subnet seen, in milliseconds. */
    public double cheapestMs() {
        return cheapestMs;
    }
}
