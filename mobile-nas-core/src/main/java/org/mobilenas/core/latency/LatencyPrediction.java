package org.mobilenas.core.latency;

import java.util.List;

/**
 * A latency prediction: the total, the part of it that is fixed per-network overhead, and (when the model
 * predicts per layer) the per-layer contributions, whose sum plus the overhead is the total.
 */
public record LatencyPrediction(double totalMs, double overheadMs, List<LayerLatency> layers) {
    /** Checks the components (a bad one is an error naming it). */
    public LatencyPrediction {
        if (!Double.isFinite(totalMs) || totalMs < 0) {
            throw new IllegalArgumentException("totalMs " + totalMs + " must be a finite number >= 0");
        }
        if (!Double.isFinite(overheadMs) || overheadMs < 0) {
            throw new IllegalArgumentException("overheadMs " + overheadMs + " must be a finite number >= 0");
        }
        layers = List.copyOf(layers);
    }
}
