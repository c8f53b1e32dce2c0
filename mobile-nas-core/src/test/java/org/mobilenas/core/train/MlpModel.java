package org.mobilenas.core.train;

import java.util.SplittableRandom;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A small hand-differentiated model for trainer tests: softmax regression over the flattened input
 * ({@code hidden == 0}) or a one-hidden-layer MLP with a per-unit affine ("bn" gamma/beta) and ReLU. A running mean
 * of the hidden pre-activations behaves like batch-norm statistics (momentum in TRAIN, cumulative in CALIBRATE).
 */
final class MlpModel implements Model {
    private final NetworkSpec spec;
    private final ParameterStore store = new ParameterStore();
    private final int d;
    private final int h;
    private final int k;
    private Tensor lastInput;
    private float[] lastPre;
    private float[] lastAct;
    private int calibrated;

    MlpModel(int resolution, int channels, int classes, int hidden, long seed) {
        this.spec = NetworkSpec.builder("mlp", resolution, channels)
                .head(GlobalPoolBlock.avg())
                .classifier(classes, 0)
                .build();
        this.d = resolution * resolution * channels;
        this.h = hidden;
        this.k = classes;
        SplittableRandom rng = new SplittableRandom(seed);
        if (h > 0) {
            store.add(new Param("fc1.weight", Param.Role.WEIGHT, new int[] {h, d}, init(h * d, d, rng)));
            store.add(new Param("fc1.bias", Param.Role.BIAS, new int[] {h}, new float[h]));
            float[] ones = new float[h];
            java.util.Arrays.fill(ones, 1f);
            store.add(new Param("bn.gamma", Param.Role.BN_GAMMA, new int[] {h}, ones));
            store.add(new Param("bn.beta", Param.Role.BN_BETA, new int[] {h}, new float[h]));
            store.add(new Param("bn.running_mean", Param.Role.BN_RUNNING_MEAN, new int[] {h}, new float[h]));
        }
        int in = h > 0 ? h : d;
        store.add(new Param("fc.weight", Param.Role.WEIGHT, new int[] {k, in}, init(k * in, in, rng)));
        store.add(new Param("fc.bias", Param.Role.BIAS, new int[] {k}, new float[k]));
    }

    private static float[] init(int n, int fanIn, SplittableRandom rng) {
        float[] v = new float[n];
        double s = Math.sqrt(1.0 / fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-s, s);
        }
        return v;
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
        int n = input.n;
        float[] x = input.data;
        float[] feat = x;
        int in = d;
        float[] pre = null;
        float[] act = null;
        if (h > 0) {
            float[] w1 = store.get("fc1.weight").value();
            float[] b1 = store.get("fc1.bias").value();
            float[] g = store.get("bn.gamma").value();
            float[] be = store.get("bn.beta").value();
            pre = new float[n * h];
            act = new float[n * h];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < h; j++) {
                    float s = b1[j];
                    for (int q = 0; q < d; q++) {
                        s += w1[j * d + q] * x[i * d + q];
                    }
                    pre[i * h + j] = s;
                    act[i * h + j] = Math.max(0f, g[j] * s + be[j]);
                }
            }
            trackStatistics(pre, n, mode);
            feat = act;
            in = h;
        }
        float[] w = store.get("fc.weight").value();
        float[] b = store.get("fc.bias").value();
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float s = b[j];
                for (int q = 0; q < in; q++) {
                    s += w[j * in + q] * feat[i * in + q];
                }
                out[i * k + j] = s;
            }
        }
        if (mode == Mode.TRAIN) {
            lastInput = input;
            lastPre = pre;
            lastAct = act;
        }
        return new Tensor(out, n, 1, 1, k);
    }

    private void trackStatistics(float[] pre, int n, Mode mode) {
        if (mode == Mode.EVAL) {
            return;
        }
        float[] rm = store.get("bn.running_mean").value();
        for (int j = 0; j < h; j++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += pre[i * h + j];
            }
            m /= n;
            if (mode == Mode.TRAIN) {
                rm[j] = (float) (0.9 * rm[j] + 0.1 * m);
            } else {
                rm[j] = (float) ((rm[j] * calibrated + m) / (calibrated + 1));
            }
        }
        if (mode == Mode.CALIBRATE) {
            calibrated++;
        }
    }

    /** How many CALIBRATE batches ran since the last reset. */
    int calibratedBatches() {
        return calibrated;
    }

    @Override
    public void backward(Tensor gradLogits) {
        if (lastInput == null) {
            throw new IllegalStateException("backward without a TRAIN forward");
        }
        int n = lastInput.n;
        float[] x = lastInput.data;
        float[] feat = h > 0 ? lastAct : x;
        int in = h > 0 ? h : d;
        float[] gy = gradLogits.data;
        Param fc = store.get("fc.weight");
        float[] w = fc.value();
        float[] gw = fc.grad();
        float[] gb = store.get("fc.bias").grad();
        float[] gfeat = h > 0 ? new float[n * h] : null;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float g = gy[i * k + j];
                gb[j] += g;
                for (int q = 0; q < in; q++) {
                    gw[j * in + q] += g * feat[i * in + q];
                    if (gfeat != null) {
                        gfeat[i * h + q] += g * w[j * in + q];
                    }
                }
            }
        }
        if (h == 0) {
            return;
        }
        float[] gamma = store.get("bn.gamma").value();
        float[] ggamma = store.get("bn.gamma").grad();
        float[] gbeta = store.get("bn.beta").grad();
        float[] gw1 = store.get("fc1.weight").grad();
        float[] gb1 = store.get("fc1.bias").grad();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                if (lastAct[i * h + j] <= 0f) {
                    continue;
                }
                float ga = gfeat[i * h + j];
                ggamma[j] += ga * lastPre[i * h + j];
                gbeta[j] += ga;
                float gpre = ga * gamma[j];
                gb1[j] += gpre;
                for (int q = 0; q < d; q++) {
                    gw1[j * d + q] += gpre * x[i * d + q];
                }
            }
        }
    }

    @Override
    public void resetBatchNormStatistics() {
        if (h > 0) {
            java.util.Arrays.fill(store.get("bn.running_mean").value(), 0f);
        }
        calibrated = 0;
    }

    @Override
    public void seed(long seed) {
        // no dropout in this model
    }
}
