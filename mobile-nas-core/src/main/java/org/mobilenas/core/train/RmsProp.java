package org.mobilenas.core.train;

/**
 * RMSProp in either of the two common conventions.
 * <ul>
 *   <li>PyTorch ({@code tensorflowStyle = false}): {@code s = a s + (1-a) g^2}, {@code d = g / (sqrt(s) + eps)};
 *       with momentum {@code b = m b + d}, {@code w -= lr b}; else {@code w -= lr d}; {@code s} starts at 0.</li>
 *   <li>TensorFlow ({@code tensorflowStyle = true}, as used to train MnasNet/EfficientNet): {@code s} starts at 1,
 *       {@code d = g / sqrt(s + eps)}, and the learning rate enters the momentum buffer:
 *       {@code b = m b + lr d}, {@code w -= b}.</li>
 * </ul>
 *
 * <pre>{@code
 * Optimizer mnas = RmsProp.tensorflow(0.9, 0.9, 1e-3);
 * Optimizer torch = RmsProp.pytorch(0.99, 0.0, 1e-8);
 * }</pre>
 *
 * @param decay           squared-gradient decay (alpha / rho) in [0, 1)
 * @param momentum        momentum in [0, 1)
 * @param eps             positive stabiliser
 * @param tensorflowStyle TensorFlow semantics (see above)
 */
public record RmsProp(double decay, double momentum, double eps, boolean tensorflowStyle) implements Optimizer {
    /** Checks the components (a bad one is an error naming it). */
    public RmsProp {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("rmsprop decay = " + decay + ", expected in [0, 1)");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("rmsprop momentum = " + momentum + ", expected in [0, 1)");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("rmsprop eps = " + eps + ", expected > 0");
        }
    }

    /** TensorFlow semantics (eps inside the square root, mean square starting at 1, lr inside momentum). */
    public static RmsProp tensorflow(double decay, double momentum, double eps) {
        return new RmsProp(decay, momentum, eps, true);
    }

    /** PyTorch semantics. */
    public static RmsProp pytorch(double decay, double momentum, double eps) {
        return new RmsProp(decay, momentum, eps, false);
    }

    @Override
    public int stateSlots() {
        return momentum > 0 ? 2 : 1;
    }

    @Override
    public float initialState(int slot) {
        return slot == 0 && tensorflowStyle ? 1f : 0f;
    }

    @Override
    public void update(float[] w, float[] g, float[][] state, long step, double lr) {
        float[] s = state[0];
        float a = (float) decay;
        float e = (float) eps;
        float l = (float) lr;
        float m = (float) momentum;
        float[] b = momentum > 0 ? state[1] : null;
        for (int i = 0; i < w.length; i++) {
            s[i] = a * s[i] + (1 - a) * g[i] * g[i];
            float d = tensorflowStyle ? g[i] / (float) Math.sqrt(s[i] + e) : g[i] / ((float) Math.sqrt(s[i]) + e);
            if (b == null) {
                w[i] -= l * d;
            } else if (tensorflowStyle) {
                b[i] = m * b[i] + l * d;
                w[i] -= b[i];
            } else {
                b[i] = m * b[i] + d;
                w[i] -= l * b[i];
            }
        }
    }
}
