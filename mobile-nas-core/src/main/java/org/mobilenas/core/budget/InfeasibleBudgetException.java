package org.mobilenas.core.budget;

/**
 * A budget that cannot be met: no network the method can reach satisfies it. Every method throws this one type
 * (TinyNet scaling, NetAdapt pruning, Once-for-All specialisation), carrying what was asked and the nearest value
 * that can be reached, so a caller can relax the budget and retry. The message says why.
 *
 * <pre>{@code
 * try {
 *     scaler.widthOnly(0.05);
 * } catch (InfeasibleBudgetException e) {
 *     System.out.println(e.resource() + ": asked " + e.requested() + ", nearest " + e.nearest());
 * }
 * }</pre>
 */
public class InfeasibleBudgetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String resource;
    private final double requested;
    private final double nearest;

    /**
     * An infeasible budget.
     *
     * @param resource  what the budget limits, e.g. {@code "latency"} or {@code "macs fraction"}
     * @param requested the budget asked for
     * @param nearest   the reachable value nearest to it ({@code NaN} when nothing could be built)
     * @param message   why, naming the budget and what was tried
     */
    public InfeasibleBudgetException(String resource, double requested, double nearest, String message) {
        super(message);
        this.resource = resource;
        this.requested = requested;
        this.nearest = nearest;
    }

    /** What the budget limits. */
    public String resource() {
        return resource;
    }

    /** The budget asked for. */
    public double requested() {
        return requested;
    }

    /** The reachable value nearest to the budget. */
    public double nearest() {
        return nearest;
    }
}
