package org.mobilenas.core.engine.kernels;

/**
 * Batch normalisation over the channels of NHWC data seen as {@code [rows, c]}. Statistics use deterministic
 * two-pass reductions ({@link Reduce}); normalisation and the input gradient are split over threads by rows.
 *
 * <pre>{@code
 * BatchNormKernel.batchStatistics(x, rows, c, mean, biasedVar);
 * BatchNormKernel.normalize(x, y, rows, c, mean, invStd, gamma, beta);
 * }</pre>
 */
public final class BatchNormKernel {
    private BatchNormKernel() {
    }

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

    /** {@code y = (x - mean) * invStd * gamma + beta}. */
    public static void normalize(float[] x, float[] y, int rows, int c, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta) {
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int j = 0; j < c; j++) {
            scale[j] = gamma[j] * invStd[j];
            shift[j] = beta[j] - mean[j] * scale[j];
        }
        Parallel.forRange(rows, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * c;
                for (int j = 0; j < c; j++) {
                    y[o + j] = x[o + j] * scale[j] + shift[j];
                }
            }
        });
    }

    /**
     * Backward through batch-statistics normalisation: adds to {@code dgamma} and {@code dbeta}, sets (or adds
     * to, when {@code accumulate}) {@code dx} unless it is null.
     */
    public static void backward(float[] x, float[] dy, int rows, int c, float[] mean, float[] invStd, float[] gamma,
                                float[] dx, boolean accumulate, float[] dgamma, float[] dbeta) {
        double[][] sums = Reduce.columnSumsAndCenteredDots(x, mean, dy, rows, c);
        double[] sumDy = sums[0];
        double[] sumDyXc = sums[1];
        float[] a = new float[c];
        float[] bcoef = new float[c];
        float[] cc = new float[c];
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
        if (dx == null) {
            return;
        }
        Parallel.forRange(rows, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * c;
                if (accumulate) {
                    for (int j = 0; j < c; j++) {
                        dx[o + j] += a[j] * dy[o + j] - bcoef[j] * (x[o + j] - mean[j]) - cc[j];
                    }
                } else {
                    for (int j = 0; j < c; j++) {
                        dx[o + j] = a[j] * dy[o + j] - bcoef[j] * (x[o + j] - mean[j]) - cc[j];
                    }
                }
            }
        });
    }
}
