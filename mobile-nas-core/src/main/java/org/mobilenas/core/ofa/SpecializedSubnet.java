package org.mobilenas.core.ofa;

import java.util.Objects;

/**
 * A subnet chosen for a budget: its configuration, the predicted accuracy that chose it, its latency under the
 * search's latency model, its MACs, and its measured accuracy ({@code NaN} until {@link #measured} is called).
 *
 * <pre>{@code
 * SpecializedSubnet s = result.best();
 * SpecializedSubnet m = s.measured(AccuracySample.measure(supernet, s.config(), train, test, 2000, 1));
 * }</pre>
 *
 * @param config            the subnet
 * @param predictedAccuracy predictor's top-1
 * @param measuredAccuracy  top-1 measured after extraction and BN recalibration, or {@code NaN}
 * @param latencyMs         predicted latency at batch 1
 * @param macs              multiply-accumulates
 */
public record SpecializedSubnet(
        SubnetConfig config, double predictedAccuracy, double measuredAccuracy, double latencyMs, long macs) {
    /** Checks the components (a bad one is an error naming it). */
    public SpecializedSubnet {
        Objects.requireNonNull(config, "config");
        if (!(latencyMs >= 0) || macs < 0) {
            throw new IllegalArgumentException(
                    "specialized subnet: latencyMs " + latencyMs + " and macs " + macs + " must be >= 0");
        }
    }

    /** The same subnet with a measured accuracy. */
    public SpecializedSubnet measured(double accuracy) {
        return new SpecializedSubnet(config, predictedAccuracy, accuracy, latencyMs, macs);
    }
}
