package org.mobilenas.core.latency;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Predicts the latency of a network on one device. Implementations are thread-safe and cheap enough to be
 * called millions of times during a search.
 *
 * <pre>{@code
 * LatencyModel model = LatencyModel.of("flops-proxy", spec -> Costs.of(spec).macs() / 1e6);
 * double ms = model.predictMs(spec);
 * LatencyModel withOverhead = model.plus(0.4);
 * }</pre>
 */
public interface LatencyModel {

    /** A short name of the model and its device, e.g. {@code lut:this-jvm}. */
    String name();

    /** Latency of {@code spec} at {@code batchSize}, with a per-layer breakdown when the model has one. */
    LatencyPrediction predict(NetworkSpec spec, int batchSize);

    /** Predicted latency in milliseconds at batch 1. */
    default double predictMs(NetworkSpec spec) {
        return predict(spec, 1).totalMs();
    }

    /** This model plus a fixed overhead per network (e.g. framework dispatch), in milliseconds. */
    default LatencyModel plus(double overheadMs) {
        if (!Double.isFinite(overheadMs) || overheadMs < 0) {
            throw new IllegalArgumentException("overheadMs " + overheadMs + " must be a finite number >= 0");
        }
        LatencyModel self = this;
        return new LatencyModel() {
            @Override
            public String name() {
                return self.name() + "+" + overheadMs + "ms";
            }

            @Override
            public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
                LatencyPrediction p = self.predict(spec, batchSize);
                return new LatencyPrediction(p.totalMs() + overheadMs, p.overheadMs() + overheadMs, p.layers());
            }
        };
    }

    /** Sum of several models' predictions (e.g. per-part models of a heterogeneous device). */
    static LatencyModel sum(String name, List<LatencyModel> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("parts must be a non-empty list of latency models");
        }
        List<LatencyModel> copy = List.copyOf(parts);
        return new LatencyModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
                double total = 0;
                double overhead = 0;
                List<LayerLatency> layers = new ArrayList<>();
                for (LatencyModel m : copy) {
                    LatencyPrediction p = m.predict(spec, batchSize);
                    total += p.totalMs();
                    overhead += p.overheadMs();
                    layers.addAll(p.layers());
                }
                return new LatencyPrediction(total, overhead, layers);
            }
        };
    }

    /** A model from a function of the spec at batch 1 (no per-layer breakdown); batch b scales linearly. */
    static LatencyModel of(String name, java.util.function.ToDoubleFunction<NetworkSpec> msAtBatch1) {
        return new LatencyModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
                if (batchSize < 1) {
                    throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
                }
                double ms = msAtBatch1.applyAsDouble(spec) * batchSize;
                if (!Double.isFinite(ms) || ms < 0) {
                    throw new IllegalStateException(name + ": predicted " + ms + " ms for " + spec.name());
                }
                return new LatencyPrediction(ms, 0, List.of());
            }
        };
    }
}
