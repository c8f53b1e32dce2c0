package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OptimizerTest {

    /** Runs the optimizer on a single scalar with the given gradients; returns w after each step. */
    private static double[] run(Optimizer opt, double lr, double... grads) {
        float[] w = {1f};
        float[][] state = new float[opt.stateSlots()][1];
        for (int s = 0; s < state.length; s++) {
            state[s][0] = opt.initialState(s);
        }
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            opt.update(w, new float[] {(float) grads[t]}, state, t + 1, lr);
            out[t] = w[0];
        }
        return out;
    }

    @Test
    void plainSgd() {
        assertThat(run(Optimizer.sgd(), 0.1, 1, 2)).containsExactly(new double[] {0.9, 0.7}, within(1e-6));
    }

    @Test
    void sgdMomentum() {
        // v1 = 1, w = 0.9; v2 = 0.9 + 1 = 1.9, w = 0.9 - 0.19 = 0.71
        assertThat(run(Optimizer.sgd(0.9, false), 0.1, 1, 1)).containsExactly(new double[] {0.9, 0.71}, within(1e-6));
    }

    @Test
    void sgdNesterov() {
        // step 1: v = 1, w -= 0.1 (1 + 0.9) -> 0.81; step 2: v = 1.9, w -= 0.1 (1 + 1.71) -> 0.539
        assertThat(run(Optimizer.sgd(0.9, true), 0.1, 1, 1)).containsExactly(new double[] {0.81, 0.539}, within(1e-6));
    }

    @Test
    void adam() {
        assertThat(run(Optimizer.adam(), 0.1, 2, -1))
                .containsExactly(new double[] {0.9000000005, 0.8733662967024315}, within(1e-6));
    }

    @Test
    void rmspropPytorch() {
        // s1 = 0.04, w = 1 - 0.01 * 2 / 0.2; s2 = 0.0496, w += 0.01 / sqrt(0.0496)
        assertThat(run(RmsProp.pytorch(0.99, 0, 1e-8), 0.01, 2, -1))
                .containsExactly(new double[] {0.9, 0.9449013284905645}, within(1e-6));
    }

    @Test
    void rmspropPytorchMomentum() {
        assertThat(run(RmsProp.pytorch(0.9, 0.5, 1e-8), 0.01, 2, -1))
                .containsExactly(new double[] {0.9683772238983162, 0.9673100312455727}, within(1e-6));
    }

    @Test
    void rmspropTensorflow() {
        // mean square starts at 1; eps inside the sqrt; lr inside the momentum buffer
        RmsProp tf = RmsProp.tensorflow(0.9, 0.9, 1e-3);
        assertThat(tf.initialState(0)).isEqualTo(1f);
        assertThat(run(tf, 0.01, 2, -1))
                .containsExactly(new double[] {0.982465582324232, 0.9755546800423924}, within(1e-6));
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> Optimizer.sgd(1.0, false)).hasMessageContaining("momentum = 1.0");
        assertThatThrownBy(() -> Optimizer.sgd(0, true)).hasMessageContaining("nesterov");
        assertThatThrownBy(() -> new Adam(0.9, 1.0, 1e-8)).hasMessageContaining("beta2 = 1.0");
        assertThatThrownBy(() -> new Adam(0.9, 0.99, 0)).hasMessageContaining("eps = 0.0");
        assertThatThrownBy(() -> RmsProp.tensorflow(-0.1, 0.9, 1e-3)).hasMessageContaining("decay = -0.1");
    }
}
