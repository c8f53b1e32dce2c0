package org.mobilenas.core.ofa;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.train.Adam;
import org.mobilenas.core.train.Optimizer;

/**
 * Once-for-All's accuracy predictor: an MLP (default three hidden layers of 400 ReLU units) on the space's one-hot
 * encoding ({@link ElasticSpace#encode}), trained with Adam on the mean squared error of measured accuracies
 * (standardised internally). Predictions are batched matrix products, fast enough for an evolutionary search of
 * tens of thousands of candidates.
 *
 * <pre>{@code
 * AccuracyPredictor p = AccuracyPredictor.builder(space).epochs(200).seed(1).build();
 * PredictorReport report = p.fit(samples, 0.2);
 * double acc = p.predict(config);
 * }</pre>
 */
public final class AccuracyPredictor {
    private final ElasticSpace space;
    private final int[] sizes;
    private final float[][] w;
    private final float[][] b;
    private final int epochs;
    private final int batchSize;
    private final double lr;
    private final long seed;
    private final Gemm gemm = Gemm.java();
    private boolean trained;
    private double mean;
    private double std = 1;
    private PredictorReport report;

    private AccuracyPredictor(Builder bl) {
        this.space = bl.space;
        this.epochs = bl.epochs;
        this.batchSize = bl.batchSize;
        this.lr = bl.lr;
        this.seed = bl.seed;
        sizes = new int[bl.layers + 2];
        sizes[0] = space.encodingLength();
        for (int i = 1; i <= bl.layers; i++) {
            sizes[i] = bl.units;
        }
        sizes[bl.layers + 1] = 1;
        w = new float[sizes.length - 1][];
        b = new float[sizes.length - 1][];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < w.length; l++) {
            w[l] = new float[sizes[l + 1] * sizes[l]];
            b[l] = new float[sizes[l + 1]];
            double sd = Math.sqrt(2.0 / sizes[l]);
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) (rng.nextGaussian() * sd);
            }
        }
    }

    /** A builder of a predictor for {@code space}'s subnets with the paper's settings (3 × 400 units). */
    public static Builder builder(ElasticSpace space) {
        return new Builder(space);
    }

    /** Fluent configuration of an {@link AccuracyPredictor}. */
    public static final class Builder {
        private final ElasticSpace space;
        private int layers = 3;
        private int units = 400;
        private int epochs = 200;
        private int batchSize = 64;
        private double lr = 1e-3;
        private long seed;

        private Builder(ElasticSpace space) {
            this.space = Objects.requireNonNull(space, "space");
        }

        /** Hidden layers (default 3). */
        public Builder layers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("layers = " + n + ", expected >= 1");
            }
            this.layers = n;
            return this;
        }

        /** Units per hidden layer (default 400). */
        public Builder units(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("units = " + n + ", expected >= 1");
            }
            this.units = n;
            return this;
        }

        /** Training epochs over the measured samples. */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("epochs = " + n + ", expected >= 1");
            }
            this.epochs = n;
            return this;
        }

        /** Training batch size. */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize = " + n + ", expected >= 1");
            }
            this.batchSize = n;
            return this;
        }

        /** Adam learning rate (default 1e-3, the paper's). */
        public Builder learningRate(double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("learningRate = " + v + ", expected a finite value > 0");
            }
            this.lr = v;
            return this;
        }

        /** Seed of the initial weights, the shuffling and the train / held-out split. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Builds an untrained predictor. */
        public AccuracyPredictor build() {
            return new AccuracyPredictor(this);
        }
    }

    /** The elastic space whose subnets this predictor scores. */
    public ElasticSpace space() {
        return space;
    }

    /** The report of the last {@link #fit}, or null before fitting. */
    public PredictorReport report() {
        return report;
    }

    /**
     * Fits the MLP on a seeded random {@code 1 - validationFraction} of {@code samples} and reports errors on both
     * parts. {@code validationFraction} in [0, 1); with 0 the validation figures are {@code NaN}.
     */
    public PredictorReport fit(List<AccuracySample> samples, double validationFraction) {
        if (samples == null || samples.size() < 2) {
            throw new IllegalArgumentException(
                    "samples: need at least 2, got " + (samples == null ? 0 : samples.size()));
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction = " + validationFraction + ", expected in [0, 1)");
        }
        List<List<AccuracySample>> parts = split(samples, validationFraction, seed);
        List<AccuracySample> val = parts.get(1);
        List<AccuracySample> tr = parts.get(0);
        if (tr.isEmpty()) {
            throw new IllegalArgumentException(
                    "validationFraction " + validationFraction + " leaves no training samples");
        }
        int n = tr.size();
        int d = sizes[0];
        float[] x = new float[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            space.encode(tr.get(i).config(), x, i * d);
            y[i] = tr.get(i).accuracy();
        }
        mean = java.util.Arrays.stream(y).average().orElse(0);
        double var = java.util.Arrays.stream(y)
                .map(v -> (v - mean) * (v - mean))
                .average()
                .orElse(0);
        std = Math.sqrt(var) > 1e-6 ? Math.sqrt(var) : 1;
        train(x, y, n);
        trained = true;
        double trainRmse = rmse(tr);
        double valRmse = val.isEmpty() ? Double.NaN : rmse(val);
        double rho = Double.NaN;
        if (val.size() >= 3) {
            double[] pred = predict(val.stream().map(AccuracySample::config).toList());
            double[] meas = val.stream().mapToDouble(AccuracySample::accuracy).toArray();
            rho = new SpearmansCorrelation().correlation(pred, meas);
        }
        report = new PredictorReport(tr.size(), val.size(), trainRmse, valRmse, rho, epochs);
        return report;
    }

    /**
     * Train and held-out parts (in that order) as {@link #fit(List, double)} with {@code seed} splits them: shuffled
     * with the seed, the first {@code validationFraction} held out.
     */
    public static List<List<AccuracySample>> split(List<AccuracySample> samples, double validationFraction, long seed) {
        List<AccuracySample> shuffled = new ArrayList<>(samples);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        int nVal = (int) Math.round(samples.size() * validationFraction);
        return List.of(shuffled.subList(nVal, shuffled.size()), shuffled.subList(0, nVal));
    }

    /**
     * A predictor setting and its mean Spearman over the folds of a cross-validation.
     *
     * @param layers     hidden layers
     * @param units      units per hidden layer
     * @param epochs     training epochs
     * @param cvSpearman mean Spearman over the folds
     */
    public record Setting(int layers, int units, int epochs, double cvSpearman) {}

    /**
     * Cross-validates predictor settings on the samples {@code fit(samples, validationFraction)} with this
     * {@code seed} would train on — its held-out part is not touched, so choosing by this does not use it: for
     * every combination of {@code layers × units × epochs}, {@code folds}-fold Spearman. Best first.
     */
    public static List<Setting> crossValidate(
            ElasticSpace space,
            List<AccuracySample> samples,
            double validationFraction,
            List<Integer> layers,
            List<Integer> units,
            List<Integer> epochs,
            int folds,
            long seed) {
        Objects.requireNonNull(space, "space");
        if (folds < 2) {
            throw new IllegalArgumentException("folds " + folds + ": expected >= 2");
        }
        List<AccuracySample> train = split(samples, validationFraction, seed).get(0);
        if (train.size() < 3 * folds) {
            throw new IllegalArgumentException(
                    "cross-validation needs at least " + 3 * folds + " training samples, " + "got " + train.size());
        }
        List<Setting> out = new ArrayList<>();
        for (int l : layers) {
            for (int u : units) {
                for (int e : epochs) {
                    double sum = 0;
                    for (int f = 0; f < folds; f++) {
                        List<AccuracySample> fit = new ArrayList<>();
                        List<AccuracySample> check = new ArrayList<>();
                        for (int i = 0; i < train.size(); i++) {
                            (i % folds == f ? check : fit).add(train.get(i));
                        }
                        AccuracyPredictor p = builder(space)
                                .layers(l)
                                .units(u)
                                .epochs(e)
                                .seed(seed)
                                .build();
                        p.fit(fit, 0);
                        sum += new SpearmansCorrelation()
                                .correlation(
                                        p.predict(check.stream()
                                                .map(AccuracySample::config)
                                                .toList()),
                                        check.stream()
                                                .mapToDouble(AccuracySample::accuracy)
                                                .toArray());
                    }
                    out.add(new Setting(l, u, e, sum / folds));
                }
            }
        }
        out.sort((a, b) -> Double.compare(b.cvSpearman(), a.cvSpearman()));
        return out;
    }

    private double rmse(List<AccuracySample> s) {
        double[] p = predict(s.stream().map(AccuracySample::config).toList());
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double e = p[i] - s.get(i).accuracy();
            sum += e * e;
        }
        return Math.sqrt(sum / p.length);
    }

    private void train(float[] x, double[] y, int n) {
        Adam adam = Optimizer.adam();
        int layers = w.length;
        float[][][] sw = new float[layers][2][];
        float[][][] sb = new float[layers][2][];
        float[][] gw = new float[layers][];
        float[][] gb = new float[layers][];
        for (int l = 0; l < layers; l++) {
            sw[l] = new float[][] {new float[w[l].length], new float[w[l].length]};
            sb[l] = new float[][] {new float[b[l].length], new float[b[l].length]};
            gw[l] = new float[w[l].length];
            gb[l] = new float[b[l].length];
        }
        int d = sizes[0];
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += batchSize) {
                int m = Math.min(batchSize, n - start);
                float[] xb = new float[m * d];
                float[] yb = new float[m];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(x, order[start + i] * d, xb, i * d, d);
                    yb[i] = (float) ((y[order[start + i]] - mean) / std);
                }
                float[][] acts = forward(xb, m);
                float[] out = acts[layers];
                float[] g = new float[m];
                for (int i = 0; i < m; i++) {
                    g[i] = 2f * (out[i] - yb[i]) / m;
                }
                for (int l = layers - 1; l >= 0; l--) {
                    int in = sizes[l];
                    int o = sizes[l + 1];
                    gemm.gemm(true, false, o, in, m, 1f, g, 0, o, acts[l], 0, in, 0f, gw[l], 0, in);
                    java.util.Arrays.fill(gb[l], 0f);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < o; j++) {
                            gb[l][j] += g[i * o + j];
                        }
                    }
                    if (l > 0) {
                        float[] gi = new float[m * in];
                        gemm.gemm(false, false, m, in, o, 1f, g, 0, o, w[l], 0, in, 0f, gi, 0, in);
                        float[] a = acts[l];
                        for (int i = 0; i < gi.length; i++) {
                            if (a[i] <= 0) {
                                gi[i] = 0;
                            }
                        }
                        g = gi;
                    }
                }
                step++;
                for (int l = 0; l < layers; l++) {
                    adam.update(w[l], gw[l], sw[l], step, lr);
                    adam.update(b[l], gb[l], sb[l], step, lr);
                }
            }
        }
    }

    /** Activations of every layer (input, hidden after ReLU, output) for {@code m} encoded rows. */
    private float[][] forward(float[] x, int m) {
        int layers = w.length;
        float[][] acts = new float[layers + 1][];
        acts[0] = x;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int o = sizes[l + 1];
            float[] h = new float[m * o];
            for (int i = 0; i < m; i++) {
                System.arraycopy(b[l], 0, h, i * o, o);
            }
            gemm.gemm(false, true, m, o, in, 1f, acts[l], 0, in, w[l], 0, in, 1f, h, 0, o);
            if (l < layers - 1) {
                for (int i = 0; i < h.length; i++) {
                    h[i] = Math.max(0f, h[i]);
                }
            }
            acts[l + 1] = h;
        }
        return acts;
    }

    /** Predicted top-1 accuracy of one subnet. */
    public double predict(SubnetConfig c) {
        return predict(List.of(c))[0];
    }

    /** Predicted top-1 accuracies of several subnets in one batched pass. */
    public double[] predict(List<SubnetConfig> configs) {
        if (!trained) {
            throw new IllegalStateException(
                    "accuracy predictor is not fitted: call fit(samples, validationFraction) " + "before predict");
        }
        if (configs == null) {
            throw new IllegalArgumentException("configs is missing");
        }
        int m = configs.size();
        double[] out = new double[m];
        if (m == 0) {
            return out;
        }
        int d = sizes[0];
        float[] x = new float[m * d];
        for (int i = 0; i < m; i++) {
            space.encode(configs.get(i), x, i * d);
        }
        float[] y = forward(x, m)[w.length];
        for (int i = 0; i < m; i++) {
            out[i] = y[i] * std + mean;
        }
        return out;
    }
}
