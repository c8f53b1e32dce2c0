package org.mobilenas.core.train;

/**
 * Stochastic gradient descent with momentum, PyTorch convention: {@code v = m v + g}; plain:
 * {@code w -= lr v}; Nesterov: {@code w -= lr (g + m v)}.
 *
 * <pre>{@code
 * Trainer.builder().optimizer(new Sgd(0.9, true))...
 * }</pre>
 *
 * @param momentum momentum factor in [0, 1)
 * @param nesterov use Nesterov momentum (needs momentum &gt; 0)
 */
public record Sgd(double momentum, boolean nesterov) implements Optimizer {
    /** Checks the components (a bad one is an error naming it). */
    public Sgd {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("sgd momentum = " + momentum + ", expected in [0, 1)");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd nesterov = true needs momentum > 0, got momentum = 0");
        }
    }

    @Override
    public int stateSlots() {
        return momentum > 0 ? 1 : 0;
    }

    @Override
    public void update(float[] w, float[] g, float[][] state, long step, double lr) {
        float l = (float) lr;
        if (momentum == 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= l * g[i];
            }
            return;
        }
        float m = (float) momentum;
        float[] v = state[0];
        for (int i = 0; i < w.length; i++) {
            v[i] = m * v[i] + g[i];
            w[i] -= l * (nesterov ? g[i] + m * v[i] : v[i]);
        }
    }
}
