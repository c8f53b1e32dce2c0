package org.mobilenas.core.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the JDK's Vector API ({@code jdk.incubator.vector}), register-blocked for the skinny products of mobile
 * networks (pointwise convolutions: {@code M} huge, {@code N}, {@code K} = 8..1280). C is computed in tiles of 4
 * rows by 2 vectors of columns held in eight vector registers; {@code op(A)} is read as broadcast scalars (no
 * transpose is ever materialised), {@code op(B)} is read in place when it is a plain row-major matrix and packed
 * into zero-padded 2-vector strips otherwise. The shared dimension is blocked so that the B block of every strip
 * stays in cache while all row tiles pass over it, which is what makes the weight gradient ({@code K} = batch
 * pixels) fast. Each element of C is summed by one thread in a fixed order, so results are deterministic.
 *
 * <p>Only available when the JVM runs with {@code --add-modules jdk.incubator.vector}; see
 * {@link Gemm#vectorAvailable()}.
 *
 * <pre>{@code
 * Gemm.vector().gemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, y, 0, n);
 * }</pre>
 */
final class VectorGemm implements Gemm {
    static final VectorGemm INSTANCE = new VectorGemm();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of one strip (two vectors). */
    private static final int NR = 2 * L;
    /** Rows of one tile. */
    private static final int MR = 4;
    /** Block of the shared dimension. */
    private static final int KC = 256;
    /** Minimum multiply-adds per part before splitting over threads. */
    private static final long MIN_WORK = 1L << 18;

    private VectorGemm() {}

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        Gemm.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (transB && !transA && m <= 2) {
            // one or two rows against a transposed B (a linear layer or a squeeze-excitation conv at batch 1):
            // one vectorised dot product per element over B's rows, instead of packing all of B for a tile that
            // would stay mostly empty
            int bound = S.loopBound(k);
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    FloatVector acc = FloatVector.zero(S);
                    int p = 0;
                    for (; p < bound; p += L) {
                        acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                    }
                    float sum = acc.reduceLanes(VectorOperators.ADD);
                    for (; p < k; p++) {
                        sum += a[ai + p] * b[bj + p];
                    }
                    int ci = cOff + i * ldc + j;
                    c[ci] = beta == 0 ? alpha * sum : alpha * sum + beta * c[ci];
                }
            }
            return;
        }
        final int strips = (n + NR - 1) / NR;
        final int fullStrips = transB ? 0 : n / NR;
        // element (i, p) of op(A) is at aOff + i * ars + p * acs
        final int ars = transA ? 1 : lda;
        final int acs = transA ? lda : 1;
        // strips that are not read in place are packed as [strip][p][NR], zero-padded
        final float[] packed;
        if (fullStrips < strips && k > 0) {
            int first = fullStrips;
            packed = Scratch.floats(Scratch.GEMM_B, (strips - first) * k * NR);
            pack(transB, b, bOff, ldb, n, k, first, strips, packed);
        } else {
            packed = null;
        }
        final int rowBlocks = (m + MR - 1) / MR;
        final int units = rowBlocks * strips;
        int parts = Math.min(units, Parallel.parts((long) m * n * Math.max(1, k), MIN_WORK));
        Parallel.forRange(units, parts, (part, u0, u1) -> {
            float[] tile = Scratch.floats(Scratch.PARTIALS, MR * NR);
            for (int u = u0; u < u1; u++) {
                int i = (u / strips) * MR;
                int j = (u % strips) * NR;
                int rows = Math.min(MR, m - i);
                int cols = Math.min(NR, n - j);
                for (int r = 0; r < rows; r++) {
                    int o = cOff + (i + r) * ldc + j;
                    if (beta == 0f) {
                        Arrays.fill(c, o, o + cols, 0f);
                    } else if (beta != 1f) {
                        for (int q = 0; q < cols; q++) {
                            c[o + q] *= beta;
                        }
                    }
                }
            }
            if (k == 0) {
                return;
            }
            for (int p0 = 0; p0 < k; p0 += KC) {
                int p1 = Math.min(k, p0 + KC);
                for (int u = u0; u < u1; u++) {
                    int s = u % strips;
                    int i = (u / strips) * MR;
                    int j = s * NR;
                    float[] bArr;
                    int bo;
                    int bs;
                    if (s < fullStrips) {
                        bArr = b;
                        bo = bOff + j;
                        bs = ldb;
                    } else {
                        bArr = packed;
                        bo = (s - fullStrips) * k * NR;
                        bs = NR;
                    }
                    int rows = Math.min(MR, m - i);
                    int cols = Math.min(NR, n - j);
                    if (rows == MR && cols <= L) {
                        // a last strip of at most one vector of columns (N = 8, 16, 40, 48, ...): half the work
                        tile4Half(
                                a,
                                aOff + i * ars,
                                ars,
                                acs,
                                bArr,
                                bo,
                                bs,
                                p0,
                                p1,
                                alpha,
                                c,
                                cOff + i * ldc + j,
                                ldc,
                                cols,
                                tile);
                    } else if (rows == MR) {
                        // also for a narrower last strip (N = 24, 40, 120, ...): its padded columns are computed
                        // in registers and dropped at the store
                        tile4(
                                a,
                                aOff + i * ars,
                                ars,
                                acs,
                                bArr,
                                bo,
                                bs,
                                p0,
                                p1,
                                alpha,
                                c,
                                cOff + i * ldc + j,
                                ldc,
                                cols,
                                tile);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            tile1(
                                    a,
                                    aOff + (i + r) * ars,
                                    acs,
                                    bArr,
                                    bo,
                                    bs,
                                    p0,
                                    p1,
                                    alpha,
                                    c,
                                    cOff + (i + r) * ldc + j,
                                    cols,
                                    tile);
                        }
                    }
                }
            }
        });
    }

    /** Packs columns {@code [first*NR, n)} of op(B) into zero-padded strips. */
    private static void pack(
            boolean transB, float[] b, int bOff, int ldb, int n, int k, int first, int strips, float[] packed) {
        for (int s = first; s < strips; s++) {
            int base = (s - first) * k * NR;
            int j0 = s * NR;
            int cols = Math.min(NR, n - j0);
            for (int p = 0; p < k; p++) {
                int d = base + p * NR;
                if (transB) {
                    for (int q = 0; q < cols; q++) {
                        packed[d + q] = b[bOff + (j0 + q) * ldb + p];
                    }
                } else {
                    System.arraycopy(b, bOff + p * ldb + j0, packed, d, cols);
                }
                if (cols < NR) {
                    Arrays.fill(packed, d + cols, d + NR, 0f);
                }
            }
        }
    }

    /**
     * C[4 x cols] += alpha * A[4 x (p0..p1)] * B[(p0..p1) x NR], all in registers; a partial strip ({@code cols <
     * NR}) is written back through {@code tile}.
     */
    private static void tile4(
            float[] a,
            int a0,
            int ars,
            int acs,
            float[] b,
            int bo,
            int bs,
            int p0,
            int p1,
            float alpha,
            float[] c,
            int co,
            int ldc,
            int cols,
            float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        for (int p = p0; p < p1; p++) {
            int bp = bo + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            int ap = p * acs;
            FloatVector v = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        if (cols == NR) {
            store(c00, c01, alpha, c, co);
            store(c10, c11, alpha, c, co + ldc);
            store(c20, c21, alpha, c, co + 2 * ldc);
            store(c30, c31, alpha, c, co + 3 * ldc);
        } else {
            storePartial(c00, c01, alpha, c, co, cols, tile);
            storePartial(c10, c11, alpha, c, co + ldc, cols, tile);
            storePartial(c20, c21, alpha, c, co + 2 * ldc, cols, tile);
            storePartial(c30, c31, alpha, c, co + 3 * ldc, cols, tile);
        }
    }

    /** {@link #tile4} for a strip whose valid columns fit in its first vector ({@code cols <= L}). */
    private static void tile4Half(
            float[] a,
            int a0,
            int ars,
            int acs,
            float[] b,
            int bo,
            int bs,
            int p0,
            int p1,
            float alpha,
            float[] c,
            int co,
            int ldc,
            int cols,
            float[] tile) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        for (int p = p0; p < p1; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * bs);
            int ap = p * acs;
            c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, c3);
        }
        if (cols == L) {
            FloatVector al = FloatVector.broadcast(S, alpha);
            c0.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c1.fma(al, FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c2.fma(al, FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c3.fma(al, FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        storePartial(c0, zero, alpha, c, co, cols, tile);
        storePartial(c1, zero, alpha, c, co + ldc, cols, tile);
        storePartial(c2, zero, alpha, c, co + 2 * ldc, cols, tile);
        storePartial(c3, zero, alpha, c, co + 3 * ldc, cols, tile);
    }

    /** Adds the first {@code cols < NR} lanes of {@code alpha * [s0 s1]} to {@code c[co..]}. */
    private static void storePartial(
            FloatVector s0, FloatVector s1, float alpha, float[] c, int co, int cols, float[] tile) {
        s0.intoArray(tile, 0);
        s1.intoArray(tile, L);
        for (int q = 0; q < cols; q++) {
            c[co + q] += alpha * tile[q];
        }
    }

    private static void store(FloatVector s0, FloatVector s1, float alpha, float[] c, int co) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        s0.fma(al, FloatVector.fromArray(S, c, co)).intoArray(c, co);
        s1.fma(al, FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
    }

    /** One row of C, {@code cols <= NR} valid columns (edge tiles). */
    private static void tile1(
            float[] a,
            int a0,
            int acs,
            float[] b,
            int bo,
            int bs,
            int p0,
            int p1,
            float alpha,
            float[] c,
            int co,
            int cols,
            float[] tile) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int p = p0; p < p1; p++) {
            int bp = bo + p * bs;
            FloatVector v = FloatVector.broadcast(S, a[a0 + p * acs]);
            s0 = v.fma(FloatVector.fromArray(S, b, bp), s0);
            s1 = v.fma(FloatVector.fromArray(S, b, bp + L), s1);
        }
        if (cols == NR) {
            store(s0, s1, alpha, c, co);
            return;
        }
        storePartial(s0, s1, alpha, c, co, cols, tile);
    }
}
