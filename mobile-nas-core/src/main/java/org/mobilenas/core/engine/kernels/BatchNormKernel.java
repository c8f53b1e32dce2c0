package org.mobilenas.core.engine.kernels;

import org.mobilenas.core.spec.Activation;

/**
 * Batch normalisation over the channels of NHWC data seen as {@code [rows, c]}. Statistics use deterministic
 * two-pass reductions ({@link Reduce}); normalisation and the input gradient are split over threads by rows.
 * The fused variants apply a following activation in the same pass ({@link #normalize(float[], float[], int,
 * int, float[], float[], float[], float[], Activation)}) and back-propagate through ReLU or ReLU6 from the
 * activation's output alone ({@link #backward(float[], float[], Activation, float[], int, int, float[], float[], float[],
 * float[], boolean, float[], float[])}), which saves the activation's separate passes over memory.
 *
 * <pre>{@code
 * BatchNormKernel.batchStatistics(x, rows, c, mean, biasedVar);
 * BatchNormKernel.normalize(x, y, rows, c, mean, invStd, gamma, beta);
 * BatchNormKernel.normalize(x, y, rows, c, mean, invStd, gamma, beta, Activation.RELU6);   // fused
 * }</pre>
 */
public final class BatchNormKernel {
    private BatchNormKernel() {}

    /** Batch mean and biased variance per channel. */
    public static void batchStatistics(float[] x, int rows, int c, float[] mean, float[] biasedVar) {
        double[] s = Reduce.columnSums(x, rows, c);
        for (int j = 0; j < c; j++) {
            mean[j] = (float) (s[j] / rows);
        }
        double[] q = Reduce.columnCenteredSquares(x, mean, rows, c);
        for (int j = 0; j < c; j++) {
            biasedVar[j] = (float) (q[j] / rows);
        }
    }

    /** Whether {@code act} can be fused into batch norm (its gradient is recoverable from its output). */
    public static boolean fusable(Activation act) {
        return act == Activation.NONE || act == Activation.RELU || act == Activation.RELU6;
    }

    private static void checkFusable(Activation act) {
        if (!fusable(act)) {
            throw new IllegalArgumentException(
                    "activation " + act + " cannot be fused into batch norm; expected one " + "of [NONE, RELU, RELU6]");
        }
    }

    /**
     * {@code y = act((x - mean) * invStd * gamma + beta)} per channel for any activation, with batch or running
     * statistics, in one pass over memory by chunks of rows: the activation runs on a chunk while it is in cache,
     * where a separate activation pass would read and write the whole tensor again. Gives the same floats as
     * {@link #normalize(float[], float[], int, int, float[], float[], float[], float[])} followed by the activation.
     * Training can only fuse the activations whose gradient the {@link #backward fused backward pass} recovers from
     * the output ({@link #fusable}).
     */
    public static void normalize(
            float[] x,
            float[] y,
            int rows,
            int c,
            float[] mean,
            float[] invStd,
            float[] gamma,
            float[] beta,
            Activation act) {
        // chunks of whole rows, about 4K values: copied to a zero-offset buffer, where the affine is one flat loop
        // against scale and shift repeated for every row of the chunk and the activation runs while it is in cache
        final int chunk = Math.max(1, 4096 / c);
        final int len = chunk * c;
        // the calling thread's scratch, only read by the parts
        final float[][] repeated = Scratch.rows(Scratch.ROWS_W, 2, len);
        final float[] scales = repeated[0];
        final float[] shifts = repeated[1];
        fold(mean, invStd, gamma, beta, scales, shifts, c);
        for (int r = 1; r < chunk; r++) {
            System.arraycopy(scales, 0, scales, r * c, c);
            System.arraycopy(shifts, 0, shifts, r * c, c);
        }
        final float hi = act == Activation.RELU6 ? 6f : Float.POSITIVE_INFINITY;
        final boolean clamp = act == Activation.RELU || act == Activation.RELU6;
        final int chunks = (rows + chunk - 1) / chunk;
        Parallel.forRange(chunks, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            float[] t = Scratch.rows(Scratch.ROWS_TMP, 1, len)[0];
            for (int q = from; q < to; q++) {
                int o = q * len;
                int n = Math.min(rows * c, o + len) - o;
                System.arraycopy(x, o, t, 0, n);
                if (clamp) {
                    affineClamp(t, scales, shifts, hi, n);
                } else {
                    affine(t, scales, shifts, n);
                    if (act != Activation.NONE) {
                        Activations.forwardRange(act, t, t, 0, n);
                    }
                }
                System.arraycopy(t, 0, y, o, n);
            }
        });
    }

    private static void affineClamp(float[] t, float[] scale, float[] shift, float hi, int c) {
        affine(t, scale, shift, c);
        // separate simple loops over the cached row: each one vectorises
        for (int j = 0; j < c; j++) {
            t[j] = Math.max(t[j], 0f);
        }
        if (hi != Float.POSITIVE_INFINITY) {
            for (int j = 0; j < c; j++) {
                t[j] = Math.min(t[j], hi);
            }
        }
    }

    /** The smallest normal float and its inverse: {@code min(max(v, 0), TINY) * INV} is 1 for v &gt; 0, else 0. */
    private static final float TINY = 0x1p-126f;

    private static final float INV = 0x1p126f;

    /**
     * {@code g = dy} where {@code 0 < y < hi}, else 0 (the ReLU/ReLU6 gradient from the output), branch-free so
     * that C2 vectorises it ({@code hi} infinite for ReLU).
     */
    private static void mask(float[] dy, float[] y, float hi, float[] g, int c) {
        for (int j = 0; j < c; j++) {
            g[j] = dy[j] * (Math.min(Math.max(y[j], 0f), TINY) * INV);
        }
        if (hi != Float.POSITIVE_INFINITY) {
            for (int j = 0; j < c; j++) {
                g[j] = g[j] * (Math.min(Math.max(hi - y[j], 0f), TINY) * INV);
            }
        }
    }

    /**
     * Backward through {@code y = act(batchnorm(x))} for {@code act} in NONE, RELU, RELU6, given the fused output
     * {@code y} and its gradient {@code dy}: adds to {@code dgamma} and {@code dbeta}, sets (or adds to, when
     * {@code accumulate}) {@code dx} unless it is null. Equal to the activation's backward followed by
     * {@link #backward(float[], float[], int, int, float[], float[], float[], float[], boolean, float[], float[])},
     * without materialising the intermediate gradient.
     */
    public static void backward(
            float[] x,
            float[] y,
            Activation act,
            float[] dy,
            int rows,
            int c,
            float[] mean,
            float[] invStd,
            float[] gamma,
            float[] dx,
            boolean accumulate,
            float[] dgamma,
            float[] dbeta) {
        checkFusable(act);
        if (act == Activation.NONE) {
            backward(x, dy, rows, c, mean, invStd, gamma, dx, accumulate, dgamma, dbeta);
            return;
        }
        final float hi = act == Activation.RELU6 ? 6f : Float.POSITIVE_INFINITY;
        int parts = Reduce.parts(rows);
        double[][][] partial = new double[parts][][];
        Parallel.forRange(rows, parts, (part, from, to) -> {
            double[] sums = new double[c];
            double[] dots = new double[c];
            float[][] t = Scratch.rows(Scratch.ROWS_TMP, 5, c);
            float[] runS = t[0];
            float[] runD = t[1];
            float[] g = t[2];
            float[] xs = t[3];
            float[] ys = t[4];
            for (int r0 = from; r0 < to; r0 += Reduce.RUN) {
                int r1 = Math.min(to, r0 + Reduce.RUN);
                java.util.Arrays.fill(runS, 0, c, 0f);
                java.util.Arrays.fill(runD, 0, c, 0f);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(dy, r * c, xs, 0, c);
                    System.arraycopy(y, r * c, ys, 0, c);
                    mask(xs, ys, hi, g, c);
                    System.arraycopy(x, r * c, xs, 0, c);
                    sumAndCenteredDot(g, xs, mean, runS, runD, c);
                }
                for (int j = 0; j < c; j++) {
                    sums[j] += runS[j];
                    dots[j] += runD[j];
                }
            }
            partial[part] = new double[][] {sums, dots};
        });
        double[] sumDy = partial[0][0];
        double[] sumDyXc = partial[0][1];
        for (int p = 1; p < parts; p++) {
            for (int j = 0; j < c; j++) {
                sumDy[j] += partial[p][0][j];
                sumDyXc[j] += partial[p][1][j];
            }
        }
        float[] a = new float[c];
        float[] bcoef = new float[c];
        float[] cc = new float[c];
        coefficients(sumDy, sumDyXc, rows, c, invStd, gamma, dgamma, dbeta, a, bcoef, cc);
        if (dx == null) {
            return;
        }
        Parallel.forRange(rows, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            float[][] t = Scratch.rows(Scratch.ROWS_TMP, 4, c);
            float[] g = t[0];
            float[] xs = t[1];
            float[] out = t[2];
            float[] ys = t[3];
            for (int r = from; r < to; r++) {
                int o = r * c;
                System.arraycopy(dy, o, xs, 0, c);
                System.arraycopy(y, o, ys, 0, c);
                mask(xs, ys, hi, g, c);
                System.arraycopy(x, o, xs, 0, c);
                if (accumulate) {
                    System.arraycopy(dx, o, out, 0, c);
                } else {
                    java.util.Arrays.fill(out, 0, c, 0f);
                }
                inputGradient(g, xs, out, a, bcoef, cc, mean, c);
                System.arraycopy(out, 0, dx, o, c);
            }
        });
    }

    private static void sumAndCenteredDot(float[] g, float[] x, float[] mean, float[] runS, float[] runD, int c) {
        for (int j = 0; j < c; j++) {
            runS[j] += g[j];
            runD[j] += g[j] * (x[j] - mean[j]);
        }
    }

    private static void coefficients(
            double[] sumDy,
            double[] sumDyXc,
            int rows,
            int c,
            float[] invStd,
            float[] gamma,
            float[] dgamma,
            float[] dbeta,
            float[] a,
            float[] bcoef,
            float[] cc) {
        for (int j = 0; j < c; j++) {
            double sumDyXhat = sumDyXc[j] * invStd[j];
            dgamma[j] += (float) sumDyXhat;
            dbeta[j] += (float) sumDy[j];
            // dx = gamma*invStd*(dy - mean(dy) - xhat*mean(dy*xhat)), xhat = (x - mean)*invStd
            double g = gamma[j] * (double) invStd[j];
            a[j] = (float) g;
            bcoef[j] = (float) (g * invStd[j] * invStd[j] * sumDyXc[j] / rows);
            cc[j] = (float) (g * sumDy[j] / rows);
        }
    }

    /** The per-channel affine of a batch norm: {@code scale = gamma × invStd}, {@code shift = beta − mean × scale}. */
    private static void fold(
            float[] mean, float[] invStd, float[] gamma, float[] beta, float[] scale, float[] shift, int c) {
        for (int j = 0; j < c; j++) {
            scale[j] = gamma[j] * invStd[j];
            shift[j] = beta[j] - mean[j] * scale[j];
        }
    }

    /** {@code y = (x - mean) * invStd * gamma + beta}. */
    public static void normalize(
            float[] x, float[] y, int rows, int c, float[] mean, float[] invStd, float[] gamma, float[] beta) {
        normalize(x, y, rows, c, mean, invStd, gamma, beta, Activation.NONE);
    }

    private static void affine(float[] t, float[] scale, float[] shift, int c) {
        for (int j = 0; j < c; j++) {
            t[j] = t[j] * scale[j] + shift[j];
        }
    }

    private static void inputGradient(
            float[] g, float[] x, float[] out, float[] a, float[] b, float[] cc, float[] mean, int c) {
        for (int j = 0; j < c; j++) {
            out[j] += a[j] * g[j] - b[j] * (x[j] - mean[j]) - cc[j];
        }
    }

    /**
     * Backward through batch-statistics normalisation: adds to {@code dgamma} and {@code dbeta}, sets (or adds
     * to, when {@code accumulate}) {@code dx} unless it is null.
     */
    public static void backward(
            float[] x,
            float[] dy,
            int rows,
            int c,
            float[] mean,
            float[] invStd,
            float[] gamma,
            float[] dx,
            boolean accumulate,
            float[] dgamma,
            float[] dbeta) {
        double[][] sums = Reduce.columnSumsAndCenteredDots(x, mean, dy, rows, c);
        double[] sumDy = sums[0];
        double[] sumDyXc = sums[1];
        float[] a = new float[c];
        float[] bcoef = new float[c];
        float[] cc = new float[c];
        coefficients(sumDy, sumDyXc, rows, c, invStd, gamma, dgamma, dbeta, a, bcoef, cc);
        if (dx == null) {
            return;
        }
        Parallel.forRange(rows, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            float[][] t = Scratch.rows(Scratch.ROWS_TMP, 3, c);
            float[] g = t[0];
            float[] xs = t[1];
            float[] out = t[2];
            for (int r = from; r < to; r++) {
                int o = r * c;
                System.arraycopy(dy, o, g, 0, c);
                System.arraycopy(x, o, xs, 0, c);
                if (accumulate) {
                    System.arraycopy(dx, o, out, 0, c);
                } else {
                    java.util.Arrays.fill(out, 0, c, 0f);
                }
                inputGradient(g, xs, out, a, bcoef, cc, mean, c);
                System.arraycopy(out, 0, dx, o, c);
            }
        });
    }
}
