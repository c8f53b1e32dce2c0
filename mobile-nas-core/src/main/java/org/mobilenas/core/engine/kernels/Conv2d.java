package org.mobilenas.core.engine.kernels;

import java.util.Arrays;

/**
 * Convolution over NHWC data with weights {@code [out, k, k, in/groups]}. Depthwise convolutions go to
 * {@link DepthwiseConv}; pointwise (1x1, stride 1) ones are one GEMM per group over {@code [n*h*w, in]}; every
 * other case lowers a chunk of batch items to columns (im2col) and multiplies per group.
 *
 * <pre>{@code
 * Conv2d.forward(Gemm.defaultGemm(), shape, x, w, null, y);
 * }</pre>
 */
public final class Conv2d {
    /** Upper bound on the floats of one im2col chunk. */
    private static final int COLUMN_BUDGET = 1 << 22;

    private Conv2d() {}

    /** {@code y = conv(x, w) + bias} ({@code bias} may be null). */
    public static void forward(Gemm gemm, ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        if (s.depthwise()) {
            DepthwiseConv.forward(s, x, w, bias, y);
            return;
        }
        int cin = s.in();
        int cout = s.out();
        int ig = s.inPerGroup();
        int og = s.outPerGroup();
        if (s.pointwise()) {
            int m = s.batch() * s.height() * s.width();
            for (int g = 0; g < s.groups(); g++) {
                gemm.gemm(false, true, m, og, ig, 1f, x, g * ig, cin, w, g * og * ig, ig, 0f, y, g * og, cout);
            }
        } else {
            int kdim = s.kernel() * s.kernel() * ig;
            int pix = s.outHeight() * s.outWidth();
            int chunk = chunk(s, kdim);
            for (int b0 = 0; b0 < s.batch(); b0 += chunk) {
                int nb = Math.min(chunk, s.batch() - b0);
                int m = nb * pix;
                float[] cols = Scratch.floats(Scratch.IM2COL, m * kdim);
                for (int g = 0; g < s.groups(); g++) {
                    im2col(s, x, b0, nb, g, cols);
                    gemm.gemm(
                            false,
                            true,
                            m,
                            og,
                            kdim,
                            1f,
                            cols,
                            0,
                            kdim,
                            w,
                            g * og * kdim,
                            kdim,
                            0f,
                            y,
                            b0 * pix * cout + g * og,
                            cout);
                }
            }
        }
        if (bias != null) {
            addBias(y, s.batch() * s.outHeight() * s.outWidth(), cout, bias);
        }
    }

    /**
     * Gradients: {@code dx} (set, or added to when {@code accumulate}; skipped when null), {@code dw} and
     * {@code db} (added to; {@code db} may be null).
     */
    public static void backward(
            Gemm gemm,
            ConvShape s,
            float[] x,
            float[] w,
            float[] dy,
            float[] dx,
            boolean accumulate,
            float[] dw,
            float[] db) {
        if (s.depthwise()) {
            DepthwiseConv.backward(s, x, w, dy, dx, accumulate, dw, db);
            return;
        }
        int cin = s.in();
        int cout = s.out();
        int ig = s.inPerGroup();
        int og = s.outPerGroup();
        int pix = s.outHeight() * s.outWidth();
        if (s.pointwise()) {
            int m = s.batch() * pix;
            for (int g = 0; g < s.groups(); g++) {
                gemm.gemm(true, false, og, ig, m, 1f, dy, g * og, cout, x, g * ig, cin, 1f, dw, g * og * ig, ig);
                if (dx != null) {
                    gemm.gemm(
                            false,
                            false,
                            m,
                            ig,
                            og,
                            1f,
                            dy,
                            g * og,
                            cout,
                            w,
                            g * og * ig,
                            ig,
                            accumulate ? 1f : 0f,
                            dx,
                            g * ig,
                            cin);
                }
            }
        } else {
            if (dx != null && !accumulate) {
                Arrays.fill(dx, 0, s.inputSize(), 0f);
            }
            int kdim = s.kernel() * s.kernel() * ig;
            int chunk = chunk(s, kdim);
            for (int b0 = 0; b0 < s.batch(); b0 += chunk) {
                int nb = Math.min(chunk, s.batch() - b0);
                int m = nb * pix;
                float[] cols = Scratch.floats(Scratch.IM2COL, m * kdim);
                float[] dcols = dx == null ? null : Scratch.floats(Scratch.COL_GRAD, m * kdim);
                for (int g = 0; g < s.groups(); g++) {
                    im2col(s, x, b0, nb, g, cols);
                    int dyOff = b0 * pix * cout + g * og;
                    gemm.gemm(
                            true, false, og, kdim, m, 1f, dy, dyOff, cout, cols, 0, kdim, 1f, dw, g * og * kdim, kdim);
                    if (dx != null) {
                        gemm.gemm(
                                false,
                                false,
                                m,
                                kdim,
                                og,
                                1f,
                                dy,
                                dyOff,
                                cout,
                                w,
                                g * og * kdim,
                                kdim,
                                0f,
                                dcols,
                                0,
                                kdim);
                        col2im(s, dcols, b0, nb, g, dx);
                    }
                }
            }
        }
        if (db != null) {
            double[] sums = Reduce.columnSums(dy, s.batch() * pix, cout);
            for (int c = 0; c < cout; c++) {
                db[c] += (float) sums[c];
            }
        }
    }

    private static int chunk(ConvShape s, int kdim) {
        long perItem = (long) s.outHeight() * s.outWidth() * kdim;
        return (int) Math.max(1, Math.min(s.batch(), COLUMN_BUDGET / Math.max(1, perItem)));
    }

    static void addBias(float[] y, int rows, int c, float[] bias) {
        Parallel.forRange(rows, Parallel.parts((long) rows * c, 1 << 16), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * c;
                for (int j = 0; j < c; j++) {
                    y[o + j] += bias[j];
                }
            }
        });
    }

    /** Columns of items {@code [b0, b0+nb)} for group {@code g}: row (item, oy, ox), column (ky, kx, ci). */
    static void im2col(ConvShape s, float[] x, int b0, int nb, int g, float[] cols) {
        final int k = s.kernel();
        final int st = s.stride();
        final int pad = s.padding();
        final int h = s.height();
        final int wd = s.width();
        final int cin = s.in();
        final int ig = s.inPerGroup();
        final int ho = s.outHeight();
        final int wo = s.outWidth();
        final int kdim = k * k * ig;
        int rows = nb * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * kdim, 1 << 16), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int b = b0 + r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int row = (r * wo + ox) * kdim;
                    int ix0 = ox * st - pad;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * st - pad + ky;
                        if (ig == cin && iy >= 0 && iy < h && ix0 >= 0 && ix0 + k <= wd) {
                            // one group and the whole row of taps inside the input: its k * cin values are
                            // contiguous in x (one copy instead of k; short ones, as in a 3-channel stem, by hand)
                            copy(x, ((b * h + iy) * wd + ix0) * cin, cols, row + ky * k * ig, k * cin);
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * st - pad + kx;
                            int dst = row + (ky * k + kx) * ig;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                Arrays.fill(cols, dst, dst + ig, 0f);
                            } else {
                                System.arraycopy(x, ((b * h + iy) * wd + ix) * cin + g * ig, cols, dst, ig);
                            }
                        }
                    }
                }
            }
        });
    }

    private static void copy(float[] src, int from, float[] dst, int to, int len) {
        if (len >= 32) {
            System.arraycopy(src, from, dst, to, len);
        } else {
            for (int i = 0; i < len; i++) {
                dst[to + i] = src[from + i];
            }
        }
    }

    /** Adds column gradients back into {@code dx}; items are independent, so they are split over threads. */
    static void col2im(ConvShape s, float[] dcols, int b0, int nb, int g, float[] dx) {
        final int k = s.kernel();
        final int st = s.stride();
        final int pad = s.padding();
        final int h = s.height();
        final int wd = s.width();
        final int cin = s.in();
        final int ig = s.inPerGroup();
        final int ho = s.outHeight();
        final int wo = s.outWidth();
        final int kdim = k * k * ig;
        Parallel.forRange(nb, Parallel.parts((long) nb * ho * wo * kdim, 1 << 16), (part, from, to) -> {
            for (int bi = from; bi < to; bi++) {
                int b = b0 + bi;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        int row = ((bi * ho + oy) * wo + ox) * kdim;
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
                                int src = row + (ky * k + kx) * ig;
                                int dst = ((b * h + iy) * wd + ix) * cin + g * ig;
                                for (int c = 0; c < ig; c++) {
                                    dx[dst + c] += dcols[src + c];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
