package org.mobilenas.core.train;

/**
 * An update rule for one parameter tensor, with per-element state held by the caller in {@link #stateSlots()}
 * arrays (so it can be checkpointed). Weight decay is applied by the {@link Trainer} before the update
 * (added to the gradient), as in the common frameworks.
 *
 * <pre>{@code
 * Optimizer sgd = Optimizer.sgd(0.9, true);            // Nesterov momentum
 * Optimizer rms = RmsProp.tensorflow(0.9, 0.9, 1e-3);  // MnasNet's setting
 * Optimizer adam = Optimizer.adam();
 * }</pre>
 */
public sealed interface Optimizer extends java.io.Serializable permits Sgd, RmsProp, Adam {

    /** Number of state arrays this rule keeps per parameter (each as long as the parameter). */
    int stateSlots();

    /** Initial value of every element of state slot {@code slot}. */
    default float initialState(int slot) {
        return 0f;
    }

    /**
     * Updates {@code w} in place from gradient {@code g}.
     *
     * @param w     parameter values
     * @param g     gradient (already including weight decay)
     * @param state {@link #stateSlots()} arrays, each {@code w.length} long
     * @param step  1-based number of this update
     * @param lr    learning rate of this step
     */
    void update(float[] w, float[] g, float[][] state, long step, double lr);

    /**
     * The same rule on values kept in double precision (e.g. a controller's policy): computed in single precision
     * like every other update of the library, and written back.
     */
    default void update(double[] w, double[] g, float[][] state, long step, double lr) {
        if (g.length != w.length) {
            throw new IllegalArgumentException("gradient has " + g.length + " values, parameters " + w.length);
        }
        float[] wf = new float[w.length];
        float[] gf = new float[g.length];
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
            gf[i] = (float) g[i];
        }
        update(wf, gf, state, step, lr);
        for (int i = 0; i < w.length; i++) {
            w[i] = wf[i];
        }
    }

    /** Fresh state for a parameter of {@code size} values: {@link #stateSlots()} arrays at their initial values. */
    default float[][] newState(int size) {
        float[][] s = new float[stateSlots()][size];
        for (int slot = 0; slot < s.length; slot++) {
            java.util.Arrays.fill(s[slot], initialState(slot));
        }
        return s;
    }

    /** Plain SGD. */
    static Sgd sgd() {
        return new Sgd(0, false);
    }

    /** SGD with (optionally Nesterov) momentum. */
    static Sgd sgd(double momentum, boolean nesterov) {
        return new Sgd(momentum, nesterov);
    }

    /** Adam with betas (0.9, 0.999) and eps 1e-8. */
    static Adam adam() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    /** RMSProp as in PyTorch (alpha 0.99, eps 1e-8 outside the square root, no momentum). */
    static RmsProp rmsprop() {
        return RmsProp.pytorch(0.99, 0, 1e-8);
    }
}
