package org.mobilenas.core.train;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
 *
 * <pre>{@code
 * Trainer.builder().optimizer(new Adam(0.9, 0.999, 1e-8))...
 * }</pre>
 *
 * @param beta1 first-moment decay in [0, 1)
 * @param beta2 second-moment decay in [0, 1)
 * @param eps   positive denominator term
 */
public record Adam(double beta1, double beta2, double eps) implements Optimizer {
    /** Checks the components (a bad one is an error naming it). */
    public Adam {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("adam beta1 = " + beta1 + ", expected in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam beta2 = " + beta2 + ", expected in [0, 1)");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("adam eps = " + eps + ", expected > 0");
        }
    }

    @Override
    public int stateSlots() {
        return 2;
    }

    @Override
    public void update(float[] w, float[] g, float[][] state, long step, double lr) {
        float[] m = state[0];
        float[] v = state[1];
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        float e = (float) eps;
        for (int i = 0; i < w.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + e);
        }
    }
}
