package org.mobilenas.core.engine.kernels;

import java.util.Arrays;

/**
 * Direct depthwise convolution (one k x k filter per channel) over NHWC data with the channel loop innermost.
 * Weights {@code [c, k, k, 1]} are repacked to {@code [k, k, c]} so every inner loop runs over contiguous
 * channels. Forward and input-gradient passes split output/input rows over threads (gather form, no races); the
 * weight gradient reduces fixed per-part partials in order.
 *
 * <pre>{@code
 * DepthwiseConv.forward(shape, x, w, bias, y);
 * }</pre>
 */
public final class DepthwiseConv {
    private static final int MAX_PARTS = 8;

    private DepthwiseConv() {
    }

    private static float[] repack(ConvShape s, float[] w) {
        int c = s.out();
        int kk = s.kernel() * s.kernel();
        float[] t = Scratch.floats(Scratch.WEIGHTS, kk * c);
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) {
                t[q * c + ch] = w[ch * kk + q];
            }
        }
        return t;
    }

    /** {@code y = dwconv(x, w) + bias} ({@code bias} may be null). */
    public static void forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        final float[] t = repack(s, w);
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
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int o = ((b * ho + oy) * wo + ox) * c;
                    if (bias == null) {
                        Arrays.fill(y, o, o + c, 0f);
                    } else {
                        System.arraycopy(bias, 0, y, o, c);
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
                            int xi = ((b * h + iy) * wd + ix) * c;
                            int wi = (ky * k + kx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                y[o + ch] += x[xi + ch] * t[wi + ch];
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Gradients: {@code dx} (set, or added to when {@code accumulate}; skipped when null), {@code dw} and
     * {@code db} (added to; {@code db} may be null).
     */
    public static void backward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, boolean accumulate,
                                float[] dw, float[] db) {
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
            final float[] t = repack(s, w);
            int rows = s.batch() * h;
            Parallel.forRange(rows, Parallel.parts((long) rows * wd * c * kk, 1 << 15), (part, from, to) -> {
                for (int r = from; r < to; r++) {
                    int b = r / h;
                    int iy = r % h;
                    for (int ix = 0; ix < wd; ix++) {
                        int o = ((b * h + iy) * wd + ix) * c;
                        if (!accumulate) {
                            Arrays.fill(dx, o, o + c, 0f);
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
                                int ox = tx / st;
                                int gi = ((b * ho + oy) * wo + ox) * c;
                                int wi = (ky * k + kx) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    dx[o + ch] += dy[gi + ch] * t[wi + ch];
                                }
                            }
                        }
                    }
                }
            });
        }
        int rows = s.batch() * ho;
        int parts = Math.max(1, Math.min(MAX_PARTS, rows / 8));
        float[][] partial = new float[parts][];
        Parallel.forRange(rows, parts, (part, from, to) -> {
            float[] acc = new float[kk * c];
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int gi = ((b * ho + oy) * wo + ox) * c;
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
                            int xi = ((b * h + iy) * wd + ix) * c;
                            int ai = (ky * k + kx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc[ai + ch] += dy[gi + ch] * x[xi + ch];
                            }
                        }
                    }
                }
            }
            partial[part] = acc;
        });
        float[] sum = partial[0];
        for (int p = 1; p < parts; p++) {
            float[] q = partial[p];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += q[i];
            }
        }
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) {
                dw[ch * kk + q] += sum[q * c + ch];
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
