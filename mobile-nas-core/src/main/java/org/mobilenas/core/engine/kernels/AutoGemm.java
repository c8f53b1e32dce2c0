package org.mobilenas.core.engine.kernels;

/**
 * Chooses per call: ND4J's BLAS for large products, the in-JVM kernel (Vector API when available, else pure Java)
 * for small ones (classifier layers,
 * squeeze-excitation convolutions), where the copies to native memory and the native call dominate.
 *
 * <pre>{@code
 * Gemm g = Gemm.auto();
 * }</pre>
 */
final class AutoGemm implements Gemm {
    static final AutoGemm INSTANCE = new AutoGemm();
    /** Multiply-adds from which ND4J is used. */
    static final long NATIVE_MIN_WORK = 1L << 20;

    private AutoGemm() {}

    @Override
    public String name() {
        return "auto";
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
        Gemm g = (long) m * n * k >= NATIVE_MIN_WORK
                ? Gemm.nd4j()
                : Gemm.vectorAvailable() ? Gemm.vector() : Gemm.java();
        g.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
