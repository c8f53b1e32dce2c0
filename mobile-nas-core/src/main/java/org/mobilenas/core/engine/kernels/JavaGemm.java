package org.mobilenas.core.engine.kernels;

import java.util.Arrays;

/**
 * Pure-Java GEMM. For each block of C's columns, op(B) is packed into separate zero-offset row arrays; each thread
 * takes a range of C's rows and updates four of them at a time in zero-offset accumulator rows over a block of
 * the shared dimension. Keeping every array in the inner loop at offset zero is what lets C2 (JDK 17) vectorise
 * it. Every element of C is computed by one thread in a fixed order, so results are deterministic.
 *
 * <pre>{@code
 * Gemm.java().gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
 * }</pre>
 */
final class JavaGemm implements Gemm {
    static final JavaGemm INSTANCE = new JavaGemm();

    /** Block of the shared dimension kept in cache. */
    private static final int KC = 256;
    /** Block of C's columns. */
    private static final int NC = 512;
    /** Minimum multiply-adds per thread before splitting. */
    private static final long MIN_WORK = 1L << 16;

    private JavaGemm() {}

    @Override
    public String name() {
        return "java";
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
        float[] pa = a;
        int paOff = aOff;
        int plda = lda;
        if (transA) {
            pa = Scratch.floats(Scratch.GEMM_A, m * k);
            transpose(a, aOff, lda, k, m, pa);
            paOff = 0;
            plda = k;
        }
        final float[] fa = pa;
        final int faOff = paOff;
        final int flda = plda;
        int parts = Parallel.parts((long) m * n * Math.max(1, k), MIN_WORK);
        parts = Math.min(parts, Math.max(1, m / 4));
        for (int jj = 0; jj < n; jj += NC) {
            final int j0 = jj;
            final int jn = Math.min(NC, n - jj);
            final float[][] bp = Scratch.rows(Scratch.ROWS_B, Math.max(1, k), jn);
            for (int p = 0; p < k; p++) {
                float[] row = bp[p];
                if (transB) {
                    for (int j = 0; j < jn; j++) {
                        row[j] = b[bOff + (j0 + j) * ldb + p];
                    }
                } else {
                    System.arraycopy(b, bOff + p * ldb + j0, row, 0, jn);
                }
            }
            Parallel.forRange(
                    m,
                    parts,
                    (part, from, to) -> rows(from, to, j0, jn, k, alpha, fa, faOff, flda, bp, beta, c, cOff, ldc));
        }
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

    private static void rows(
            int i0,
            int i1,
            int j0,
            int jn,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[][] bp,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        float[][] acc = Scratch.rows(Scratch.ROWS_ACC, 4, jn);
        float[] r0 = acc[0];
        float[] r1 = acc[1];
        float[] r2 = acc[2];
        float[] r3 = acc[3];
        for (int i = i0; i < i1; i++) {
            int ci = cOff + i * ldc + j0;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + jn, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < jn; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        for (int pp = 0; pp < k; pp += KC) {
            int pe = Math.min(k, pp + KC);
            int i = i0;
            for (; i + 3 < i1; i += 4) {
                int c0 = cOff + i * ldc + j0;
                System.arraycopy(c, c0, r0, 0, jn);
                System.arraycopy(c, c0 + ldc, r1, 0, jn);
                System.arraycopy(c, c0 + 2 * ldc, r2, 0, jn);
                System.arraycopy(c, c0 + 3 * ldc, r3, 0, jn);
                int a0 = aOff + i * lda;
                for (int p = pp; p < pe; p++) {
                    float v0 = alpha * a[a0 + p];
                    float v1 = alpha * a[a0 + lda + p];
                    float v2 = alpha * a[a0 + 2 * lda + p];
                    float v3 = alpha * a[a0 + 3 * lda + p];
                    kernel4(r0, r1, r2, r3, v0, v1, v2, v3, bp[p], jn);
                }
                System.arraycopy(r0, 0, c, c0, jn);
                System.arraycopy(r1, 0, c, c0 + ldc, jn);
                System.arraycopy(r2, 0, c, c0 + 2 * ldc, jn);
                System.arraycopy(r3, 0, c, c0 + 3 * ldc, jn);
            }
            for (; i < i1; i++) {
                int c0 = cOff + i * ldc + j0;
                System.arraycopy(c, c0, r0, 0, jn);
                int a0 = aOff + i * lda;
                for (int p = pp; p < pe; p++) {
                    kernel1(r0, alpha * a[a0 + p], bp[p], jn);
                }
                System.arraycopy(r0, 0, c, c0, jn);
            }
        }
    }

    private static void kernel4(
            float[] c0, float[] c1, float[] c2, float[] c3, float v0, float v1, float v2, float v3, float[] b, int n) {
        for (int j = 0; j < n; j++) {
            float bv = b[j];
            c0[j] += v0 * bv;
            c1[j] += v1 * bv;
            c2[j] += v2 * bv;
            c3[j] += v3 * bv;
        }
    }

    private static void kernel1(float[] c0, float v0, float[] b, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] += v0 * b[j];
        }
    }
}
