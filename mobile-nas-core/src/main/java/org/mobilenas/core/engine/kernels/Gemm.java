package org.mobilenas.core.engine.kernels;

import java.util.Locale;

/**
 * Row-major single-precision matrix multiply {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is
 * {@code X} or its transpose. {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is
 * {@code m x n}; each operand is addressed by an offset and a leading dimension (row stride) in its array, so
 * sub-matrices (e.g. one group of a grouped convolution) need no copies. With {@code beta == 0} the previous
 * contents of {@code C} are ignored.
 *
 * <p>The implementation used by the engine is {@link #defaultGemm()}: the register-blocked Vector API kernel when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (several times faster than the others at
 * pointwise-convolution shapes), else the pure-Java kernel, which was faster than ND4J's BLAS at those shapes and
 * for whole training steps on the project's 2-core machines (ND4J's BLAS wins large square products such as
 * 1024^3, and suffers badly when the cores are oversubscribed). {@code -Dmobilenas.gemm=vector}, {@code java},
 * {@code nd4j} or {@code auto} (ND4J for large products, Java for small ones) choose one explicitly.
 *
 * <pre>{@code
 * Gemm g = Gemm.defaultGemm();
 * g.gemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, y, 0, n);   // y = x * w^T
 * }</pre>
 */
public interface Gemm {
    /** System property that selects the implementation: {@code vector}, {@code java}, {@code nd4j} or {@code auto}. */
    String PROPERTY = "mobilenas.gemm";

    /** {@code C = alpha · op(A) · op(B) + beta · C} for row-major matrices, {@code op} transposing when asked. */
    void gemm(
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
            int ldc);

    /** Short name ("java", "nd4j"). */
    String name();

    /** The pure-Java, cache-blocked, multi-threaded implementation. */
    static Gemm java() {
        return JavaGemm.INSTANCE;
    }

    /** Whether the Vector API module is present, i.e. the JVM runs with {@code --add-modules jdk.incubator.vector}. */
    static boolean vectorAvailable() {
        return Defaults.VECTOR;
    }

    /**
     * The register-blocked implementation on the Vector API; fails with a message saying how to enable it when
     * {@link #vectorAvailable()} is false.
     */
    static Gemm vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("gemm 'vector' needs the JVM option --add-modules jdk.incubator.vector");
        }
        return VectorGemm.INSTANCE;
    }

    /**
     * The implementation backed by ND4J's BLAS; ND4J with a native backend is an optional dependency of the
     * library (add {@code org.nd4j:nd4j-native-platform}, or {@code nd4j-native} with your platform's classifier).
     */
    static Gemm nd4j() {
        if (!nd4jAvailable()) {
            throw new IllegalStateException("gemm 'nd4j' needs ND4J with a native backend on the classpath (an "
                    + "optional dependency): add org.nd4j:nd4j-native-platform, or nd4j-native with your platform's "
                    + "classifier; or use " + PROPERTY + "=vector|java");
        }
        return Nd4jGemm.instance();
    }

    /** Whether ND4J's classes are on the classpath (its native backend is checked when first used). */
    static boolean nd4jAvailable() {
        try {
            Class.forName("org.nd4j.linalg.factory.Nd4j", false, Gemm.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** ND4J for products of at least {@link AutoGemm#NATIVE_MIN_WORK} multiply-adds, pure Java below. */
    static Gemm auto() {
        nd4j(); // fails now, naming the missing optional dependency, rather than at the first large product
        return AutoGemm.INSTANCE;
    }

    /** Looks an implementation up by name; names other than {@code vector}, {@code java}, {@code nd4j} and {@code auto} are rejected. */
    static Gemm named(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "vector" -> vector();
            case "java" -> java();
            case "nd4j" -> nd4j();
            case "auto" -> auto();
            default ->
                throw new IllegalArgumentException(PROPERTY + " '" + name + "' not in [vector, java, nd4j, auto]");
        };
    }

    /** The implementation chosen by {@value #PROPERTY}, else the Vector API one when available, else pure Java. */
    static Gemm defaultGemm() {
        return Defaults.DEFAULT;
    }

    /** Checks the arguments of a call; used by implementations. */
    static void check(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes m=" + m + " n=" + n + " k=" + k + " must be >= 0");
        }
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        span("A", a, aOff, lda, aRows, aCols);
        span("B", b, bOff, ldb, bRows, bCols);
        span("C", c, cOff, ldc, m, n);
    }

    private static void span(String what, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm " + what + ": leading dimension " + ld + " < columns " + cols);
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("gemm " + what + ": " + rows + "x" + cols + " at offset " + off
                    + " with leading dimension " + ld + " exceeds array length " + x.length);
        }
    }

    /** Holder of the default, resolved once. */
    final class Defaults {
        static final boolean VECTOR =
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        static final Gemm DEFAULT = fromProperty();

        /** The property's choice; a bad value is reported once (naming the property) and the default used. */
        private static Gemm fromProperty() {
            String fallback = VECTOR ? "vector" : "java";
            String v = System.getProperty(PROPERTY);
            if (v == null || v.isBlank()) {
                return named(fallback);
            }
            try {
                return named(v);
            } catch (RuntimeException e) {
                // printed, not logged: a wrong engine setting must be visible even without a logging binding
                System.err.println("mobile-nas: -D" + PROPERTY + "=" + v + " cannot be used (" + e.getMessage()
                        + "); using '" + fallback + "'");
                return named(fallback);
            }
        }

        private Defaults() {}
    }
}
