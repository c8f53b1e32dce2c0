package org.mobilenas.core.engine.kernels;

/**
 * Data-movement and element-wise kernels over NHWC data: residual add, squeeze-excitation scale, channel concat,
 * slice and shuffle (PyTorch's {@code channel_shuffle}). Backward variants either set or add to their output,
 * as {@code accumulate} says.
 *
 * <pre>{@code
 * TensorOps.shuffle(pixels, c, groups, x, y, false);
 * }</pre>
 */
public final class TensorOps {
    private static final long MIN_PART = 1 << 16;

    private TensorOps() {}

    /** {@code y = a + b}. */
    public static void add(float[] a, float[] b, float[] y, int size) {
        Parallel.forRange(size, Parallel.parts(size, MIN_PART), (part, from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = a[i] + b[i];
            }
        });
    }

    /** {@code dst (+)= src}. */
    public static void copy(float[] src, float[] dst, int size, boolean accumulate) {
        if (!accumulate) {
            System.arraycopy(src, 0, dst, 0, size);
            return;
        }
        Parallel.forRange(size, Parallel.parts(size, MIN_PART), (part, from, to) -> {
            for (int i = from; i < to; i++) {
                dst[i] += src[i];
            }
        });
    }

    /** {@code y[b, p, c] = x[b, p, c] * gate[b, c]} over {@code hw} pixels per item. */
    public static void scale(int n, int hw, int c, float[] x, float[] gate, float[] y) {
        Parallel.forRange(n, Parallel.parts((long) n * hw * c, MIN_PART), (part, from, to) -> {
            for (int b = from; b < to; b++) {
                int g = b * c;
                for (int q = 0; q < hw; q++) {
                    int o = (b * hw + q) * c;
                    for (int ch = 0; ch < c; ch++) {
                        y[o + ch] = x[o + ch] * gate[g + ch];
                    }
                }
            }
        });
    }

    /** Gradients of {@link #scale}: {@code dx (+)= dy * gate}, {@code dgate (+)= sum over pixels of dy * x}. */
    public static void scaleBackward(
            int n,
            int hw,
            int c,
            float[] x,
            float[] gate,
            float[] dy,
            float[] dx,
            boolean accX,
            float[] dgate,
            boolean accGate) {
        Parallel.forRange(n, Parallel.parts((long) n * hw * c, MIN_PART), (part, from, to) -> {
            float[] acc = new float[c];
            for (int b = from; b < to; b++) {
                int g = b * c;
                java.util.Arrays.fill(acc, 0f);
                for (int q = 0; q < hw; q++) {
                    int o = (b * hw + q) * c;
                    if (dx != null) {
                        if (accX) {
                            for (int ch = 0; ch < c; ch++) {
                                dx[o + ch] += dy[o + ch] * gate[g + ch];
                            }
                        } else {
                            for (int ch = 0; ch < c; ch++) {
                                dx[o + ch] = dy[o + ch] * gate[g + ch];
                            }
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        acc[ch] += dy[o + ch] * x[o + ch];
                    }
                }
                if (dgate != null) {
                    for (int ch = 0; ch < c; ch++) {
                        dgate[g + ch] = accGate ? dgate[g + ch] + acc[ch] : acc[ch];
                    }
                }
            }
        });
    }

    /**
     * Copies channels {@code [0, cs)} of every pixel of {@code src} (with {@code srcC} channels starting at
     * {@code srcFrom}) into {@code dst} (with {@code dstC} channels starting at {@code dstFrom}); adds when
     * {@code accumulate}. Concat and slice, forward and backward, are all this move.
     */
    public static void moveChannels(
            int pixels,
            float[] src,
            int srcC,
            int srcFrom,
            float[] dst,
            int dstC,
            int dstFrom,
            int cs,
            boolean accumulate) {
        Parallel.forRange(pixels, Parallel.parts((long) pixels * cs, MIN_PART), (part, from, to) -> {
            for (int q = from; q < to; q++) {
                int s = q * srcC + srcFrom;
                int d = q * dstC + dstFrom;
                if (accumulate) {
                    for (int ch = 0; ch < cs; ch++) {
                        dst[d + ch] += src[s + ch];
                    }
                } else {
                    System.arraycopy(src, s, dst, d, cs);
                }
            }
        });
    }

    /** Sets channels {@code [from, from + cs)} of every pixel of {@code dst} (with {@code c} channels) to zero. */
    public static void zeroChannels(int pixels, float[] dst, int c, int from, int cs) {
        Parallel.forRange(pixels, Parallel.parts((long) pixels * cs, MIN_PART), (part, a, b) -> {
            for (int q = a; q < b; q++) {
                java.util.Arrays.fill(dst, q * c + from, q * c + from + cs, 0f);
            }
        });
    }

    /**
     * Channel shuffle: output channel {@code j * groups + g} is input channel {@code g * (c / groups) + j}.
     * With {@code inverse} the permutation is undone (the backward pass).
     */
    public static void shuffle(
            int pixels, int c, int groups, float[] x, float[] y, boolean inverse, boolean accumulate) {
        int per = c / groups;
        int[] map = new int[c];
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < per; j++) {
                map[j * groups + g] = g * per + j;
            }
        }
        Parallel.forRange(pixels, Parallel.parts((long) pixels * c, MIN_PART), (part, from, to) -> {
            for (int q = from; q < to; q++) {
                int o = q * c;
                for (int ch = 0; ch < c; ch++) {
                    if (inverse) {
                        if (accumulate) {
                            y[o + map[ch]] += x[o + ch];
                        } else {
                            y[o + map[ch]] = x[o + ch];
                        }
                    } else {
                        y[o + ch] = x[o + map[ch]];
                    }
                }
            }
        });
    }
}
