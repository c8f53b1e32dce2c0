package org.mobilenas.examples;

import java.util.SplittableRandom;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;

/** A linear softmax classifier over the raw pixels, standing in for a realized network where the engine is absent. */
final class LinearModel implements Model {
    private final NetworkSpec spec;
    private final ParameterStore store = new ParameterStore();
    private final int d;
    private final int k;
    private Tensor last;

    LinearModel(NetworkSpec spec, long seed) {
        this.spec = spec;
        this.d = spec.resolution() * spec.resolution() * spec.inputChannels();
        this.k = spec.numClasses();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[k * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * 0.01);
        }
        store.add(new Param("fc.weight", Param.Role.WEIGHT, new int[] {k, d}, w));
        store.add(new Param("fc.bias", Param.Role.BIAS, new int[] {k}, new float[k]));
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public ParameterStore parameters() {
        return store;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        float[] w = store.get("fc.weight").value();
        float[] b = store.get("fc.bias").value();
        float[] out = new float[input.n * k];
        for (int i = 0; i < input.n; i++) {
            for (int j = 0; j < k; j++) {
                float s = b[j];
                for (int q = 0; q < d; q++) {
                    s += w[j * d + q] * input.data[i * d + q];
                }
                out[i * k + j] = s;
            }
        }
        if (mode == Mode.TRAIN) {
            last = input;
        }
        return new Tensor(out, input.n, 1, 1, k);
    }

    @Override
    public void backward(Tensor gradLogits) {
        float[] gw = store.get("fc.weight").grad();
        float[] gb = store.get("fc.bias").grad();
        for (int i = 0; i < last.n; i++) {
            for (int j = 0; j < k; j++) {
                float g = gradLogits.data[i * k + j];
                gb[j] += g;
                for (int q = 0; q < d; q++) {
                    gw[j * d + q] += g * last.data[i * d + q];
                }
            }
        }
    }

    @Override
    public void resetBatchNormStatistics() {
        // no batch norm
    }

    @Override
    public void seed(long seed) {
        // no dropout
    }
}
