package org.mobilenas.core.experiment;

import java.util.Locale;

/**
 * One method against another at one budget, on test top-1: the difference of the means set against the seed
 * spread, with a verdict in words. "Clearly" means by more than twice the pooled seed standard deviation.
 *
 * <pre>{@code
 * Comparison c = Comparison.of("50 % latency", "netadapt", adapted, "width", width, false);
 * System.out.println(c.verdict());
 * }</pre>
 *
 * @param budget     the budget's label
 * @param method     the method compared
 * @param other      the method compared against
 * @param methodMean mean test top-1 of the method's network
 * @param otherMean  mean test top-1 of the other's network
 * @param difference {@code methodMean - otherMean}
 * @param spread     pooled seed standard deviation {@code sqrt((s₁² + s₂²) / 2)}
 * @param verdict    what the difference means relative to the spread
 */
public record Comparison(
        String budget,
        String method,
        String other,
        double methodMean,
        double otherMean,
        double difference,
        double spread,
        String verdict) {

    /**
     * Compares summary {@code a} of {@code method} with summary {@code b} of {@code other}; {@code sameNetwork}
     * says the two are one architecture (they tie by construction).
     */
    public static Comparison of(String budget, String method, Summary a, String other, Summary b, boolean sameNetwork) {
        double diff = a.testMean() - b.testMean();
        double sa = Double.isNaN(a.testStd()) ? 0 : a.testStd();
        double sb = Double.isNaN(b.testStd()) ? 0 : b.testStd();
        double spread = Math.sqrt((sa * sa + sb * sb) / 2);
        String how;
        if (sameNetwork) {
            how = "builds the very same network (only the name differs), so the two tie by construction";
        } else if (Double.isNaN(diff)) {
            how = "could not be compared (a network did not complete)";
        } else if (Math.abs(diff) > 2 * spread) {
            how = diff > 0 ? "beats it clearly" : "loses to it clearly";
        } else {
            how = diff > 0
                    ? "is ahead, but within the seed spread"
                    : diff < 0 ? "is behind, but within the seed spread" : "ties with it";
        }
        String verdict = String.format(
                Locale.ROOT,
                "%s: %s %s vs %s %s: %s %s (difference %+.4f, seed spread %.4f).",
                budget,
                method,
                a.testText(),
                other,
                b.testText(),
                method,
                how,
                diff,
                spread);
        return new Comparison(budget, method, other, a.testMean(), b.testMean(), diff, spread, verdict);
    }

    /** Whether the method is ahead by more than twice the seed spread. */
    public boolean clearWin() {
        return difference > 2 * spread;
    }

    /** Whether the method is behind by more than twice the seed spread. */
    public boolean clearLoss() {
        return -difference > 2 * spread;
    }
}
