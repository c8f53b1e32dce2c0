package org.mobilenas.core.engine.kernels;

/**
 * Direct depthwise convolution (one k x k filter per channel) over NHWC data with the channel loop innermost.
 * Weights {@code [c, k, k, 1]} are repacked into one zero-offset row of {@code c} values per tap, and input or
 * gradient pixels are staged into zero-offset rows, so every inner loop combines arrays at offset zero, which C2
 * vectorises. Forward and input-gradient passes split output/input rows over threads (gather form, no races); the
 * weight gradient reduces fixed per-part partials in order. With the Vector API present, the forward pass reads
 * and writes vectors of channels in place instead ({@link VectorDepthwise}).
 *
 * <pre>{@code
 * DepthwiseConv.forward(shape, x, w, bias, y);
 * }</pre>
 */
public final class DepthwiseConv {
    private static final int MAX_PARTS = 8;
    /** Whether the forward pass runs on the Vector API ({@link VectorDepthwise}). */
    private static final boolean VECTOR = Gemm.vectorAvailable();

    private DepthwiseConv() {}

    private static float[][] repack(ConvShape s, float[] w) {
        int c = s.out();
        int kk = s.kernel() * s.kernel();
        float[][] t = Scratch.rows(Scratch.ROWS_W, kk, c);
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) {
                t[q][ch] = w[ch * kk + q];
            }
        }
        return t;
    }

    /** {@code y = dwconv(x, w) + bias} ({@code bias} may be null). */
    public static void forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        if (VECTOR) {
            VectorDepthwise.forward(s, x, w, bias, y);
            return;
        }
        final float[][] t = repack(s, w);
        final int c = s.out();
        final int k = s.kernel();
        final int st = s.stride();
        final int pad = s.padding();
        final int h = s.height();
        final int wd = s.width();
        final int ho = s.outHeight();
        final int wo = s.outWidth();
        int rows = s.batch() * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * c * k * k, 1 << 15), (part, from, to) -> {
            float[][] tmp = Scratch.rows(Scratch.ROWS_TMP, 2, c);
            float[] acc = tmp[0];
            float[] in = tmp[1];
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    if (bias == null) {
                        java.util.Arrays.fill(acc, 0, c, 0f);
                    } else {
                        System.arraycopy(bias, 0, acc, 0, c);
                    }
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * st - pad + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * st - pad + kx;
                            if (ix < 0 || ix >= wd) {
                                continue;
                            }
                            System.arraycopy(x, ((b * h + iy) * wd + ix) * c, in, 0, c);
                            madd(acc, in, t[ky * k + kx], c);
                        }
                    }
                    System.arraycopy(acc, 0, y, ((b * ho + oy) * wo + ox) * c, c);
                }
            }
        });
    }

    /** {@code acc[i] += a[i] * b[i]} over zero-offset rows. */
    private static void madd(float[] acc, float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += a[i] * b[i];
        }
    }

    /**
     * Gradients: {@code dx} (set, or added to when {@code accumulate}; skipped when null), {@code dw} and
     * {@code db} (added to; {@code db} may be null).
     */
    public static void backward(
            ConvShape s, float[] x, float[] w, float[] dy, float[] dx, boolean accumulate, float[] dw, float[] db) {
        final int c = s.out();
        final int k = s.kernel();
        final int st = s.stride();
        final int pad = s.padding();
        final int h = s.height();
        final int wd = s.width();
        final int ho = s.outHeight();
        final int wo = s.outWidth();
        final int kk = k * k;
        if (dx != null) {
            final float[][] t = repack(s, w);
            int rows = s.batch() * h;
            Parallel.forRange(rows, Parallel.parts((long) rows * wd * c * kk, 1 << 15), (part, from, to) -> {
                float[][] tmp = Scratch.rows(Scratch.ROWS_TMP, 2, c);
                float[] acc = tmp[0];
                float[] g = tmp[1];
                for (int r = from; r < to; r++) {
                    int b = r / h;
                    int iy = r % h;
                    for (int ix = 0; ix < wd; ix++) {
                        int o = ((b * h + iy) * wd + ix) * c;
                        if (accumulate) {
                            System.arraycopy(dx, o, acc, 0, c);
                        } else {
                            java.util.Arrays.fill(acc, 0, c, 0f);
                        }
                        for (int ky = 0; ky < k; ky++) {
                            int ty = iy + pad - ky;
                            if (ty < 0 || ty % st != 0 || ty / st >= ho) {
                                continue;
                            }
                            int oy = ty / st;
                            for (int kx = 0; kx < k; kx++) {
                                int tx = ix + pad - kx;
                                if (tx < 0 || tx % st != 0 || tx / st >= wo) {
                                    continue;
                                }
                                System.arraycopy(dy, ((b * ho + oy) * wo + tx / st) * c, g, 0, c);
                                madd(acc, g, t[ky * k + kx], c);
                            }
                        }
                        System.arraycopy(acc, 0, dx, o, c);
                    }
                }
            });
        }
        int rows = s.batch() * ho;
        int parts = Math.max(1, Math.min(MAX_PARTS, rows / 8));
        float[][][] partial = new float[parts][][];
        Parallel.forRange(rows, parts, (part, from, to) -> {
            float[][] acc = new float[kk][c];
            float[][] tmp = Scratch.rows(Scratch.ROWS_TMP, 2, c);
            float[] g = tmp[0];
            float[] in = tmp[1];
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    System.arraycopy(dy, ((b * ho + oy) * wo + ox) * c, g, 0, c);
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * st - pad + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * st - pad + kx;
                            if (ix < 0 || ix >= wd) {
                                continue;
                            }
                            System.arraycopy(x, ((b * h + iy) * wd + ix) * c, in, 0, c);
                            madd(acc[ky * k + kx], g, in, c);
                        }
                    }
                }
            }
            partial[part] = acc;
        });
        float[][] sum = partial[0];
        for (int p = 1; p < parts; p++) {
            for (int q = 0; q < kk; q++) {
                float[] d = sum[q];
                float[] e = partial[p][q];
                for (int ch = 0; ch < c; ch++) {
                    d[ch] += e[ch];
                }
            }
        }
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) {
                dw[ch * kk + q] += sum[q][ch];
            }
        }
        if (db != null) {
            double[] bs = Reduce.columnSums(dy, s.batch() * ho * wo, c);
            for (int ch = 0; ch < c; ch++) {
                db[ch] += (float) bs[ch];
            }
        }
    }
}
