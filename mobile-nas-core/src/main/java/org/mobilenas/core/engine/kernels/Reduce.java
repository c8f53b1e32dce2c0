package org.mobilenas.core.engine.kernels;

/**
 * Deterministic per-column reductions over row-major {@code rows x cols} data (NHWC tensors seen as
 * {@code [n*h*w, c]}). Rows are split into a number of parts that depends only on {@code rows}; each part sums in
 * float over short runs of rows and folds them into doubles; parts are added in order.
 *
 * <pre>{@code
 * double[] s = Reduce.columnSums(dy, rows, channels);
 * }</pre>
 */
public final class Reduce {
    static final int RUN = 32;
    private static final int MAX_PARTS = 8;
    private static final int MIN_ROWS_PER_PART = 256;

    private Reduce() {}

    static int parts(int rows) {
        return Math.max(1, Math.min(MAX_PARTS, rows / MIN_ROWS_PER_PART));
    }

    /** Per-column sums of {@code a}. */
    public static double[] columnSums(float[] a, int rows, int cols) {
        return run(a, null, null, rows, cols, 0);
    }

    /** Per-column sums of {@code a * b}. */
    public static double[] columnDots(float[] a, float[] b, int rows, int cols) {
        return run(a, b, null, rows, cols, 1);
    }

    /** Per-column sums of {@code (a - center)^2}. */
    public static double[] columnCenteredSquares(float[] a, float[] center, int rows, int cols) {
        return run(a, null, center, rows, cols, 2);
    }

    /** Per-column sums of {@code b * (a - center)}. */
    public static double[] columnCenteredDots(float[] a, float[] center, float[] b, int rows, int cols) {
        return run(a, b, center, rows, cols, 3);
    }

    /** Per-column sums of {@code b} and of {@code b * (a - center)} in one pass: {@code {sums, dots}}. */
    public static double[][] columnSumsAndCenteredDots(float[] a, float[] center, float[] b, int rows, int cols) {
        int parts = parts(rows);
        double[][][] partial = new double[parts][][];
        Parallel.forRange(rows, parts, (part, from, to) -> {
            double[] sums = new double[cols];
            double[] dots = new double[cols];
            float[] runS = new float[cols];
            float[] runD = new float[cols];
            float[] ga = new float[cols];
            float[] xa = new float[cols];
            for (int r0 = from; r0 < to; r0 += RUN) {
                int r1 = Math.min(to, r0 + RUN);
                java.util.Arrays.fill(runS, 0f);
                java.util.Arrays.fill(runD, 0f);
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(b, r * cols, ga, 0, cols);
                    System.arraycopy(a, r * cols, xa, 0, cols);
                    for (int j = 0; j < cols; j++) {
                        runS[j] += ga[j];
                    }
                    for (int j = 0; j < cols; j++) {
                        runD[j] += ga[j] * (xa[j] - center[j]);
                    }
                }
                for (int j = 0; j < cols; j++) {
                    sums[j] += runS[j];
                    dots[j] += runD[j];
                }
            }
            partial[part] = new double[][] {sums, dots};
        });
        double[][] out = partial[0];
        for (int p = 1; p < parts; p++) {
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < cols; j++) {
                    out[k][j] += partial[p][k][j];
                }
            }
        }
        return out;
    }

    private static double[] run(float[] a, float[] b, float[] center, int rows, int cols, int kind) {
        int parts = parts(rows);
        double[][] partial = new double[parts][];
        Parallel.forRange(rows, parts, (part, from, to) -> partial[part] = part(a, b, center, from, to, cols, kind));
        double[] out = partial[0];
        for (int p = 1; p < parts; p++) {
            double[] q = partial[p];
            for (int j = 0; j < cols; j++) {
                out[j] += q[j];
            }
        }
        return out;
    }

    private static double[] part(float[] a, float[] b, float[] center, int from, int to, int cols, int kind) {
        double[] total = new double[cols];
        float[] run = new float[cols];
        float[] ra = new float[cols];
        float[] rb = b == null ? null : new float[cols];
        for (int r0 = from; r0 < to; r0 += RUN) {
            int r1 = Math.min(to, r0 + RUN);
            java.util.Arrays.fill(run, 0f);
            for (int r = r0; r < r1; r++) {
                // rows are staged at offset zero: C2 only vectorises loops whose arrays share one offset
                System.arraycopy(a, r * cols, ra, 0, cols);
                if (rb != null) {
                    System.arraycopy(b, r * cols, rb, 0, cols);
                }
                switch (kind) {
                    case 0 -> sums(ra, cols, run);
                    case 1 -> dots(ra, rb, cols, run);
                    case 2 -> squares(ra, center, cols, run);
                    default -> centeredDots(ra, center, rb, cols, run);
                }
            }
            for (int j = 0; j < cols; j++) {
                total[j] += run[j];
            }
        }
        return total;
    }

    private static void sums(float[] a, int cols, float[] run) {
        for (int j = 0; j < cols; j++) {
            run[j] += a[j];
        }
    }

    private static void dots(float[] a, float[] b, int cols, float[] run) {
        for (int j = 0; j < cols; j++) {
            run[j] += a[j] * b[j];
        }
    }

    private static void squares(float[] a, float[] center, int cols, float[] run) {
        for (int j = 0; j < cols; j++) {
            float d = a[j] - center[j];
            run[j] += d * d;
        }
    }

    private static void centeredDots(float[] a, float[] center, float[] b, int cols, float[] run) {
        for (int j = 0; j < cols; j++) {
            run[j] += b[j] * (a[j] - center[j]);
        }
    }
}
