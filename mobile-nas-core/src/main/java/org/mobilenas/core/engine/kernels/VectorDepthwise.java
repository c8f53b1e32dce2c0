package org.mobilenas.core.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward depthwise convolution on the JDK's Vector API: vectors of channels are read and written in place at
 * any offset (no staging of a pixel's channels into a zero-offset row per tap, which dominated at the narrow
 * channel counts of early layers). The input is first copied into a zero-padded buffer, so that every output
 * pixel sums all {@code k * k} taps in one flat loop (an accumulator carried through nested loops of varying trip
 * counts was not kept in registers by C2 on JDK 17). Channels past the last whole vector are summed in one
 * masked vector.
 * Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorDepthwise() {}

    /** {@code y = dwconv(x) + bias}, weights repacked as one row of {@code c} values per tap. */
    static void forward(ConvShape s, float[] x, float[][] t, float[] bias, float[] y) {
        final int c = s.out();
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
        final float[] xp;
        if (pad == 0) {
            xp = x;
        } else {
            xp = Scratch.floats(Scratch.IM2COL, batch * hp * wp * c);
            for (int b = 0; b < batch; b++) {
                int o = b * hp * wp * c;
                java.util.Arrays.fill(xp, o, o + pad * wp * c, 0f);
                java.util.Arrays.fill(xp, o + (pad + h) * wp * c, o + hp * wp * c, 0f);
                for (int iy = 0; iy < h; iy++) {
                    int row = o + (pad + iy) * wp * c;
                    java.util.Arrays.fill(xp, row, row + pad * c, 0f);
                    System.arraycopy(x, ((b * h + iy) * wd) * c, xp, row + pad * c, wd * c);
                    java.util.Arrays.fill(xp, row + (pad + wd) * c, row + wp * c, 0f);
                }
            }
        }
        final int kk = k * k;
        final int[] off = new int[kk];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                off[ky * k + kx] = (ky * wp + kx) * c;
            }
        }
        final int whole = S.loopBound(c);
        final VectorMask<Float> tail = S.indexInRange(whole, c);
        int rows = batch * ho;
        Parallel.forRange(rows, Parallel.parts((long) rows * wo * c * kk, 1 << 17), (part, from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / ho;
                int oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int in = ((b * hp + oy * st) * wp + ox * st) * c;
                    int out = ((b * ho + oy) * wo + ox) * c;
                    for (int ch = 0; ch < whole; ch += L) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int q = 0; q < kk; q++) {
                            acc = FloatVector.fromArray(S, xp, in + off[q] + ch)
                                    .fma(FloatVector.fromArray(S, t[q], ch), acc);
                        }
                        if (bias != null) {
                            acc.add(FloatVector.fromArray(S, bias, ch)).intoArray(y, out + ch);
                        } else {
                            acc.intoArray(y, out + ch);
                        }
                    }
                    if (whole < c) {
                        FloatVector acc = FloatVector.zero(S);
                        for (int q = 0; q < kk; q++) {
                            acc = FloatVector.fromArray(S, xp, in + off[q] + whole, tail)
                                    .fma(FloatVector.fromArray(S, t[q], whole, tail), acc);
                        }
                        if (bias != null) {
                            acc = acc.add(FloatVector.fromArray(S, bias, whole, tail));
                        }
                        acc.intoArray(y, out + whole, tail);
                    }
                }
            }
        });
    }
}
