package org.mobilenas.core.tiny;

/**
 * No (r, d, w) within the scaler's ranges brings the cost within the tolerance of the requested budget.
 * The message says which budget, what the nearest reachable fraction is and why.
 */
public class InfeasibleBudgetException extends IllegalArgumentException {
    private final double budget;
    private final double nearest;

    public InfeasibleBudgetException(String message, double budget, double nearest) {
        super(message);
        this.budget = budget;
        this.nearest = nearest;
    }

    /** The requested budget (fraction of the base cost). */
    public double budget() {
        return budget;
    }

    /** The reachable fraction nearest to it. */
    public double nearest() {
        return nearest;
    }
}
