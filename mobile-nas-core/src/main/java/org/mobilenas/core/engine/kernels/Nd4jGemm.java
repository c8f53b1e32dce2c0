package org.mobilenas.core.engine.kernels;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GEMM through ND4J's BLAS ({@code Nd4j.gemm}). Operands are copied row by row into off-heap arrays that are
 * cached per thread and shape, multiplied natively, and the result copied back.
 *
 * <pre>{@code
 * Gemm.nd4j().gemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, y, 0, n);
 * }</pre>
 */
final class Nd4jGemm implements Gemm {
    private static volatile Nd4jGemm instance;

    private final ThreadLocal<Map<Long, INDArray>> cache = ThreadLocal.withInitial(HashMap::new);

    private Nd4jGemm() {}

    static Nd4jGemm instance() {
        Nd4jGemm g = instance;
        if (g == null) {
            synchronized (Nd4jGemm.class) {
                g = instance;
                if (g == null) {
                    g = new Nd4jGemm();
                    instance = g;
                }
            }
        }
        return g;
    }

    @Override
    public String name() {
        return "nd4j";
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
        if (k == 0) {
            scale(c, cOff, ldc, m, n, beta);
            return;
        }
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        INDArray na = array(0, aRows, aCols);
        INDArray nb = array(1, bRows, bCols);
        INDArray nc = array(2, m, n);
        put(na, a, aOff, lda, aRows, aCols);
        put(nb, b, bOff, ldb, bRows, bCols);
        if (beta != 0f) {
            put(nc, c, cOff, ldc, m, n);
        }
        Nd4j.gemm(na, nb, nc, transA, transB, alpha, beta);
        FloatBuffer out = nc.data().asNioFloat();
        if (ldc == n) {
            out.position(0);
            out.get(c, cOff, m * n);
        } else {
            for (int i = 0; i < m; i++) {
                out.position(i * n);
                out.get(c, cOff + i * ldc, n);
            }
        }
    }

    private static void scale(float[] c, int cOff, int ldc, int m, int n, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = beta == 0f ? 0f : beta * c[cOff + i * ldc + j];
            }
        }
    }

    private INDArray array(int slot, int rows, int cols) {
        long key = ((long) slot << 60) | ((long) rows << 30) | cols;
        return cache.get().computeIfAbsent(key, x -> Nd4j.create(DataType.FLOAT, rows, cols));
    }

    private static void put(INDArray dst, float[] src, int off, int ld, int rows, int cols) {
        FloatBuffer buf = dst.data().asNioFloat();
        if (ld == cols) {
            buf.position(0);
            buf.put(src, off, rows * cols);
        } else {
            for (int i = 0; i < rows; i++) {
                buf.position(i * cols);
                buf.put(src, off + i * ld, cols);
            }
        }
    }
}
