package org.mobilenas.core.engine.kernels;

import java.util.Arrays;

/**
 * Pure-Java GEMM: transposed operands are packed into row-major scratch, then a cache-blocked kernel updates
 * four rows of C per pass over a block of B (inner loops over contiguous columns, which C2 vectorises). Rows of C
 * are split over {@link Parallel}'s threads; every element of C is computed by one thread in a fixed order, so
 * results are deterministic.
 *
 * <pre>{@code
 * Gemm.java().gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
 * }</pre>
 */
final class JavaGemm implements Gemm {
    static final JavaGemm INSTANCE = new JavaGemm();

    /** Block of the shared dimension kept in cache. */
    private static final int KC = 128;
    /** Block of C's columns. */
    private static final int NC = 512;
    /** Minimum multiply-adds per thread before splitting. */
    private static final long MIN_WORK = 1L << 16;

    private JavaGemm() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Gemm.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        float[] pa = a;
        int paOff = aOff;
        int plda = lda;
        if (transA) {
            pa = Scratch.floats(Scratch.GEMM_A, m * k);
            transpose(a, aOff, lda, k, m, pa);
            paOff = 0;
            plda = k;
        }
        float[] pb = b;
        int pbOff = bOff;
        int pldb = ldb;
        if (transB) {
            pb = Scratch.floats(Scratch.GEMM_B, k * n);
            transpose(b, bOff, ldb, n, k, pb);
            pbOff = 0;
            pldb = n;
        }
        final float[] fa = pa;
        final int faOff = paOff;
        final int flda = plda;
        final float[] fb = pb;
        final int fbOff = pbOff;
        final int fldb = pldb;
        long work = (long) m * n * Math.max(1, k);
        int parts = Parallel.parts(work, MIN_WORK);
        parts = Math.min(parts, Math.max(1, m / 4));
        Parallel.forRange(m, parts, (part, from, to) ->
                rows(from, to, n, k, alpha, fa, faOff, flda, fb, fbOff, fldb, beta, c, cOff, ldc));
    }

    /** dst[cols x rows] = transpose of src[rows x cols] (src with leading dimension ld). */
    static void transpose(float[] src, int off, int ld, int rows, int cols, float[] dst) {
        final int t = 32;
        for (int r0 = 0; r0 < rows; r0 += t) {
            int r1 = Math.min(rows, r0 + t);
            for (int c0 = 0; c0 < cols; c0 += t) {
                int c1 = Math.min(cols, c0 + t);
                for (int r = r0; r < r1; r++) {
                    int s = off + r * ld;
                    for (int q = c0; q < c1; q++) {
                        dst[q * rows + r] = src[s + q];
                    }
                }
            }
        }
    }

    private static void rows(int i0, int i1, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = i0; i < i1; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        for (int jj = 0; jj < n; jj += NC) {
            int jn = Math.min(NC, n - jj);
            for (int pp = 0; pp < k; pp += KC) {
                int pn = Math.min(KC, k - pp);
                int i = i0;
                for (; i + 3 < i1; i += 4) {
                    block4(i, jj, jn, pp, pn, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
                }
                for (; i < i1; i++) {
                    block1(i, jj, jn, pp, pn, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
                }
            }
        }
    }

    private static void block4(int i, int jj, int jn, int pp, int pn, float alpha, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int a0 = aOff + i * lda + pp;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int c0 = cOff + i * ldc + jj;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        for (int p = 0; p < pn; p++) {
            float v0 = alpha * a[a0 + p];
            float v1 = alpha * a[a1 + p];
            float v2 = alpha * a[a2 + p];
            float v3 = alpha * a[a3 + p];
            int bi = bOff + (pp + p) * ldb + jj;
            for (int j = 0; j < jn; j++) {
                float bv = b[bi + j];
                c[c0 + j] += v0 * bv;
                c[c1 + j] += v1 * bv;
                c[c2 + j] += v2 * bv;
                c[c3 + j] += v3 * bv;
            }
        }
    }

    private static void block1(int i, int jj, int jn, int pp, int pn, float alpha, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int a0 = aOff + i * lda + pp;
        int c0 = cOff + i * ldc + jj;
        for (int p = 0; p < pn; p++) {
            float v0 = alpha * a[a0 + p];
            int bi = bOff + (pp + p) * ldb + jj;
            for (int j = 0; j < jn; j++) {
                c[c0 + j] += v0 * b[bi + j];
            }
        }
    }
}
