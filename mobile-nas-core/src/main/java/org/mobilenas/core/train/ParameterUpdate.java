package org.mobilenas.core.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mobilenas.core.engine.Param;

/**
 * The one optimisation step every training loop of the library takes: checks that each gradient is finite, adds
 * L2 weight decay to the parameters whose role takes it (convolution and linear weights; batch-norm scales and
 * shifts, biases and transformation matrices are exempt unless told otherwise), and applies the optimizer with its
 * per-parameter state. The state is kept by parameter name, so a checkpoint can save and restore it.
 *
 * <pre>{@code
 * ParameterUpdate update = ParameterUpdate.of(Optimizer.sgd(0.9, true), 5e-5, true, model.parameters().trainable());
 * model.parameters().zeroGrad();
 * ... forward, loss, backward ...
 * String problem = update.apply(step, lr);     // null, or e.g. "gradient of stem.conv.w is not finite"
 * }</pre>
 */
public final class ParameterUpdate {
    private final Optimizer optimizer;
    private final double weightDecay;
    private final boolean decayWeightsOnly;
    private final List<Param> params;
    private final Map<String, float[][]> state = new LinkedHashMap<>();

    private ParameterUpdate(Optimizer optimizer, double weightDecay, boolean decayWeightsOnly, List<Param> params) {
        this.optimizer = optimizer;
        this.weightDecay = weightDecay;
        this.decayWeightsOnly = decayWeightsOnly;
        this.params = List.copyOf(params);
        for (Param p : this.params) {
            if (state.put(p.name(), optimizer.newState(p.size())) != null) {
                throw new IllegalArgumentException("params: two parameters are named " + p.name());
            }
        }
    }

    /**
     * An update of {@code params} by {@code optimizer} with weight decay {@code weightDecay} (0: none), applied to
     * weights only when {@code decayWeightsOnly}, else to every parameter.
     */
    public static ParameterUpdate of(
            Optimizer optimizer, double weightDecay, boolean decayWeightsOnly, List<Param> params) {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(params, "params");
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay " + weightDecay + ": expected a finite number >= 0");
        }
        return new ParameterUpdate(optimizer, weightDecay, decayWeightsOnly, params);
    }

    /** Whether weight decay applies to {@code p}. */
    public boolean decays(Param p) {
        return weightDecay > 0 && (!decayWeightsOnly || p.role() == Param.Role.WEIGHT);
    }

    /**
     * Applies one step ({@code step} counts from 1) at learning rate {@code lr} to the accumulated gradients; returns
     * null, or the problem (a non-finite gradient, named) without changing any parameter.
     */
    public String apply(long step, double lr) {
        for (Param p : params) {
            double sq = 0;
            for (float v : p.grad()) {
                sq += (double) v * v;
            }
            if (!Double.isFinite(sq)) {
                return "gradient of " + p.name() + " is not finite";
            }
        }
        for (Param p : params) {
            float[] g = p.grad();
            if (decays(p)) {
                float wd = (float) weightDecay;
                float[] w = p.value();
                for (int i = 0; i < g.length; i++) {
                    g[i] += wd * w[i];
                }
            }
            optimizer.update(p.value(), g, state.get(p.name()), step, lr);
        }
        return null;
    }

    /** The optimizer state by parameter name (live; for checkpoints). */
    public Map<String, float[][]> state() {
        return state;
    }

    /** Replaces the optimizer state with {@code saved} (same parameter names and slot sizes), e.g. on resume. */
    public void restore(Map<String, float[][]> saved, String source) {
        if (!state.keySet().equals(saved.keySet())) {
            throw new IllegalStateException(source + ": optimizer state covers " + saved.size()
                    + " parameters, the model has " + state.size() + " trainable parameters; expected the same names");
        }
        for (Map.Entry<String, float[][]> e : state.entrySet()) {
            float[][] cur = e.getValue();
            float[][] sv = saved.get(e.getKey());
            if (sv.length != cur.length) {
                throw new IllegalStateException(source + ": optimizer state of " + e.getKey() + " has " + sv.length
                        + " slots, expected " + cur.length);
            }
            for (int s = 0; s < cur.length; s++) {
                if (sv[s].length != cur[s].length) {
                    throw new IllegalStateException(source + ": optimizer state of " + e.getKey() + " slot " + s
                            + " has " + sv[s].length + " values, expected " + cur[s].length);
                }
                System.arraycopy(sv[s], 0, cur[s], 0, cur[s].length);
            }
        }
    }
}
