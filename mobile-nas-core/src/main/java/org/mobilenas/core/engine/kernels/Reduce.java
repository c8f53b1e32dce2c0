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
    private static final int RUN = 32;
    private static final int MAX_PARTS = 8;
    private static final int MIN_ROWS_PER_PART = 256;

    private Reduce() {
    }

    private static int parts(int rows) {
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
        for (int r0 = from; r0 < to; r0 += RUN) {
            int r1 = Math.min(to, r0 + RUN);
            java.util.Arrays.fill(run, 0f);
            for (int r = r0; r < r1; r++) {
                int o = r * cols;
                switch (kind) {
                    case 0 -> {
                        for (int j = 0; j < cols; j++) {
                            run[j] += a[o + j];
                        }
                    }
                    case 1 -> {
                        for (int j = 0; j < cols; j++) {
                            run[j] += a[o + j] * b[o + j];
                        }
                    }
                    case 2 -> {
                        for (int j = 0; j < cols; j++) {
                            float d = a[o + j] - center[j];
                            run[j] += d * d;
                        }
                    }
                    default -> {
                        for (int j = 0; j < cols; j++) {
                            run[j] += b[o + j] * (a[o + j] - center[j]);
                        }
                    }
                }
            }
            for (int j = 0; j < cols; j++) {
                total[j] += run[j];
            }
        }
        return total;
    }
}
