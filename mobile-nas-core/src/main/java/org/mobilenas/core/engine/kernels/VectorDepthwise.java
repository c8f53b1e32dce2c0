package org.mobilenas.core.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward depthwise convolution on the JDK's Vector API: vectors of channels are read and written in place at
 * any offset (no staging of a pixel's channels into a zero-offset row per tap, which dominated at the narrow
 * channel counts of early layers). The input is first copied into a buffer padded with zeros around the image and
 * up to a whole number of vectors per pixel, so that every output pixel sums all {@code k * k} taps in one flat loop
 * of whole vectors (an accumulator carried through nested loops of varying trip counts was not kept in registers
 * by C2 on JDK 17, and masked loads for a last partial vector made 8 or 24 channels slower than 16 or 32). Only
 * loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorDepthwise() {}

    /** {@code y = dwconv(x) + bias}, weights {@code [c, k, k, 1]}. */
    static void forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        final int c = s.out();
        final int cp = (c + L - 1) / L * L;
        final int k = s.kernel();
        final int st = s.stride();
        final int pad = s.padding();
        final int h = s.height();
        final int wd = s.width();
        final int hp = h + 2 * pad;
        final int wp = wd + 2 * pad;
        final int ho = s.outHeight();
        final int wo = s.outWidth();
        final int batch = s.batch();
        final int kk = k * k;
        // weights as one row of cp values per tap, zero past c; the bias likewise
        final float[] wt = new float[kk * cp];
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) {
                wt[q * cp + ch] = w[ch * kk + q];
            }
        }
        final float[] b = new float[cp];
        if (bias != null) {
            System.arraycopy(bias, 0, b, 0, c);
        }
        final float[] xp;
        if (pad == 0 && cp == c) {
            xp = x;
        } else {
            xp = Scratch.floats(Scratch.IM2COL, batch * hp * wp * cp);
            java.util.Arrays.fill(xp, 0, batch * hp * wp * cp, 0f);
            for (int item = 0; item < batch; item++) {
                for (int iy = 0; iy < h; iy++) {
                    int from = ((item * h + iy) * wd) * c;
                    int to = ((item * hp + iy + pad) * wp + pad) * cp;
                    if (cp == c) {
                        System.arraycopy(x, from, xp, to, wd * c);
                    } else {
                        for (int ix = 0; ix < wd; ix++) {
                            System.arraycopy(x, from + ix * c, xp, to + ix * cp, c);
                        }
                    }
                }
            }
        }
        final int[] off = new int[kk];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                off[ky * k + kx] = (ky * wp + kx) * cp;
            }
        }
        int rows = batch * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * cp * kk, 1 << 17), (part, from, to) -> {
            // with padded channels a row is computed in a buffer of cp values per pixel, then c of them copied out
            float[] rowOut = cp == c ? y : Scratch.rows(Scratch.ROWS_TMP, 1, wo * cp)[0];
            for (int r = from; r < to; r++) {
                int item = r / ho;
                int oy = r % ho;
                int rowBase = cp == c ? r * wo * c : 0;
                for (int ox = 0; ox < wo; ox++) {
                    int in = ((item * hp + oy * st) * wp + ox * st) * cp;
                    int out = rowBase + ox * cp;
                    for (int ch = 0; ch < cp; ch += L) {
                        FloatVector acc = FloatVector.fromArray(S, b, ch);
                        for (int q = 0; q < kk; q++) {
                            acc = FloatVector.fromArray(S, xp, in + off[q] + ch)
                                    .fma(FloatVector.fromArray(S, wt, q * cp + ch), acc);
                        }
                        acc.intoArray(rowOut, out + ch);
                    }
                }
                if (cp != c) {
                    for (int ox = 0; ox < wo; ox++) {
                        System.arraycopy(rowOut, ox * cp, y, (r * wo + ox) * c, c);
                    }
                }
            }
        });
    }
}
