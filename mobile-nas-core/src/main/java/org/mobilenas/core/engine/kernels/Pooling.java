package org.mobilenas.core.engine.kernels;

import java.util.Arrays;

/**
 * Windowed and global pooling over NHWC data. Max pooling treats padding as -infinity and remembers the
 * winning input index for the backward pass; average pooling divides by {@code k * k}, counting padded zeros
 * (PyTorch's {@code count_include_pad=True}).
 *
 * <pre>{@code
 * Pooling.maxForward(n, h, w, c, 3, 2, 1, x, y, argmax);
 * }</pre>
 */
public final class Pooling {
    private Pooling() {}

    private static int out(int size, int k, int s, int p) {
        return (size + 2 * p - k) / s + 1;
    }

    /** Max pooling; {@code argmax} receives, per output element, the flat index of the chosen input. */
    public static void maxForward(int n, int h, int w, int c, int k, int s, int p, float[] x, float[] y, int[] argmax) {
        int ho = out(h, k, s, p);
        int wo = out(w, k, s, p);
        int rows = n * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * c * k * k, 1 << 15), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int o = ((b * ho + oy) * wo + ox) * c;
                    Arrays.fill(y, o, o + c, Float.NEGATIVE_INFINITY);
                    Arrays.fill(argmax, o, o + c, -1);
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * s - p + kx;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int xi = ((b * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                float v = x[xi + ch];
                                if (v > y[o + ch] || argmax[o + ch] < 0) {
                                    y[o + ch] = v;
                                    argmax[o + ch] = xi + ch;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** Routes {@code dy} to the remembered maxima; {@code dx} is cleared first unless {@code accumulate}. */
    public static void maxBackward(
            int inSize, int outSize, int n, float[] dy, int[] argmax, float[] dx, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(dx, 0, inSize, 0f);
        }
        int perItem = outSize / n;
        Parallel.forRange(n, Parallel.parts(outSize, 1 << 15), (part, from, to) -> {
            for (int i = from * perItem; i < to * perItem; i++) {
                dx[argmax[i]] += dy[i];
            }
        });
    }

    /** Average pooling counting padded zeros. */
    public static void avgForward(int n, int h, int w, int c, int k, int s, int p, float[] x, float[] y) {
        int ho = out(h, k, s, p);
        int wo = out(w, k, s, p);
        float inv = 1f / (k * k);
        int rows = n * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * c * k * k, 1 << 15), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int o = ((b * ho + oy) * wo + ox) * c;
                    Arrays.fill(y, o, o + c, 0f);
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * s - p + kx;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int xi = ((b * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                y[o + ch] += x[xi + ch];
                            }
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        y[o + ch] *= inv;
                    }
                }
            }
        });
    }

    /** Gradient of {@link #avgForward}; {@code dx} is cleared first unless {@code accumulate}. */
    public static void avgBackward(
            int n, int h, int w, int c, int k, int s, int p, float[] dy, float[] dx, boolean accumulate) {
        int ho = out(h, k, s, p);
        int wo = out(w, k, s, p);
        float inv = 1f / (k * k);
        if (!accumulate) {
            Arrays.fill(dx, 0, n * h * w * c, 0f);
        }
        Parallel.forRange(n, Parallel.parts((long) n * ho * wo * c * k * k, 1 << 15), (part, from, to) -> {
            for (int b = from; b < to; b++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        int o = ((b * ho + oy) * wo + ox) * c;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * s - p + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox * s - p + kx;
                                if (ix < 0 || ix >= w) {
                                    continue;
                                }
                                int xi = ((b * h + iy) * w + ix) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    dx[xi + ch] += dy[o + ch] * inv;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** Global average pooling: {@code y[b, c] = mean over (h, w)}. */
    public static void globalAvgForward(int n, int hw, int c, float[] x, float[] y) {
        float inv = 1f / hw;
        Parallel.forRange(n, Parallel.parts((long) n * hw * c, 1 << 15), (part, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * c;
                Arrays.fill(y, o, o + c, 0f);
                for (int q = 0; q < hw; q++) {
                    int xi = (b * hw + q) * c;
                    for (int ch = 0; ch < c; ch++) {
                        y[o + ch] += x[xi + ch];
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    y[o + ch] *= inv;
                }
            }
        });
    }

    /** Gradient of global average pooling. */
    public static void globalAvgBackward(int n, int hw, int c, float[] dy, float[] dx, boolean accumulate) {
        float inv = 1f / hw;
        Parallel.forRange(n, Parallel.parts((long) n * hw * c, 1 << 15), (part, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * c;
                for (int q = 0; q < hw; q++) {
                    int xi = (b * hw + q) * c;
                    if (accumulate) {
                        for (int ch = 0; ch < c; ch++) {
                            dx[xi + ch] += dy[o + ch] * inv;
                        }
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            dx[xi + ch] = dy[o + ch] * inv;
                        }
                    }
                }
            }
        });
    }

    /** Global max pooling; {@code argmax[b * c + ch]} receives the flat index of the maximum. */
    public static void globalMaxForward(int n, int hw, int c, float[] x, float[] y, int[] argmax) {
        Parallel.forRange(n, Parallel.parts((long) n * hw * c, 1 << 15), (part, from, to) -> {
            for (int b = from; b < to; b++) {
                int o = b * c;
                for (int ch = 0; ch < c; ch++) {
                    y[o + ch] = x[b * hw * c + ch];
                    argmax[o + ch] = b * hw * c + ch;
                }
                for (int q = 1; q < hw; q++) {
                    int xi = (b * hw + q) * c;
                    for (int ch = 0; ch < c; ch++) {
                        if (x[xi + ch] > y[o + ch]) {
                            y[o + ch] = x[xi + ch];
                            argmax[o + ch] = xi + ch;
                        }
                    }
                }
            }
        });
    }
}
