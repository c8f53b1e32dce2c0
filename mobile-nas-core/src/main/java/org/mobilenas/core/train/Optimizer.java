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
public sealed interface Optimizer permits Sgd, RmsProp, Adam {

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
